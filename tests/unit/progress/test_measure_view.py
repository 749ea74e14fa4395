"""A measure's chart over a window, with the item answers of each date."""
from datetime import timedelta

import pytest

from interlude.errors import InvalidInput, NotFound
from services.progress.application import measure_view, portal

from .conftest import at, new_assignment, new_client


def answer(store, actor, client, when, value):
    due = (at(when) + timedelta(days=3)).date().isoformat()
    token = new_assignment(store, actor, client["id"], measure="phq9", due=due, now=at(when))["link"]["token"]
    portal.submit(store, token, answers={f"q{i}": value for i in range(1, 10)}, submission_id=f"s{when}",
                  now=at(when, 1))


def test_window_answers_and_bands(store, alice, carol):
    client = new_client(store, alice)
    answer(store, alice, client, 0, 3)      # 27: severe
    answer(store, alice, client, 150, 1)    # 9: mild
    everything = measure_view.measure_view(store, alice, client["id"], "phq9", "all", now=at(160))
    assert [p["total"] for p in everything["series"]] == [27, 9]
    assert everything["svg"].startswith("<svg") and len(everything["bands"]) >= 4
    assert everything["answers"][0]["values"][8]["value"] == 3 and everything["answers"][0]["values"][8]["label"]
    assert len(everything["questions"]) == 9
    recent = measure_view.measure_view(store, alice, client["id"], "phq9", "3m", now=at(160))
    assert [p["total"] for p in recent["series"]] == [9] and len(recent["answers"]) == 1
    assert measure_view.measures_taken(store, alice, client["id"]) == ["phq9"]
    with pytest.raises(InvalidInput, match="window"):
        measure_view.measure_view(store, alice, client["id"], "phq9", "1y")
    with pytest.raises(NotFound):
        measure_view.measure_view(store, carol, client["id"], "phq9")
