"""Assignments (a tool, a workbook chapter or a measure, with a due date) and their portal links.

A portal link carries ``secrets.token_urlsafe(32)``; only its SHA-256 is stored, as the id of a
``portal_tokens`` record bound to one clinic, one client and one assignment, with an expiry.
``resolve_portal`` is the only way from a token to data, and it returns that assignment and that
client only. Revocation is an ``assignment_revoked`` event plus a mark on the links; whether an
assignment is revoked is always read from the events.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from interlude import clock
from interlude.actor import Actor
from interlude.errors import Conflict, Forbidden, Gone, InvalidInput, NotFound
from interlude.hashing import token_digest
from interlude.ports.documents import DocumentStore, TenantScope
from interlude.text import plain_text
from services.progress.application import clients, events, storage

KINDS = ("tool", "chapter", "measure")
LINK_DAYS = 30
MAX_LINK_DAYS = 366
MAX_REMIND_HOURS = 14 * 24
MAX_RECUR_DAYS = 365
MAX_TITLE = 140
PUBLIC_FIELDS = ("id", "clinic_id", "client_id", "practitioner_id", "kind", "target", "title", "due",
                 "recur", "created_at", "created_by", "tool_retired_at")


def _assignments(store, clinic_id) -> TenantScope:
    return TenantScope(storage.collection(store, storage.ASSIGNMENTS), clinic_id)


def _tokens(store, clinic_id) -> TenantScope:
    return TenantScope(storage.collection(store, storage.TOKENS), clinic_id)


def _target(tool_id, chapter, measure, tool_version=None) -> tuple[str, dict, str]:
    given = [name for name, value in (("tool_id", tool_id), ("chapter", chapter), ("measure", measure))
             if value is not None]
    if len(given) != 1:
        raise InvalidInput("Assign exactly one of tool_id, chapter ({workbook_id, chapter}) or measure.")
    if tool_id is not None:
        tool_id = storage.identifier(tool_id, "tool_id")
        if tool_version is None:
            return "tool", {"tool_id": tool_id}, tool_id
        # A clinic tool's version: the link keeps showing it after the clinic publishes a newer one.
        if isinstance(tool_version, bool) or not isinstance(tool_version, int) or tool_version < 1:
            raise InvalidInput("tool_version must be a version number, from 1.")
        return "tool", {"tool_id": tool_id, "version": tool_version}, tool_id
    if chapter is not None:
        if not isinstance(chapter, dict) or set(chapter) != {"workbook_id", "chapter"}:
            raise InvalidInput("chapter must be an object {workbook_id, chapter}.")
        number = chapter["chapter"]
        if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= 200:
            raise InvalidInput("chapter.chapter must be the chapter's number, from 1.")
        workbook_id = storage.identifier(chapter["workbook_id"], "chapter.workbook_id")
        return "chapter", {"workbook_id": workbook_id, "chapter": number}, f"Workbook chapter {number}"
    found = storage.measures().get(measure) if isinstance(measure, str) else None
    if found is None:
        raise InvalidInput(f"measure must be one of: {', '.join(sorted(storage.measures()))}.")
    return "measure", {"measure": measure}, found.short_name


def _recur(recur, kind: str) -> dict | None:
    if recur is None:
        return None
    if kind != "measure":
        raise InvalidInput("Only a measure can recur.")
    if recur == "session":
        return {"every": "session"}
    if isinstance(recur, bool) or not isinstance(recur, int) or not 1 <= recur <= MAX_RECUR_DAYS:
        raise InvalidInput(f"recur must be a number of days (1-{MAX_RECUR_DAYS}) or 'session'.")
    return {"every_days": recur}


def _not_past(due, now) -> None:
    """A due date before yesterday (UTC: a day of slack for time zones) is a mistake, not a plan."""
    day = storage.as_date(due, "due")
    earliest = (clock.utcnow(now) - timedelta(days=1)).date().isoformat()
    if day < earliest:
        raise InvalidInput(f"due: {day} is in the past; give today's date or a later one (YYYY-MM-DD).")


def public_assignment(assignment: dict) -> dict:
    return {key: assignment.get(key) for key in PUBLIC_FIELDS}


def assign(store: DocumentStore, actor: Actor, client_id: str, *, due, tool_id: str | None = None,
           tool_version: int | None = None, chapter: dict | None = None, measure: str | None = None, recur=None,
           title: str | None = None, link_days: int = LINK_DAYS, remind_hours: int | None = None,
           request_key: str | None = None, link_secret: str | None = None, now: datetime | None = None) -> dict:
    """Assign one tool, workbook chapter or measure. ``recur`` (measures only): every N days, or
    'session' (the practitioner asks again each session with ``assign_again``). Returns
    ``{"assignment", "link": {"token", "expires_at"}}``; the token is shown this once.

    ``request_key`` with ``link_secret``: the same request delivered again returns the same
    assignment and the same link (its token is derived from the secret and the assignment), and
    records nothing twice."""
    client = clients.client_for(store, actor, client_id)
    kind, target, default_title = _target(tool_id, chapter, measure, tool_version)
    _not_past(due, now)
    assignment = {
        "id": storage.keyed_id("asg", actor.clinic_id, request_key), "client_id": client["id"],
        "practitioner_id": client["practitioner_id"],
        "kind": kind, "target": target, "due": storage.as_date(due, "due"), "recur": _recur(recur, kind),
        "title": plain_text(title, "title", max_len=MAX_TITLE) if title is not None else default_title,
        "created_at": clock.iso(clock.utcnow(now)), "created_by": actor.user_id,
        # the clinic's reminder timing when it was assigned (the gateway passes its clinic settings)
        "remind_hours": _remind_hours(remind_hours)}
    try:
        assignment = _assignments(store, actor.clinic_id).insert(assignment)   # with its clinic_id
    except Conflict:
        stored = _assignments(store, actor.clinic_id).get(assignment["id"]) if request_key is not None else None
        if stored is None or (stored["client_id"], stored["target"]) != (client["id"], target):
            raise Conflict("This request key was already used for another request.") from None
        assignment = stored
    events.append(store, actor.clinic_id, client["id"], "assigned", actor=actor.user_id, now=now,
                  data={"assignment_id": assignment["id"], "kind": kind, "target": target,
                        "title": assignment["title"], "due": assignment["due"], "recur": assignment["recur"]},
                  idempotency_key=f"assigned:{assignment['id']}")
    token = None
    if request_key is not None and link_secret:
        token = base64.urlsafe_b64encode(hmac.new(link_secret.encode(), f"portal-link\n{assignment['id']}".encode(),
                                                  hashlib.sha256).digest()).decode().rstrip("=")
    link = _new_link(store, actor.clinic_id, assignment, link_days, now, token=token)
    return {"assignment": public_assignment(assignment), "link": link}


def assignment_for(store: DocumentStore, actor: Actor, assignment_id: str) -> dict:
    """The assignment if ``actor`` may reach its client."""
    assignment = _assignments(store, actor.clinic_id).get(assignment_id) if isinstance(assignment_id, str) else None
    if assignment is None:
        raise NotFound("No such assignment.")
    clients.client_for(store, actor, assignment["client_id"])
    return assignment


def get_assignment(store: DocumentStore, actor: Actor, assignment_id: str) -> dict:
    return public_assignment(assignment_for(store, actor, assignment_id))


def list_assignments(store: DocumentStore, actor: Actor, client_id: str) -> list[dict]:
    clients.client_for(store, actor, client_id)
    found = _assignments(store, actor.clinic_id).find({"client_id": client_id}, sort=[("created_at", 1)])
    return [public_assignment(a) for a in found]


def is_revoked(store: DocumentStore, assignment: dict) -> bool:
    revocations = events.client_events(store, assignment["clinic_id"], assignment["client_id"],
                                       types=["assignment_revoked"])
    return any(e["data"].get("assignment_id") == assignment["id"] for e in revocations)


def _remind_hours(hours) -> int | None:
    if hours is None:
        return None
    if isinstance(hours, bool) or not isinstance(hours, int) or not 1 <= hours <= MAX_REMIND_HOURS:
        raise InvalidInput(f"reminder_hours: a whole number of hours, 1 to {MAX_REMIND_HOURS}.")
    return hours


def _new_link(store, clinic_id: str, assignment: dict, days, now, token: str | None = None) -> dict:
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_LINK_DAYS:
        raise InvalidInput(f"A link lasts 1-{MAX_LINK_DAYS} days.")
    token, moment = token or secrets.token_urlsafe(32), clock.utcnow(now)
    expires_at = clock.iso(moment + timedelta(days=days))
    try:
        _tokens(store, clinic_id).insert({
            "id": token_digest(token), "client_id": assignment["client_id"], "assignment_id": assignment["id"],
            "created_at": clock.iso(moment), "expires_at": expires_at, "revoked_at": None})
    except Conflict:
        # the same derived link, from a redelivered request: the one already stored
        stored = _tokens(store, clinic_id).get(token_digest(token))
        if stored is None or stored["assignment_id"] != assignment["id"]:
            raise
        expires_at = stored["expires_at"]
    return {"token": token, "expires_at": expires_at}


def issue_link(store: DocumentStore, actor: Actor, assignment_id: str, *, days: int = LINK_DAYS,
               revoke_previous: bool = True, now: datetime | None = None) -> dict:
    """A new portal link for the assignment (by default the earlier links stop working)."""
    assignment = assignment_for(store, actor, assignment_id)
    if is_revoked(store, assignment):
        raise Forbidden("This assignment was revoked: assign it again instead.")
    if revoke_previous:
        revoke_links(store, actor, assignment_id, now=now)
    return _new_link(store, actor.clinic_id, assignment, days, now)


def revoke_links(store: DocumentStore, actor: Actor, assignment_id: str, *, now: datetime | None = None) -> int:
    """Every live link of the assignment stops working (403); returns how many were live."""
    assignment_for(store, actor, assignment_id)
    tokens, count = _tokens(store, actor.clinic_id), 0
    for link in tokens.find({"assignment_id": assignment_id, "revoked_at": None}):
        count += tokens.update(link["id"], {"revoked_at": clock.iso(clock.utcnow(now))},
                               expect={"revoked_at": None}) is not None
    return count


def revoke_assignment(store: DocumentStore, actor: Actor, assignment_id: str, *, reason: str | None = None,
                      now: datetime | None = None) -> dict:
    """Withdraw the assignment: an ``assignment_revoked`` event, and its links answer 403."""
    assignment = assignment_for(store, actor, assignment_id)
    data = {"assignment_id": assignment_id,
            "reason": plain_text(reason, "reason", max_len=500, required=False) if reason else None}
    event = events.append(store, actor.clinic_id, assignment["client_id"], "assignment_revoked",
                          actor=actor.user_id, data=data, idempotency_key=f"revoke:{assignment_id}", now=now)
    revoke_links(store, actor, assignment_id, now=now)
    return event


def assign_again(store: DocumentStore, actor: Actor, assignment_id: str, *, due,
                 now: datetime | None = None) -> dict:
    """Ask for a recurring measure again (e.g. each session) with a new due date: an ``assigned``
    event for the same assignment. The existing links keep working."""
    assignment = assignment_for(store, actor, assignment_id)
    if not assignment.get("recur"):
        raise InvalidInput("Only a recurring measure can be asked for again; assign a new one instead.")
    if is_revoked(store, assignment):
        raise Forbidden("This assignment was revoked.")
    _not_past(due, now)
    data = {"assignment_id": assignment_id, "kind": assignment["kind"], "target": assignment["target"],
            "title": assignment["title"], "due": storage.as_date(due, "due"), "recur": assignment["recur"],
            "again": True}
    return events.append(store, actor.clinic_id, assignment["client_id"], "assigned",
                         actor=actor.user_id, data=data, now=now)


def resolve_portal(store: DocumentStore, token: str, *, now: datetime | None = None) -> tuple[dict, dict]:
    """(assignment, client) for a portal token. Raises NotFound (unknown), Forbidden (revoked, 403)
    or Gone (expired, 410)."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        raise NotFound("This link is not valid.")
    link = storage.collection(store, storage.TOKENS).get(token_digest(token))
    if link is None:
        raise NotFound("This link is not valid.")
    if link.get("revoked_at"):
        raise Forbidden("This link was withdrawn by your practitioner.")
    if clock.parse_iso(link["expires_at"]) <= clock.utcnow(now):
        raise Gone("This link has expired: ask your practitioner for a new one.")
    assignment = _assignments(store, link["clinic_id"]).get(link["assignment_id"])
    if assignment is None or assignment["client_id"] != link["client_id"]:
        raise NotFound("This link is not valid.")
    if is_revoked(store, assignment):
        raise Forbidden("This link was withdrawn by your practitioner.")
    client = clients.require_client(store, link["clinic_id"], link["client_id"])
    return assignment, client


def mark_tool_retired(store: DocumentStore, tool_id: str, *, now: datetime | None = None) -> int:
    """The catalogue retired a tool: its assignments stay readable (they keep their title, and the
    catalogue keeps the retired tool), and are marked so a dashboard can say the tool is retired."""
    collection = storage.collection(store, storage.ASSIGNMENTS)
    marked = 0
    for assignment in collection.find({"kind": "tool", "tool_retired_at": None}):
        if (assignment.get("target") or {}).get("tool_id") == tool_id:
            collection.update(assignment["id"], {"tool_retired_at": clock.iso(clock.utcnow(now))})
            marked += 1
    return marked
