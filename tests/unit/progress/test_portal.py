"""The portal: open once a day, drafts as events, submission, PHQ-9 scored as published, the risk
flag on item 9 with crisis text, ratings, listening, redelivery, paper forms."""
import pytest

from interlude.errors import Conflict, InvalidInput, NotFound
from services.progress.application import events, portal, storage
from services.progress.application.submission import CRISIS_TEXT

from .conftest import at, new_assignment, new_client

PHQ9_EXAMPLES = storage.measures()["phq9"].examples


def types_of(store, client):
    return [e["type"] for e in events.client_events(store, "cln_a", client["id"])]


def test_opened_is_recorded_once_a_day(store, alice):
    client = new_client(store, alice)
    token = new_assignment(store, alice, client["id"])["link"]["token"]
    for moment in (at(0, 1), at(0, 5), at(1, 1)):
        page = portal.open_assignment(store, token, now=moment)
    assert page["assignment"]["status"] == "opened"
    assert types_of(store, client) == ["client_created", "assigned", "opened", "opened"]
    portal.view(store, token, now=at(2))
    assert types_of(store, client).count("opened") == 2


def test_drafts_are_events_and_the_latest_is_shown(store, alice):
    client = new_client(store, alice)
    token = new_assignment(store, alice, client["id"])["link"]["token"]
    portal.save_draft(store, token, {"situation": "At work"}, now=at(0, 1))
    portal.save_draft(store, token, {"situation": "At work"}, now=at(0, 2))   # unchanged: not recorded
    portal.save_draft(store, token, {"situation": "At work <i>again</i>", "mood": 6}, now=at(0, 3))
    page = portal.view(store, token, now=at(0, 4))
    assert page["draft"]["fields"] == {"situation": "At work again", "mood": "6"}
    assert page["assignment"]["status"] == "draft"
    assert types_of(store, client).count("draft_saved") == 2


@pytest.mark.parametrize("fields", [
    "text", {"x": "y" * 5001}, {f"f{i}": "" for i in range(201)}, {"bad id!": "x"}, {"x": ["list"]},
])
def test_drafts_are_limited(store, alice, fields):
    client = new_client(store, alice)
    token = new_assignment(store, alice, client["id"])["link"]["token"]
    with pytest.raises(InvalidInput):
        portal.save_draft(store, token, fields, now=at(0, 1))


def test_draft_then_submit_a_worksheet(store, alice):
    client = new_client(store, alice)
    token = new_assignment(store, alice, client["id"])["link"]["token"]
    portal.save_draft(store, token, {"situation": "Bus"}, now=at(0, 1))
    result = portal.submit(store, token, submission_id="sub-1", fields={"situation": "Bus", "thought": "Late"},
                           now=at(0, 2))
    assert result["score"] is None and result["crisis"] is None
    assert [e["type"] for e in result["events"]] == ["submitted"]
    page = portal.view(store, token, now=at(0, 3))
    assert page["assignment"]["status"] == "submitted" and page["draft"] is None
    with pytest.raises(Conflict):
        portal.submit(store, token, submission_id="sub-2", fields={"situation": "Again"}, now=at(0, 4))
    with pytest.raises(Conflict):
        portal.save_draft(store, token, {"situation": "more"}, now=at(0, 4))


@pytest.mark.parametrize("example", PHQ9_EXAMPLES, ids=lambda e: f"total{e['total']}")
def test_phq9_published_examples_are_scored(store, alice, example):
    client = new_client(store, alice)
    token = new_assignment(store, alice, client["id"], measure="phq9")["link"]["token"]
    result = portal.submit(store, token, submission_id="s1", answers=example["answers"], extra=1, now=at(1))
    assert (result["score"]["total"], result["score"]["band"], result["flags"]) == (
        example["total"], example["band"], example["flags"])
    scored = events.client_events(store, "cln_a", client["id"], types=["measure_scored"])
    assert len(scored) == 1 and scored[0]["data"]["total"] == example["total"]
    assert scored[0]["data"]["measure"] == "phq9" and scored[0]["actor"] == "system"
    submitted = events.client_events(store, "cln_a", client["id"], types=["submitted"])[0]
    assert submitted["data"]["answers"]["q9"] == example["answers"][8]
    assert submitted["data"]["extra"]["label"] == "Somewhat difficult"


def test_item_9_raises_a_risk_flag_and_crisis_text(store, alice):
    client = new_client(store, alice)
    token = new_assignment(store, alice, client["id"], measure="phq9")["link"]["token"]
    answers = {f"q{i}": 0 for i in range(1, 10)} | {"q9": 1}
    result = portal.submit(store, token, submission_id="s1", answers=answers, now=at(1),
                           crisis_lines=["Clinic duty line: 020 7946 0001"])
    assert result["flags"] == ["suicidal_ideation"] and result["score"]["total"] == 1
    assert result["crisis"] == CRISIS_TEXT + " Clinic duty line: 020 7946 0001"
    assert result["crisis"].startswith("If you are thinking about harming yourself, contact your local "
                                       "emergency number or crisis line now.")
    assert result["messages"] and "crisis line" in result["messages"][0]
    assert [e["type"] for e in result["events"]] == ["submitted", "measure_scored", "risk_flagged"]
    flag = events.client_events(store, "cln_a", client["id"], types=["risk_flagged"])[0]
    assert flag["data"]["flags"] == ["suicidal_ideation"] and flag["data"]["score_event"] == result["events"][1]["id"]


def test_no_flag_no_crisis_text(store, alice):
    client = new_client(store, alice)
    token = new_assignment(store, alice, client["id"], measure="phq9")["link"]["token"]
    result = portal.submit(store, token, answers=[3, 3, 3, 3, 3, 3, 3, 3, 0], now=at(1))
    assert result["flags"] == [] and result["crisis"] is None
    assert "risk_flagged" not in types_of(store, client)


def test_a_redelivered_submission_records_nothing_twice(store, alice):
    client = new_client(store, alice)
    token = new_assignment(store, alice, client["id"], measure="phq9")["link"]["token"]
    answers = [2, 2, 2, 2, 1, 2, 1, 1, 1]
    first = portal.submit(store, token, submission_id="msg-7", answers=answers, now=at(1))
    again = portal.submit(store, token, submission_id="msg-7", answers=answers, now=at(1, 1))
    assert again == first
    assert types_of(store, client).count("measure_scored") == 1
    assert types_of(store, client).count("risk_flagged") == 1


@pytest.mark.parametrize("kwargs", [
    {"answers": [1] * 8}, {"answers": [4] * 9}, {"answers": {"q1": 1}}, {"fields": {"a": "b"}},
    {"answers": [0] * 9, "extra": 9},
])
def test_invalid_measure_answers_record_nothing(store, alice, kwargs):
    client = new_client(store, alice)
    token = new_assignment(store, alice, client["id"], measure="phq9")["link"]["token"]
    with pytest.raises(InvalidInput):
        portal.submit(store, token, now=at(1), **kwargs)
    assert "submitted" not in types_of(store, client)


def test_rating_and_listening(store, alice):
    client = new_client(store, alice)
    token = new_assignment(store, alice, client["id"], tool_id="body-scan-audio")["link"]["token"]
    portal.audio_played(store, token, 312.44, now=at(1))
    portal.rate(store, token, 4, now=at(1))
    portal.rate(store, token, 5, now=at(2))
    assert portal.view(store, token, now=at(2))["rating"] == 5
    played = events.client_events(store, "cln_a", client["id"], types=["audio_played"])[0]
    assert played["data"]["seconds"] == 312.4 and played["actor"] == "client"
    for bad in (0, 6, 4.5, True, "x"):   # a posted form's "5" is a rating (portal_rules)
        with pytest.raises(InvalidInput):
            portal.rate(store, token, bad, now=at(2))
    for bad in (0, -3, 90_000, "60"):
        with pytest.raises(InvalidInput):
            portal.audio_played(store, token, bad, now=at(2))


def test_the_measure_page_shows_questions_and_own_progress(store, alice):
    client = new_client(store, alice)
    token = new_assignment(store, alice, client["id"], measure="phq9", recur=7)["link"]["token"]
    portal.submit(store, token, answers=[1, 1, 1, 1, 1, 0, 0, 0, 0], now=at(0))
    portal.submit(store, token, answers=[0, 0, 1, 1, 0, 0, 0, 0, 0], now=at(7))
    page = portal.view(store, token, now=at(7, 1))
    assert len(page["measure"]["items"]) == 9 and page["measure"]["options"][3]["label"] == "Nearly every day"
    assert page["progress"]["series"] == [("2026-03-02", 5, "Mild"), ("2026-03-09", 2, "Minimal")]
    assert page["progress"]["chart"].startswith("<svg") and "Minimal (0-4)" in page["progress"]["chart"]
    assert page["assignment"]["status"] == "submitted" and page["assignment"]["due"] == "2026-03-16"


def test_a_paper_form_is_scored_and_flagged_like_an_online_one(store, alice, carol):
    client = new_client(store, alice)
    made = new_assignment(store, alice, client["id"], measure="phq9")
    result = portal.record_on_paper(store, alice, made["assignment"]["id"], taken_on="2026-03-01",
                                    answers=[2, 2, 2, 2, 1, 2, 1, 1, 1], now=at(1))
    assert result["score"]["total"] == 14 and result["flags"] == ["suicidal_ideation"]
    submitted = events.client_events(store, "cln_a", client["id"], types=["submitted"])[0]
    assert submitted["actor"] == "usr_alice" and submitted["data"]["on_paper"] is True
    scored = events.client_events(store, "cln_a", client["id"], types=["measure_scored"])[0]
    assert scored["data"]["taken_on"] == "2026-03-01"
    with pytest.raises(NotFound):
        portal.record_on_paper(store, carol, made["assignment"]["id"], taken_on="2026-03-01", answers=[0] * 9)
