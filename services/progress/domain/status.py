"""Pure derivations from a client's events: corrections applied, an assignment's current due date
and status, the latest draft. Nothing here is stored; every projection is computed from events.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from interlude import clock

STATUSES = ("assigned", "opened", "draft", "submitted", "overdue", "revoked")
REMIND_WINDOW = timedelta(hours=24)   # "due soon" starts this long before the deadline


def deadline(due: str) -> datetime:
    """A due date means 'by the end of that day' (UTC)."""
    return datetime.combine(date.fromisoformat(due), time(), timezone.utc) + timedelta(days=1)


def effective(events: list[dict]) -> list[dict]:
    """The events as projections read them: corrections left out, each corrected event withdrawn
    or, with a replacement, standing with the replacement's data (``corrected_by`` names the
    correction). The latest correction of an event wins."""
    latest = {e["data"]["corrects"]: e for e in events if e["type"] == "correction"}
    out = []
    for event in events:
        if event["type"] == "correction":
            continue
        correction = latest.get(event["id"])
        if correction is None:
            out.append(event)
        elif correction["data"].get("replacement") is not None:
            out.append({**event, "data": correction["data"]["replacement"], "corrected_by": correction["id"]})
    return out


def of_assignment(events: list[dict], assignment_id: str) -> list[dict]:
    return [e for e in events if e["data"].get("assignment_id") == assignment_id]


def taken_on(event: dict) -> str:
    """The day a submission or score belongs to (a paper form's own date, else when recorded)."""
    return event["data"].get("taken_on") or event["at"][:10]


def _cycle(assignment: dict, mine: list[dict]) -> tuple[dict | None, list[dict], str | None]:
    """(last submission, events since it, current due date or None when nothing is due)."""
    submissions = [e for e in mine if e["type"] == "submitted"]
    last = submissions[-1] if submissions else None
    since = [e for e in mine if last is None or e["seq"] > last["seq"]]
    again = [e for e in since if e["type"] == "assigned" and e["data"].get("again")]
    every = (assignment.get("recur") or {}).get("every_days")
    if again:
        due = again[-1]["data"]["due"]
    elif last is None:
        due = assignment["due"]
    elif every:
        due = (date.fromisoformat(taken_on(last)) + timedelta(days=every)).isoformat()
    else:
        due = None
    return last, since, due


def assignment_status(assignment: dict, events: list[dict], now: datetime | None = None) -> dict:
    """Where an assignment stands, from the client's effective events:
    ``{assignment_id, status, due, opened_at, draft_saved_at, submitted_at, submissions,
    last_activity}``. A recurring measure reads 'submitted' until its next due date is near."""
    now = clock.utcnow(now)
    mine = of_assignment(events, assignment["id"])
    last, since, due = _cycle(assignment, mine)
    opened = [e for e in since if e["type"] == "opened"]
    drafts = [e for e in since if e["type"] == "draft_saved"]
    restarted = bool(drafts) or any(e["type"] == "assigned" and e["data"].get("again") for e in since)
    if any(e["type"] == "assignment_revoked" for e in mine):
        status = "revoked"
    elif due is None:
        status = "submitted"
    elif last is not None and not restarted and now < deadline(due) - REMIND_WINDOW:
        status = "submitted"
    elif now >= deadline(due):
        status = "overdue"
    else:
        status = "draft" if drafts else "opened" if opened else "assigned"
    activity = [e["at"] for e in mine if e["actor"] == "client"]
    return {"assignment_id": assignment["id"], "status": status, "due": due,
            "opened_at": opened[0]["at"] if opened else None,
            "draft_saved_at": drafts[-1]["at"] if drafts else None,
            "submitted_at": last["at"] if last else None,
            "submissions": sum(e["type"] == "submitted" for e in mine),
            "last_activity": max(activity) if activity else None}


def latest_draft(events: list[dict], assignment: dict) -> dict | None:
    """The draft being written: the last ``draft_saved`` since the last submission, or None."""
    _, since, _ = _cycle(assignment, of_assignment(events, assignment["id"]))
    drafts = [e for e in since if e["type"] == "draft_saved"]
    return {"fields": drafts[-1]["data"]["fields"], "saved_at": drafts[-1]["at"]} if drafts else None
