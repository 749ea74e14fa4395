"""A pathway: several assignments on a schedule in one step, all checked before any is recorded."""
import pytest

from interlude.errors import InvalidInput, NotFound
from services.progress.application import pathway, projections

from .conftest import T0, new_client


def test_each_step_is_an_assignment_due_on_its_day(store, alice):
    client = new_client(store, alice)
    made = pathway.assign_pathway(store, alice, client["id"], "2026-03-09", [
        {"tool_id": "thought-record", "offset_days": 0, "title": "Week 1"},
        {"tool_id": "sleep-diary", "offset_days": 7, "title": "Week 2"},
        {"measure": "phq9", "offset_days": 0, "recur": 14}], now=T0)
    assert [m["assignment"]["due"] for m in made] == ["2026-03-09", "2026-03-16", "2026-03-09"]
    assert made[2]["assignment"]["recur"] == {"every_days": 14}
    assert all(m["link"]["token"] for m in made)
    listed = projections.client_assignments(store, alice, client["id"], now=T0)
    assert sorted(a["title"] for a in listed) == ["PHQ-9", "Week 1", "Week 2"]


@pytest.mark.parametrize("steps, field", [
    ([], "steps"),
    ([{"tool_id": "a", "offset_days": -1}], "offset_days"),
    ([{"tool_id": "a", "measure": "phq9"}], "tool_id or a measure"),
    ([{"tool_id": "a"}, {"measure": "nope"}], "measure"),
    ([{"tool_id": "a", "recur": 7}], "Only a measure can recur"),
])
def test_a_bad_step_records_nothing(store, alice, steps, field):
    client = new_client(store, alice)
    with pytest.raises(InvalidInput, match=field):
        pathway.assign_pathway(store, alice, client["id"], "2026-03-09", steps, now=T0)
    assert projections.client_assignments(store, alice, client["id"], now=T0) == []


def test_another_clinics_client_is_not_found(store, alice, carol):
    client = new_client(store, alice)
    with pytest.raises(NotFound):
        pathway.assign_pathway(store, carol, client["id"], "2026-03-09", [{"tool_id": "a"}], now=T0)
