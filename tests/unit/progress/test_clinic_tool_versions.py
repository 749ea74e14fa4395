"""An assignment of a clinic tool keeps the version it was made with: its portal page asks the
catalogue for that version, after the clinic has published a newer one."""
import pytest

from interlude.errors import InvalidInput
from services.progress.application import pathway, portal

from .conftest import T0, at, new_assignment, new_client


def test_the_portal_asks_for_the_version_the_assignment_was_made_with(store, alice):
    client = new_client(store, alice)
    made = new_assignment(store, alice, client["id"], tool_id="ct_abc", tool_version=2)
    assert made["assignment"]["target"] == {"tool_id": "ct_abc", "version": 2}
    asked = []
    portal.page(store, made["link"]["token"], lambda *args: asked.append(args) or {"title": "T", "fields": []},
                now=at(0, 1))
    assert asked == [("cln_a", "ct_abc", 2)]


def test_a_pathway_step_carries_the_version(store, alice):
    client = new_client(store, alice)
    made = pathway.assign_pathway(store, alice, client["id"], "2026-03-06",
                                  [{"tool_id": "ct_abc", "tool_version": 3, "offset_days": 0}], now=T0)
    assert made[0]["assignment"]["target"] == {"tool_id": "ct_abc", "version": 3}


@pytest.mark.parametrize("version", [0, "2", True])
def test_a_bad_version_is_refused_before_anything_is_recorded(store, alice, version):
    client = new_client(store, alice)
    with pytest.raises(InvalidInput, match="tool_version"):
        pathway.assign_pathway(store, alice, client["id"], "2026-03-06",
                               [{"tool_id": "ct_abc", "tool_version": version}], now=T0)
