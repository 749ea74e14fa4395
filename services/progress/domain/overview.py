"""The practitioner's day at a glance (the web app's dashboard), and acknowledging a risk flag.

A risk flag (PHQ-9 item 9 answered above zero) stays on the dashboard until a practitioner
acknowledges it with a note. The acknowledgement is an event in the client's record
(``risk_acknowledged``: who, when, the note, the flag's event id), so the record keeps it forever;
a second acknowledgement of the same flag is refused.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from interlude.actor import Actor
from interlude.errors import Conflict, InvalidInput, NotFound
from interlude.ports.documents import DocumentStore, TenantScope
from services.progress.domain import clients, events, status, storage

MAX_NOTE = 2000
INBOX_DAYS = 14
INBOX_SIZE = 30


def acknowledge_flag(store: DocumentStore, actor: Actor, client_id: str, flag_event_id: str, note,
                     *, now: datetime | None = None) -> dict:
    client = clients.client_for(store, actor, client_id)
    note = " ".join(str(note or "").split()) if isinstance(note, str) else ""
    if not 1 <= len(note) <= MAX_NOTE:
        raise InvalidInput(f"note: say what you did about this flag (1 to {MAX_NOTE} characters).")
    flag = events.get_event(store, actor.clinic_id, str(flag_event_id or ""))
    if flag is None or flag["client_id"] != client["id"] or flag["type"] != "risk_flagged":
        raise NotFound("No such risk flag in this client's record.")
    done = events.client_events(store, actor.clinic_id, client["id"], types=["risk_acknowledged"])
    if any(e["data"].get("flag_event_id") == flag["id"] for e in done):
        raise Conflict("This flag was already acknowledged.")
    return events.append(store, actor.clinic_id, client["id"], "risk_acknowledged", actor=actor.user_id, now=now,
                         data={"flag_event_id": flag["id"], "note": note, "measure": flag["data"].get("measure"),
                               "assignment_id": flag["data"].get("assignment_id")},
                         idempotency_key=f"ack:{flag['id']}")


def overview(store: DocumentStore, actor: Actor, *, now: datetime | None = None) -> dict:
    """``{risk_flags, inbox, overdue, due_this_week}`` over the clients the actor reaches: flags not
    yet acknowledged first (then acknowledged ones with who, when and the note), the latest
    submissions of the last two weeks, and outstanding homework by due date."""
    now = storage.utcnow(now)
    rows = clients.list_clients(store, actor)
    names = {row["id"]: row["display_name"] for row in rows}
    by_client = events.events_of_clients(store, actor.clinic_id, list(names))
    scope = TenantScope(storage.collection(store, storage.ASSIGNMENTS), actor.clinic_id)
    assigned: dict[str, list[dict]] = {client_id: [] for client_id in names}
    ids = list(names)
    for start in range(0, len(ids), 500):
        for a in scope.find({"client_id": {"$in": ids[start:start + 500]}}, sort=[("created_at", 1)]):
            assigned[a["client_id"]].append(a)
    since = (now - timedelta(days=INBOX_DAYS)).isoformat()
    week_end = (now.date() + timedelta(days=7)).isoformat()
    flags, inbox, overdue, due_soon = [], [], [], []
    for client_id, raw in by_client.items():
        who = {"client_id": client_id, "display_name": names[client_id]}
        history = status.effective(raw)
        titles = {a["id"]: a["title"] for a in assigned[client_id]}
        acks = {e["data"]["flag_event_id"]: e for e in raw if e["type"] == "risk_acknowledged"}
        scores = {e["data"].get("submission_id"): e["data"] for e in history if e["type"] == "measure_scored"}
        for e in history:
            if e["type"] == "risk_flagged":
                ack = acks.get(e["id"])
                flags.append({**who, "event_id": e["id"], "at": e["at"], "measure": e["data"].get("measure"),
                              "flags": e["data"].get("flags", []),
                              "score": (scores.get(e["data"].get("submission_id")) or {}).get("total"),
                              "acknowledged": None if ack is None else
                              {"by": ack["actor"], "at": ack["at"], "note": ack["data"]["note"]}})
            elif e["type"] == "submitted" and e["at"] >= since:
                score = scores.get(e["data"].get("submission_id"))
                inbox.append({**who, "event_id": e["id"], "at": e["at"],
                              "assignment_id": e["data"].get("assignment_id"),
                              "title": titles.get(e["data"].get("assignment_id"), ""),
                              "on_paper": bool(e["data"].get("on_paper")),
                              "score": None if score is None else {"total": score.get("total"),
                                                                   "band": score.get("band")}})
        for a in assigned[client_id]:
            state = status.assignment_status(a, history, now)
            item = {**who, "assignment_id": a["id"], "title": a["title"], "due": state["due"],
                    "status": state["status"]}
            if state["status"] == "overdue":
                overdue.append(item)
            elif state["status"] in ("assigned", "opened", "draft") and state["due"] and state["due"] <= week_end:
                due_soon.append(item)
    flags.sort(key=lambda f: (f["acknowledged"] is not None, _desc(f["at"])))
    inbox.sort(key=lambda i: _desc(i["at"]))
    overdue.sort(key=lambda i: i["due"] or "")
    due_soon.sort(key=lambda i: i["due"] or "")
    return {"risk_flags": flags, "inbox": inbox[:INBOX_SIZE], "overdue": overdue, "due_this_week": due_soon,
            "today": now.date().isoformat()}


def _desc(text: str) -> tuple:
    """Sort key putting later ISO timestamps first."""
    return tuple(-ord(ch) for ch in text)
