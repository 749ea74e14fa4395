"""Projections from events: assignment status, dashboard (overdue, risk flags, latest scores),
measure series and trend charts, timeline, and corrections superseding what they correct."""
import pytest

from interlude.errors import NotFound
from services.progress.application import assignments, events, portal, projections, records
from services.progress.domain import status

from .conftest import at, new_assignment, new_client


def states(store, actor, client, now):
    return [a["state"]["status"] for a in projections.client_assignments(store, actor, client["id"], now=now)]


def test_status_is_derived_from_events(store, alice):
    client = new_client(store, alice)
    token = new_assignment(store, alice, client["id"], due="2026-03-06")["link"]["token"]
    assert states(store, alice, client, at(1)) == ["assigned"]
    portal.open_assignment(store, token, now=at(1))
    assert states(store, alice, client, at(1)) == ["opened"]
    portal.save_draft(store, token, {"a": "b"}, now=at(1))
    assert states(store, alice, client, at(1)) == ["draft"]
    assert states(store, alice, client, at(5)) == ["overdue"]     # due by the end of Friday 6 March
    portal.submit(store, token, fields={"a": "b"}, now=at(5))
    assert states(store, alice, client, at(5)) == ["submitted"]
    stored = assignments.list_assignments(store, alice, client["id"])[0]
    assert "status" not in stored and "state" not in stored


def test_a_recurring_measure_comes_due_again(store, alice):
    client = new_client(store, alice)
    made = new_assignment(store, alice, client["id"], measure="gad7", recur=7, due="2026-03-02")
    token = made["link"]["token"]
    portal.submit(store, token, answers=[1] * 7, now=at(0))
    overview = projections.client_assignments(store, alice, client["id"], now=at(1))[0]["state"]
    assert (overview["status"], overview["due"]) == ("submitted", "2026-03-09")
    assert states(store, alice, client, at(7)) == ["assigned"]       # within a day of the next due date
    assert states(store, alice, client, at(8)) == ["overdue"]
    session = new_assignment(store, alice, client["id"], measure="phq9", recur="session", due="2026-03-02")
    portal.submit(store, session["link"]["token"], answers=[0] * 9, now=at(0))

    def session_state(now):
        return next(a["state"] for a in projections.client_assignments(store, alice, client["id"], now=now)
                    if a["id"] == session["assignment"]["id"])

    assert session_state(at(20))["status"] == "submitted"
    assignments.assign_again(store, alice, session["assignment"]["id"], due="2026-03-30", now=at(20))
    state = session_state(at(21))
    assert (state["status"], state["due"], state["submissions"]) == ("assigned", "2026-03-30", 1)


def test_dashboard_counts_overdue_flags_and_latest_scores(store, alice, bob, admin):
    sam, _kim = new_client(store, alice, "Sam"), new_client(store, alice, "Kim")
    new_client(store, bob, "Bob's client")
    new_assignment(store, alice, sam["id"], due="2026-03-03")                  # will be overdue
    new_assignment(store, alice, sam["id"], tool_id="grounding", due="2026-03-20")
    phq = new_assignment(store, alice, sam["id"], measure="phq9", recur=14, due="2026-03-02")
    portal.submit(store, phq["link"]["token"], answers=[2, 2, 2, 2, 1, 2, 1, 1, 1], now=at(0, 2))
    board = {row["display_name"]: row for row in projections.dashboard(store, alice, now=at(5))}
    assert set(board) == {"Sam", "Kim"}
    row = board["Sam"]
    assert row["assignments"] == {"total": 3, "due": 1, "overdue": 1, "done": 1}
    assert row["next_due"] == "2026-03-03"
    assert row["last_activity"] == "2026-03-02T11:00:00.000000+00:00"
    assert [f["flags"] for f in row["open_risk_flags"]] == [["suicidal_ideation"]]
    assert row["latest_measures"]["phq9"]["total"] == 14 and row["latest_measures"]["phq9"]["band"] == "Moderate"
    assert board["Kim"]["assignments"]["total"] == 0 and board["Kim"]["last_activity"] is None
    assert len(projections.dashboard(store, admin, now=at(5))) == 3
    # once followed up, the flag leaves the open list but stays in the record
    flag_id = row["open_risk_flags"][0]["event_id"]
    records.review_risk_flag(store, alice, sam["id"], flag_id, note="Called; safety plan in place", now=at(5))
    assert projections.dashboard(store, alice, now=at(5))[1]["open_risk_flags"] == []
    assert any(e["id"] == flag_id for e in projections.timeline(store, alice, sam["id"]))


def test_measure_series_and_trend_chart(store, alice, carol):
    client = new_client(store, alice)
    token = new_assignment(store, alice, client["id"], measure="phq9", recur=7, due="2026-03-02")["link"]["token"]
    weeks = ((0, [3, 3, 2, 3, 2, 3, 2, 2, 0]), (7, [2, 2, 2, 2, 1, 2, 1, 1, 1]), (14, [1, 1, 1, 1, 1, 0, 0, 0, 0]))
    for day, answers in weeks:
        portal.submit(store, token, answers=answers, now=at(day))
    series = projections.measure_series(store, alice, client["id"], "phq9")
    assert series == [("2026-03-02", 20, "Severe"), ("2026-03-09", 14, "Moderate"), ("2026-03-16", 5, "Mild")]
    assert projections.measure_series(store, alice, client["id"], "gad7") == []
    svg = projections.trend_svg(store, alice, client["id"], "phq9")
    assert svg.startswith("<svg") and svg.count("<circle") == 3 and "Moderately severe (15-19)" in svg
    assert "<title>PHQ-9</title>" in svg
    with pytest.raises(NotFound):
        projections.trend_svg(store, carol, client["id"], "phq9")


def test_a_correction_supersedes_in_projections_and_both_stay_in_the_timeline(store, alice):
    client = new_client(store, alice)
    made = new_assignment(store, alice, client["id"], measure="phq9")
    result = portal.record_on_paper(store, alice, made["assignment"]["id"], taken_on="2026-03-02",
                                    answers=[3, 3, 3, 3, 3, 3, 3, 3, 0], now=at(0))
    score_id = result["events"][1]["id"]
    correction = records.correct_measure(store, alice, client["id"], score_id, answers=[1, 1, 1, 1, 1, 1, 1, 1, 0],
                                         reason="Misread the paper form", now=at(1))
    assert projections.measure_series(store, alice, client["id"], "phq9") == [("2026-03-02", 8, "Mild")]
    line = projections.timeline(store, alice, client["id"])
    assert [e["type"] for e in line] == ["client_created", "assigned", "submitted", "measure_scored", "correction"]
    original = next(e for e in line if e["id"] == score_id)
    assert original["data"]["total"] == 24 and original["superseded_by"] == correction["id"]
    assert original["summary"] == "PHQ-9: 24 (Severe)" and line[-1]["superseded_by"] is None
    assert "Misread the paper form" in line[-1]["summary"]
    # a withdrawn submission no longer counts: the assignment is open again
    submitted = next(e for e in line if e["type"] == "submitted")
    records.withdraw_event(store, alice, client["id"], submitted["id"], reason="Wrong client's form", now=at(1))
    assert states(store, alice, client, at(1)) == ["assigned"]


def test_effective_applies_the_latest_correction():
    base = {"clinic_id": "c", "client_id": "k", "actor": "system", "at": "2026-03-02T09:00:00.000000+00:00"}
    scored = {**base, "id": "e1", "seq": 1, "type": "measure_scored", "data": {"total": 9}}
    def correction(event_id, seq, replacement):
        return {**base, "id": event_id, "seq": seq, "type": "correction",
                "data": {"corrects": "e1", "replacement": replacement}}

    first, second = correction("e2", 2, {"total": 7}), correction("e3", 3, {"total": 6})
    assert [e["data"]["total"] for e in status.effective([scored, first, second])] == [6]
    withdrawn = correction("e4", 4, None)
    assert status.effective([scored, first, withdrawn]) == []


def test_timeline_is_readable(store, alice):
    client = new_client(store, alice)
    token = new_assignment(store, alice, client["id"], title="Thought record", due="2026-03-06")["link"]["token"]
    portal.open_assignment(store, token, now=at(1))
    portal.audio_played(store, token, 125, now=at(1))
    portal.rate(store, token, 4, now=at(1))
    events.append(store, "cln_a", client["id"], "workbook_edition_created", actor="system",
                  data={"workbook_id": "wb_1", "number": 2}, idempotency_key="wb_1:2")
    summaries = [e["summary"] for e in projections.timeline(store, alice, client["id"])]
    assert summaries == ["Client added", "Assigned “Thought record”, due 2026-03-06", "Opened “Thought record”",
                         "Listened to the audio of “Thought record” for 2 min 5 s",
                         "Rated “Thought record” 4/5 for helpfulness", "Workbook edition 2 created"]
