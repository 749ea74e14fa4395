"""The audit log: who read or changed which client's data, when and from where (issue #17).

The progress service owns it because it owns the client record: the gateway sends one entry per
request that touched client data (``record_access``, a synchronous RPC: the request fails with 503
when its entry cannot be written, so no answer leaves without its trace), the render of a
client's workbook and the clinic export append their own. The log is append-only: it is reached
only through ``AppendOnly`` (insert and read) and no call updates or deletes an entry.

An entry holds ids, an action, a route, the caller's kind and address: never a client's name,
answers or notes. Every field is checked against a closed list and an id pattern here, so free
text cannot slip in from a caller.
"""
from __future__ import annotations

import ipaddress
import re
from datetime import date, datetime, timedelta

from interlude import clock
from interlude.actor import Actor
from interlude.errors import InvalidInput
from interlude.hashing import token_digest
from interlude.paging import parse_paging
from interlude.ports.documents import AppendOnly, DocumentStore
from services.progress.application import storage

ACTOR_KINDS = ("user", "api_key", "portal_link", "signed_link", "system", "operator")
SUBJECTS = ("client_id", "assignment_id", "workbook_id")          # top-level, queryable
DETAILS = ("event_id", "job_id", "edition", "tool_id", "measure", "key")  # further ids, kept together
_ID = re.compile(r"^[A-Za-z0-9_@.:/-]{1,120}$")
_WORD = re.compile(r"^[a-z][a-z0-9_.]{0,59}$")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
MAX_ENTRIES_PER_CALL = 100


def _log(store: DocumentStore) -> AppendOnly:
    return AppendOnly(storage.collection(store, storage.AUDIT))


def _id_or_none(value, what: str):
    if value is None or value == "":
        return None
    value = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    if not isinstance(value, str) or not _ID.match(value):
        raise InvalidInput(f"{what} must be an id (letters, digits and _@.:/-, at most 120).")
    return value


def _word(value, what: str) -> str:
    if not isinstance(value, str) or not _WORD.match(value):
        raise InvalidInput(f"{what} must be a lower-case word such as client.read.")
    return value


def _ip(value) -> str | None:
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(str(value)))
    except ValueError:
        raise InvalidInput("ip must be an IPv4 or IPv6 address.") from None


def _counts(value) -> dict | None:
    """How many of what (e.g. the events an export held): words to whole numbers, nothing else."""
    if not value:
        return None
    if not isinstance(value, dict) or not all(
            isinstance(v, int) and not isinstance(v, bool) and _WORD.match(str(k)) for k, v in value.items()):
        raise InvalidInput("counts must map words to whole numbers.")
    return dict(value)


def build_entry(raw: dict, *, clinic_id: str, now: datetime | None = None) -> dict:
    """A checked entry from what a caller sent: known fields only, ids only."""
    if not isinstance(raw, dict):
        raise InvalidInput("Each audit entry must be an object.")
    kind = raw.get("actor_kind")
    if kind not in ACTOR_KINDS:
        raise InvalidInput(f"actor_kind must be one of {', '.join(ACTOR_KINDS)}.")
    request_id = raw.get("request_id")
    if request_id is not None and (not isinstance(request_id, str) or not _REQUEST_ID.match(request_id)):
        raise InvalidInput("request_id must be 1-64 letters, digits or '._-'.")
    details = {name: _id_or_none(raw.get(name), name) for name in DETAILS}
    entry = {"id": _id_or_none(raw.get("id"), "id") or storage.new_id("aud"), "at": clock.iso(clock.utcnow(now)),
             "clinic_id": _id_or_none(clinic_id, "clinic_id"), "actor_kind": kind,
             "user_id": _id_or_none(raw.get("user_id"), "user_id"),
             "role": _id_or_none(raw.get("role"), "role"),
             "api_key_id": _id_or_none(raw.get("api_key_id"), "api_key_id"),
             "action": _word(raw.get("action"), "action"),
             "route": _word(raw["route"], "route") if raw.get("route") else None,
             "method": raw.get("method") if raw.get("method") in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
             else None,
             "ip": _ip(raw.get("ip")), "request_id": request_id,
             **{name: _id_or_none(raw.get(name), name) for name in SUBJECTS},
             "details": {k: v for k, v in details.items() if v is not None} or None,
             "counts": _counts(raw.get("counts"))}
    if not entry["clinic_id"]:
        raise InvalidInput("An audit entry needs the clinic it concerns.")
    return entry


def append(store: DocumentStore, raw: dict, *, clinic_id: str, now: datetime | None = None) -> dict:
    """Append one entry. An entry id given by the caller makes the append idempotent (a redelivered
    event finds its entry instead of writing a second)."""
    entry = build_entry(raw, clinic_id=clinic_id, now=now)
    log = _log(store)
    if raw.get("id") and log.get(entry["id"]) is not None:
        return log.get(entry["id"])
    return log.insert(entry)


def _portal_subject(store: DocumentStore, token) -> dict | None:
    """The clinic, client and assignment a portal token belongs to (the token itself is never kept)."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None
    link = storage.collection(store, storage.TOKENS).get(token_digest(token))
    if link is None:
        return None
    return {"clinic_id": link["clinic_id"], "client_id": link["client_id"], "assignment_id": link["assignment_id"]}


def record_access(store: DocumentStore, entries: list, *, now: datetime | None = None) -> list[str]:
    """The gateway's entries for one request. A user's entry carries its actor (the clinic comes
    from it); a portal entry carries the link's token, resolved here to clinic, client and
    assignment. Returns the ids written. Raises InvalidInput on a malformed entry (nothing written)."""
    if not isinstance(entries, list) or not 1 <= len(entries) <= MAX_ENTRIES_PER_CALL:
        raise InvalidInput(f"entries must be a list of 1 to {MAX_ENTRIES_PER_CALL} audit entries.")
    checked = []
    for raw in entries:
        raw = dict(raw or {})
        if raw.get("actor_kind") == "portal_link":
            subject = _portal_subject(store, raw.pop("portal_token", None))
            if subject is None:
                raise InvalidInput("A portal entry needs the link's token.")
            raw.update(subject)   # the link decides the subject, not the caller
        elif "actor" in raw:
            actor = Actor.from_dict(raw.pop("actor"))
            raw.update(user_id=actor.user_id, role=actor.role, clinic_id=actor.clinic_id)
        checked.append(build_entry(raw, clinic_id=raw.get("clinic_id"), now=now))
    log = _log(store)
    return [log.insert(entry)["id"] for entry in checked]


def record_render(store: DocumentStore, rendered: dict, *, now: datetime | None = None) -> dict:
    """The workbook service rendered a workbook (its client's, when it was made for one)."""
    return append(store, {"id": f"aud_render_{rendered['job_id']}", "actor_kind": "system",
                          "user_id": rendered.get("requested_by"), "action": "workbook.rendered",
                          "workbook_id": rendered["workbook_id"], "client_id": rendered.get("client_id"),
                          "job_id": rendered["job_id"], "edition": rendered.get("edition")},
                  clinic_id=rendered["clinic_id"], now=now)


# reading --------------------------------------------------------------------------------
def _moment(value, what: str, *, end: bool) -> str | None:
    """A bound of the date range: a day (YYYY-MM-DD; ``to`` takes the whole day) or a moment."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            moment = datetime(day.year, day.month, day.day) + (timedelta(days=1) if end else timedelta())
            return clock.iso(moment)
        return clock.iso(datetime.fromisoformat(text))
    except ValueError:
        raise InvalidInput(f"{what} must be a date (YYYY-MM-DD) or an ISO date and time.") from None


def query(store: DocumentStore, actor: Actor, params: dict) -> dict:
    """A clinic admin's view of the clinic's log, newest first, by client, user, date range (and
    request id, the one an error page quotes):
    ``{entries, page, per_page, total}``. Practitioners may not read it (Forbidden)."""
    actor.require_role("clinic_admin")
    params = dict(params or {})
    page, per_page = parse_paging(params, default_per_page=50)
    where: dict = {"clinic_id": actor.clinic_id}
    for name in ("client_id", "user_id", "request_id"):
        value = _id_or_none(params.get(name), name)
        if value:
            where[name] = value
    start, end = _moment(params.get("from"), "from", end=False), _moment(params.get("to"), "to", end=True)
    if start and end and start >= end:
        raise InvalidInput("from must be before to.")
    bounds = {**({"$gte": start} if start else {}), **({"$lt": end} if end else {})}
    if bounds:
        where["at"] = bounds
    log = _log(store)
    return {"entries": log.find(where, sort=[("at", -1)], limit=per_page, skip=(page - 1) * per_page),
            "page": page, "per_page": per_page, "total": log.count(where)}


def clinic_entries(store: DocumentStore, clinic_id: str) -> list[dict]:
    """Every entry of a clinic, oldest first (the clinic export carries its log)."""
    return _log(store).find({"clinic_id": clinic_id}, sort=[("at", 1)])
