"""The practitioner's day at a glance (the web app's dashboard).

A risk flag (PHQ-9 item 9 answered above zero) stays at the top until a practitioner reviews it
with a note (``records.review_risk_flag``: a correction in the record naming the flag, who, when
and the note); reviewed flags are listed after the open ones with that acknowledgement.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from interlude import clock
from interlude.actor import Actor
from interlude.ports.documents import DocumentStore, TenantScope
from services.progress.application import clients, events, storage
from services.progress.domain import status

REVIEWED = "Reviewed: "
INBOX_DAYS = 14
INBOX_SIZE = 30


def overview(store: DocumentStore, actor: Actor, *, now: datetime | None = None) -> dict:
    """``{risk_flags, inbox, overdue, due_this_week}`` over the clients the actor reaches: flags not
    yet acknowledged first (then acknowledged ones with who, when and the note), the latest
    submissions of the last two weeks, and outstanding homework by due date."""
    now = clock.utcnow(now)
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
        # A fit's worksheet and its audio share a title: the tool id lets the page say which it is.
        tool_ids = {a["id"]: (a.get("target") or {}).get("tool_id") for a in assigned[client_id]}
        acks = {e["data"]["corrects"]: e for e in raw
                if e["type"] == "correction" and e["data"].get("corrected_type") == "risk_flagged"}
        scores = {e["data"].get("submission_id"): e["data"] for e in history if e["type"] == "measure_scored"}
        for e in raw:   # reviewed flags are withdrawn from ``history``: they are listed too
            if e["type"] == "risk_flagged":
                ack = acks.get(e["id"])
                flags.append({**who, "event_id": e["id"], "at": e["at"], "measure": e["data"].get("measure"),
                              "flags": e["data"].get("flags", []),
                              "score": (scores.get(e["data"].get("submission_id")) or {}).get("total"),
                              "acknowledged": None if ack is None else
                              {"by": ack["actor"], "at": ack["at"],
                               "note": str(ack["data"].get("reason") or "").removeprefix(REVIEWED)}})
        for e in history:
            if e["type"] == "submitted" and e["at"] >= since:
                score = scores.get(e["data"].get("submission_id"))
                inbox.append({**who, "event_id": e["id"], "at": e["at"],
                              "assignment_id": e["data"].get("assignment_id"),
                              "title": titles.get(e["data"].get("assignment_id"), ""),
                              "tool_id": tool_ids.get(e["data"].get("assignment_id")),
                              "on_paper": bool(e["data"].get("on_paper")),
                              "score": None if score is None else {"total": score.get("total"),
                                                                   "band": score.get("band")}})
        for a in assigned[client_id]:
            state = status.assignment_status(a, history, now)
            item = {**who, "assignment_id": a["id"], "title": a["title"], "tool_id": tool_ids[a["id"]],
                    "due": state["due"], "status": state["status"]}
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
