"""Recording a completed assignment: online through the portal, or entered by the practitioner
from paper. A measure is scored with the published rules (``measures.score``); any flag the measure
defines (PHQ-9 item 9 above 0: ``suicidal_ideation``) also records ``risk_flagged`` and the answer
carries crisis text for the client.

Every event of one submission is keyed by its submission id, so a redelivered submission records
nothing twice and returns the same result, and one interrupted half-way is completed.
"""
from __future__ import annotations

import uuid
from datetime import datetime

from interlude.errors import Conflict, Forbidden, InvalidInput
from interlude.ports.documents import DocumentStore
from interlude.text import plain_text
from services.catalog.contract import Measure, score
from services.progress.application import events, storage
from services.progress.domain import status

CRISIS_TEXT = ("If you are thinking about harming yourself, contact your local emergency number or "
               "crisis line now.")
MAX_CRISIS_LINES = 5


def clean_crisis_lines(lines) -> list[str]:
    """A clinic's own crisis numbers: up to 5 short plain-text lines."""
    if lines is None:
        return []
    if isinstance(lines, str):
        lines = [lines]
    if not isinstance(lines, (list, tuple)) or len(lines) > MAX_CRISIS_LINES:
        raise InvalidInput(f"crisis_lines must be a list of at most {MAX_CRISIS_LINES} lines.")
    return [plain_text(line, "crisis line", max_len=160) for line in lines]


def crisis_text(lines: list[str]) -> str:
    return " ".join([CRISIS_TEXT, *lines])


def score_answers(measure: Measure, answers, extra) -> tuple[dict, dict | None]:
    """Scored answers as item id -> value, and the unscored extra answer if the measure has one."""
    result = score(measure, answers)   # raises InvalidInput with the reason
    if isinstance(answers, dict):
        by_id = {item.id: answers.get(item.id) for item in measure.items}
    else:
        by_id = {item.id: value for item, value in zip(measure.items, answers)}
    if extra is None:
        return {"answers": by_id, "score": result}, None
    options = (measure.extra or {}).get("options") or []
    if isinstance(extra, bool) or not isinstance(extra, int) or not 0 <= extra < len(options):
        raise InvalidInput(f"{measure.short_name} has no such extra answer: give the option's number, "
                           f"0-{max(len(options) - 1, 0)}.")
    return {"answers": by_id, "score": result}, {"id": measure.extra["id"], "value": extra,
                                                  "label": options[extra]}


def record_submission(store: DocumentStore, assignment: dict, *, actor: str, submission_id: str | None,
                      fields: dict | None = None, answers=None, extra: int | None = None,
                      taken_on: str | None = None, crisis_lines=None, paper: dict | None = None,
                      now: datetime | None = None) -> dict:
    """Record one submission of ``assignment`` and return what to show and what was recorded:
    ``{assignment_id, submission_id, submitted_at, score, flags, messages, crisis, events}``.
    ``paper``: the kept filled PDF it was read from (application/paper.py), linked from the event."""
    clinic_id, client_id = assignment["clinic_id"], assignment["client_id"]
    submission_id = submission_id or uuid.uuid4().hex
    if not isinstance(submission_id, str) or not 0 < len(submission_id) <= 100:
        raise InvalidInput("submission_id must be text of at most 100 characters.")
    lines = clean_crisis_lines(crisis_lines)
    data = {"assignment_id": assignment["id"], "submission_id": submission_id, "kind": assignment["kind"]}
    if taken_on is not None:
        data.update(taken_on=storage.as_date(taken_on, "taken_on"), on_paper=True)
    if paper is not None:
        data.update(on_paper=True, paper_pdf=paper)
    measure, scored = None, None
    if assignment["kind"] == "measure":
        if fields is not None or answers is None:
            raise InvalidInput("A measure is submitted with answers, one per item.")
        measure = storage.measures()[assignment["target"]["measure"]]
        scored, extra_answer = score_answers(measure, answers, extra)
        data.update(measure=measure.slug, answers=scored["answers"], extra=extra_answer)
    else:
        if answers is not None or extra is not None:
            raise InvalidInput("A worksheet is submitted with fields, not answers.")
        data["fields"] = storage.clean_fields(fields if fields is not None else {})
    _check_open(store, assignment, submission_id, now)

    recorded = [events.append(store, clinic_id, client_id, "submitted", actor=actor, data=data,
                              idempotency_key=f"submit:{submission_id}", now=now)]
    result = {"assignment_id": assignment["id"], "submission_id": submission_id,
              "submitted_at": recorded[0]["at"], "score": None, "flags": [], "messages": [], "crisis": None}
    if measure is not None:
        summary = scored["score"].to_dict()
        day = data.get("taken_on") or recorded[0]["at"][:10]
        score_data = {"assignment_id": assignment["id"], "submission_id": submission_id,
                      "taken_on": day, "answers": scored["answers"], **summary}
        recorded.append(events.append(store, clinic_id, client_id, "measure_scored", actor="system",
                                      data=score_data, idempotency_key=f"score:{submission_id}", now=now))
        result.update(score=summary, flags=summary["flags"])
        if summary["flags"]:
            messages = [flag.message for flag in measure.flags if flag.name in summary["flags"] and flag.message]
            recorded.append(events.append(
                store, clinic_id, client_id, "risk_flagged", actor="system", now=now,
                idempotency_key=f"risk:{submission_id}",
                data={"assignment_id": assignment["id"], "submission_id": submission_id,
                      "measure": measure.slug, "flags": summary["flags"], "score_event": recorded[1]["id"]}))
            result.update(messages=messages, crisis=crisis_text(lines))
    result["events"] = [{"id": e["id"], "type": e["type"], "seq": e["seq"]} for e in recorded]
    return result


def _check_open(store: DocumentStore, assignment: dict, submission_id: str, now) -> None:
    """Refuse a submission to a revoked assignment, or a second one to a one-off assignment
    (unless it is the same submission delivered again)."""
    key = events.event_id_for(assignment["clinic_id"], assignment["client_id"], f"submit:{submission_id}")
    if events.get_event(store, assignment["clinic_id"], key) is not None:
        return
    history = status.effective(events.client_events(store, assignment["clinic_id"], assignment["client_id"]))
    state = status.assignment_status(assignment, history, now)
    if state["status"] == "revoked":
        raise Forbidden("This assignment was withdrawn by your practitioner.")
    if state["status"] == "submitted" and not assignment.get("recur"):
        raise Conflict("This has already been sent to your practitioner.")
