"""The clinic's settings the gateway passes with each assignment: how long before the deadline the
'due soon' reminder goes (kept on the assignment) and how long the client's links work."""
from datetime import datetime

import pytest

from interlude.errors import InvalidInput
from services.progress.application import pathway, reminders

from .conftest import T0, at, new_assignment, new_client


def test_the_reminder_timing_recorded_on_the_assignment_sets_when_due_soon_starts(store, alice):
    sam = new_client(store, alice)
    default = new_assignment(store, alice, sam["id"], due="2026-03-04")
    early = new_assignment(store, alice, sam["id"], tool_id="early", due="2026-03-04", remind_hours=72)
    created = reminders.due_reminders(store, now=at(0))
    assert [entry["assignment_id"] for entry in created] == [early["assignment"]["id"]]
    assert default["assignment"]["id"] not in {e["assignment_id"] for e in reminders.due_reminders(store, now=at(1))}
    with pytest.raises(InvalidInput, match="reminder_hours"):
        new_assignment(store, alice, sam["id"], tool_id="bad", remind_hours=0)


def test_a_pathway_takes_the_clinics_link_days_for_every_link(store, alice):
    sam = new_client(store, alice)
    made = pathway.assign_pathway(store, alice, sam["id"], "2026-03-09",
                                  [{"tool_id": "thought-record", "offset_days": 0},
                                   {"tool_id": "thought-record", "offset_days": 7}], link_days=5, now=T0)
    for item in made:
        expires = datetime.fromisoformat(item["link"]["expires_at"].replace("Z", "+00:00"))
        assert (expires - T0).days == 5
