"""The dashboard overview: flags first until a practitioner reviews them (who, when and the note
kept in the record), submissions to review, overdue and due-this-week homework, clinic and
practitioner boundaries."""
import pytest

from interlude.errors import InvalidInput, NotFound
from services.progress.application import events, overview, portal, records

from .conftest import at, new_assignment, new_client


def phq9_with_item9(store, actor, client, item9=2, when=0):
    token = new_assignment(store, actor, client["id"], measure="phq9", due="2026-03-04")["link"]["token"]
    answers = {f"q{i}": 1 for i in range(1, 9)} | {"q9": item9}
    return portal.submit(store, token, answers=answers, submission_id=f"s-{client['id']}-{when}", now=at(when, 1))


def test_flag_shows_until_acknowledged_and_the_record_keeps_who_and_when(store, alice):
    client = new_client(store, alice)
    phq9_with_item9(store, alice, client)
    seen = overview.overview(store, alice, now=at(1))
    [flag] = seen["risk_flags"]
    assert flag["display_name"] == "Sam" and flag["measure"] == "phq9" and flag["acknowledged"] is None
    assert flag["score"] == 10
    assert [i["title"] for i in seen["inbox"]] == ["PHQ-9"] and seen["inbox"][0]["score"]["total"] == 10
    assert seen["inbox"][0]["tool_id"] is None   # a measure is no catalogue tool

    with pytest.raises(InvalidInput):
        records.review_risk_flag(store, alice, client["id"], flag["event_id"], note="   ")
    records.review_risk_flag(store, alice, client["id"], flag["event_id"], note="Called; safety plan reviewed.",
                             now=at(1, 2))
    [flag] = overview.overview(store, alice, now=at(2))["risk_flags"]
    acknowledged = flag["acknowledged"]
    assert (acknowledged["by"], acknowledged["note"]) == ("usr_alice", "Called; safety plan reviewed.")
    assert acknowledged["at"].startswith("2026-03-03T11:00")
    recorded = events.client_events(store, "cln_a", client["id"], types=["correction"])
    assert len(recorded) == 1 and recorded[0]["actor"] == "usr_alice"


def test_unacknowledged_flags_come_first(store, alice):
    first, second = new_client(store, alice, "A."), new_client(store, alice, "B.")
    phq9_with_item9(store, alice, first, when=0)
    phq9_with_item9(store, alice, second, when=1)
    flags = overview.overview(store, alice, now=at(2))["risk_flags"]
    assert [f["display_name"] for f in flags] == ["B.", "A."]   # latest first
    records.review_risk_flag(store, alice, second["id"], flags[0]["event_id"], note="Seen in session.")
    assert [f["display_name"] for f in overview.overview(store, alice, now=at(2))["risk_flags"]] == ["A.", "B."]


def test_overdue_and_due_this_week(store, alice):
    client = new_client(store, alice)
    new_assignment(store, alice, client["id"], due="2026-03-03", title="Late one")
    new_assignment(store, alice, client["id"], due="2026-03-06", title="Soon one")
    new_assignment(store, alice, client["id"], due="2026-04-30", title="Later one")
    seen = overview.overview(store, alice, now=at(2))
    assert [i["title"] for i in seen["overdue"]] == ["Late one"]
    assert [i["title"] for i in seen["due_this_week"]] == ["Soon one"]
    # the tool behind each item, so the dashboard can say "worksheet" or "audio" beside a shared title
    assert seen["overdue"][0]["tool_id"] == "thought-record"
    assert [i["tool_id"] for i in seen["inbox"]] == []


def test_other_clinics_and_other_practitioners_see_nothing(store, alice, bob, carol):
    client = new_client(store, alice)
    phq9_with_item9(store, alice, client)
    flag = overview.overview(store, alice, now=at(1))["risk_flags"][0]
    assert overview.overview(store, carol, now=at(1)) | {"today": None} == {
        "risk_flags": [], "inbox": [], "overdue": [], "due_this_week": [], "today": None}
    assert overview.overview(store, bob, now=at(1))["risk_flags"] == []
    for stranger in (bob, carol):
        with pytest.raises(NotFound):
            records.review_risk_flag(store, stranger, client["id"], flag["event_id"], note="not mine")
