"""Several assignments on a schedule in one step: a workbook "assigned as a pathway" (one chapter's
tools a week, the measure every two weeks) or a tool repeated every N days.

Each step becomes an ordinary assignment (its own portal link), due ``start + offset`` days; all
steps are checked before any is recorded, so a bad step records nothing.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from interlude.actor import Actor
from interlude.errors import InvalidInput
from interlude.ports.documents import DocumentStore
from services.progress.application import assignments, clients, storage

MAX_STEPS = 60
MAX_OFFSET_DAYS = 366


def _steps(raw) -> list[dict]:
    if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_STEPS:
        raise InvalidInput(f"steps must be a list of 1 to {MAX_STEPS} assignments.")
    steps = []
    for number, step in enumerate(raw, start=1):
        if not isinstance(step, dict):
            raise InvalidInput(f"steps[{number}] must be an object with tool_id or measure and offset_days.")
        offset = step.get("offset_days", 0)
        if isinstance(offset, bool) or not isinstance(offset, int) or not 0 <= offset <= MAX_OFFSET_DAYS:
            raise InvalidInput(f"steps[{number}].offset_days must be a whole number of days, 0 to {MAX_OFFSET_DAYS}.")
        if bool(step.get("tool_id")) == bool(step.get("measure")):
            raise InvalidInput(f"steps[{number}] needs a tool_id or a measure (one of them).")
        steps.append({**step, "tool_id": step.get("tool_id") or None, "measure": step.get("measure") or None})
    return steps


def assign_pathway(store: DocumentStore, actor: Actor, client_id: str, start, steps,
                   *, link_days: int = assignments.LINK_DAYS, remind_hours: int | None = None,
                   now: datetime | None = None) -> list[dict]:
    """Assign every step; returns what ``assignments.assign`` returns for each, in order."""
    clients.client_for(store, actor, client_id)
    first = date.fromisoformat(storage.as_date(start, "start"))
    checked = _steps(steps)
    for step in checked:   # the targets and recurrences, before anything is written
        kind = assignments._target(step["tool_id"], None, step["measure"], step.get("tool_version"))[0]
        assignments._recur(step.get("recur"), kind)
    made = []
    for step in checked:
        due = (first + timedelta(days=step.get("offset_days", 0))).isoformat()
        made.append(assignments.assign(store, actor, client_id, due=due, tool_id=step["tool_id"],
                                       tool_version=step.get("tool_version"), measure=step["measure"],
                                       recur=step.get("recur"), title=step.get("title"), link_days=link_days,
                                       remind_hours=remind_hours, now=now))
    return made
