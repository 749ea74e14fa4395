"""The portal page as one call: the token resolved once, the finished view, ``opened`` recorded
once per open and by nothing else; the portal's rules (measure page, closed, form, rating,
homework counts) in progress' domain."""
import pytest

from interlude.errors import InvalidInput
from services.progress.application import events, portal
from services.progress.domain import portal_rules

from .conftest import at, new_assignment, new_client

WORKSHEET = {"id": "cat_1", "title": "Thought record", "summary": "Catch a thought.",
             "sections": [{"id": "steps", "heading": "Steps", "text": "Write it down."},
                          {"id": "script", "heading": "Listen", "text": "Breathe in."}],
             "fields": [{"id": "situation", "kind": "lines", "label": "Situation"}]}


def opened_count(store, client):
    return [e["type"] for e in events.client_events(store, "cln_a", client["id"])].count("opened")


def test_a_page_open_returns_the_finished_view_and_records_opened_once(store, alice):
    client = new_client(store, alice)
    token = new_assignment(store, alice, client["id"])["link"]["token"]
    portal.save_draft(store, token, {"situation": "Bus"}, now=at(0, 1))
    asked = []
    page = portal.page(store, token, lambda clinic_id, tool_id, version: asked.append((clinic_id, tool_id, version))
                       or WORKSHEET, now=at(0, 2))
    assert asked == [("cln_a", "thought-record", None)]
    assert page == {"client_name": "Sam", "clinic_id": "cln_a", "language": "en", "due": "2026-03-06",
                    "tool": WORKSHEET, "draft": {"situation": "Bus"}, "submitted": False, "has_audio": True}
    portal.page(store, token, lambda *_: WORKSHEET, now=at(0, 3))          # again the same day
    assert opened_count(store, client) == 1


def test_reading_the_audio_and_progress_records_nothing(store, alice):
    client = new_client(store, alice)
    token = new_assignment(store, alice, client["id"])["link"]["token"]
    assert portal.tool_reference(store, token, now=at(0, 1)) == ("cln_a", "thought-record")
    portal.progress_page(store, token, now=at(0, 1))
    assert opened_count(store, client) == 0


def test_a_measure_is_laid_out_by_the_portal_rules(store, alice):
    client = new_client(store, alice)
    token = new_assignment(store, alice, client["id"], measure="phq9", recur=14)["link"]["token"]
    page = portal.page(store, token, lambda *_: pytest.fail("a measure needs no catalogue tool"), now=at(0, 1))
    assert page["tool"]["title"] == "PHQ-9" and page["tool"]["summary"] == portal_rules.MEASURE_SUMMARY
    assert [f["id"] for f in page["tool"]["fields"]][:2] == ["q1", "q2"] and not page["has_audio"]
    assert all(f["kind"] == "scale" and f["options"] for f in page["tool"]["fields"])
    assert page["tool"]["instructions"].startswith("Over the last 2 weeks")
    assert [f["id"] for f in page["tool"]["fields"] if f["risk"]] == ["q9"]     # the flagged item


def test_the_progress_page_counts_homework_across_all_the_clients_assignments(store, alice):
    client = new_client(store, alice)
    tokens = [new_assignment(store, alice, client["id"])["link"]["token"] for _ in range(5)]
    portal.submit(store, tokens[0], submission_id="sub-1", fields={"situation": "Bus"}, now=at(0, 2))
    for token in (tokens[0], tokens[3]):       # the same answer whichever link is opened
        shown = portal.progress_page(store, token, now=at(0, 3))
        assert (shown["completed"], shown["assigned"]) == (1, 5)


def test_an_empty_worksheet_is_refused_and_records_nothing(store, alice):
    client = new_client(store, alice)
    token = new_assignment(store, alice, client["id"])["link"]["token"]
    before = len(events.client_events(store, "cln_a", client["id"]))
    for blank in ({}, {"situation": ""}, {"situation": "   ", "thought": "\n"}):
        with pytest.raises(InvalidInput, match="fill in at least one answer"):
            portal.submit(store, token, submission_id="sub-empty", fields=blank, now=at(0, 2))
    assert len(events.client_events(store, "cln_a", client["id"])) == before
    assert portal.progress_page(store, token, now=at(0, 3))["completed"] == 0


def test_the_page_speaks_the_language_the_practitioner_set(store, alice):
    from services.progress.application import clients
    client = new_client(store, alice)
    token = new_assignment(store, alice, client["id"])["link"]["token"]
    assert clients.update_client(store, alice, client["id"], {"language": "es"})["language"] == "es"
    assert portal.page(store, token, lambda *_: WORKSHEET, now=at(0, 1))["language"] == "es"
    assert portal.progress_page(store, token, now=at(0, 1))["language"] == "es"
    with pytest.raises(InvalidInput, match="language must be one of en, es"):
        clients.update_client(store, alice, client["id"], {"language": "fr"})


def test_homework_counts_on_the_progress_page(store, alice):
    client = new_client(store, alice)
    token = new_assignment(store, alice, client["id"])["link"]["token"]
    before = portal.progress_page(store, token, now=at(0, 1))
    assert (before["completed"], before["assigned"], before["client_name"]) == (0, 1, "Sam")
    portal.submit(store, token, submission_id="sub-1", fields={"situation": "Bus"}, now=at(0, 2))
    after = portal.progress_page(store, token, now=at(0, 3))
    assert (after["completed"], after["assigned"]) == (1, 1)
    assert portal.page(store, token, lambda *_: WORKSHEET, now=at(0, 4))["submitted"] is True


def test_a_posted_form_is_answers_only_when_every_field_is_an_item_choice():
    assert portal_rules.submission_from_form({"q1": ["2"], "q2": ["0"]}) == {"answers": {"q1": 2, "q2": 0},
                                                                             "submission_id": None}
    assert portal_rules.submission_from_form({"q1": ["2"], "note": ["x"]}, "k-1") == {
        "fields": {"q1": "2", "note": "x"}, "submission_id": "k-1"}
    assert portal_rules.submission_from_form({"done": ["a", "b"], "submission_id": ["page-1"]}, "k-1") == {
        "fields": {"done": "a|b"}, "submission_id": "page-1"}


def test_a_posted_form_without_a_touched_scale_records_no_value_for_it():
    """A 0-10 scale is a set of radio buttons none of which is chosen at first: an untouched one
    is absent from the post, so nothing (not a 5) is recorded for it."""
    assert portal_rules.submission_from_form({"note": ["x"]}) == {"fields": {"note": "x"}, "submission_id": None}


@pytest.mark.parametrize("value, expected", [(4, 4), ("5", 5), (" 1 ", 1)])
def test_ratings_are_whole_numbers_from_one_to_five(value, expected):
    assert portal_rules.parse_rating(value) == expected


@pytest.mark.parametrize("value", [0, 6, "x", None, True, 2.5, ""])
def test_other_ratings_are_refused(value):
    with pytest.raises(InvalidInput, match="rating must be a whole number from 1 to 5"):
        portal_rules.parse_rating(value)
