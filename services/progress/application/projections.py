"""Read models computed from events: a client's timeline, the practitioner's dashboard, assignment
status, measure series and trend charts (drawn by the workbook's chart module, the one chart used
by the web app and by workbook editions)."""
from __future__ import annotations

from datetime import datetime

from interlude.actor import Actor
from interlude.errors import InvalidInput, NotFound
from interlude.ports.documents import DocumentStore, TenantScope
from interlude import charts
from services.catalog.contract import Measure
from services.progress.application import clients, events, storage
from services.progress.domain import status


def _summary(event: dict, titles: dict[str, str]) -> str:
    data, kind = event["data"], event["type"]
    title = f"“{titles.get(data.get('assignment_id'), data.get('title', 'an assignment'))}”"
    if kind == "client_created":
        return "Client added"
    if kind == "assigned":
        return f"{'Asked again for' if data.get('again') else 'Assigned'} “{data.get('title')}”, due {data.get('due')}"
    if kind == "opened":
        return f"Opened {title}"
    if kind == "draft_saved":
        return f"Draft of {title} saved ({len(data.get('fields') or {})} fields)"
    if kind == "submitted":
        if data.get("paper_pdf"):
            return f"Filled PDF of {title} uploaded by {'the client' if event['actor'] == 'client' else 'the practitioner'}"
        return f"{'Recorded from paper' if data.get('on_paper') else 'Submitted'} {title}"
    if kind == "rated":
        return f"Rated {title} {data.get('rating')}/5 for helpfulness"
    if kind == "audio_played":
        seconds = int(data.get("seconds") or 0)
        return f"Listened to the audio of {title} for {seconds // 60} min {seconds % 60} s"
    if kind == "measure_scored":
        return f"{_short_name(data.get('measure'))}: {data.get('total')} ({data.get('band') or 'no band'})"
    if kind == "risk_flagged":
        return f"Risk flag on {_short_name(data.get('measure'))}: {', '.join(data.get('flags') or [])}"
    if kind == "workbook_edition_created":
        return f"Workbook edition {data['number']} created" if "number" in data else "Workbook edition created"
    if kind == "assignment_revoked":
        return f"Withdrew {title}"
    if kind == "correction":
        what = "Replaced" if data.get("replacement") is not None else "Withdrew"
        return f"Correction: {what} a {data.get('corrected_type')} event ({data.get('reason')})"
    if kind == "reminder_sent":
        return f"Reminder sent for {title} ({data.get('kind')})"
    return "Record exported"


def _short_name(slug) -> str:
    found = storage.measures().get(slug)
    return found.short_name if found else str(slug)


def _titles(store: DocumentStore, clinic_id: str, client_ids: list[str]) -> dict[str, str]:
    scope = TenantScope(storage.collection(store, storage.ASSIGNMENTS), clinic_id)
    return {a["id"]: a["title"] for a in scope.find({"client_id": {"$in": client_ids}})}


def timeline(store: DocumentStore, actor: Actor, client_id: str) -> list[dict]:
    """Every event of the client in order, corrections and corrected events included, each with a
    readable ``summary``; ``superseded_by`` names the correction that replaced or withdrew it."""
    client = clients.client_for(store, actor, client_id)
    history = events.client_events(store, actor.clinic_id, client["id"])
    corrected = {e["data"]["corrects"]: e["id"] for e in history if e["type"] == "correction"}
    titles = _titles(store, actor.clinic_id, [client["id"]])
    return [{"id": e["id"], "seq": e["seq"], "at": e["at"], "type": e["type"], "actor": e["actor"],
             "summary": _summary(e, titles), "data": e["data"], "superseded_by": corrected.get(e["id"])}
            for e in history]


def client_assignments(store: DocumentStore, actor: Actor, client_id: str, *,
                       now: datetime | None = None) -> list[dict]:
    """The client's assignments, each with its derived ``state`` (see ``status.assignment_status``)."""
    client = clients.client_for(store, actor, client_id)
    history = status.effective(events.client_events(store, actor.clinic_id, client["id"]))
    found = TenantScope(storage.collection(store, storage.ASSIGNMENTS), actor.clinic_id).find(
        {"client_id": client["id"]}, sort=[("created_at", 1)])
    return [{**a, "state": status.assignment_status(a, history, now)} for a in found]


def latest_measures(history: list[dict]) -> dict[str, dict]:
    latest: dict[str, dict] = {}
    for event in history:
        if event["type"] == "measure_scored":
            point = {"date": status.taken_on(event), "total": event["data"]["total"],
                     "band": event["data"].get("band"), "event_id": event["id"]}
            if event["data"]["measure"] not in latest or point["date"] >= latest[event["data"]["measure"]]["date"]:
                latest[event["data"]["measure"]] = point
    return latest


def dashboard(store: DocumentStore, actor: Actor, *, practitioner_id: str | None = None,
              now: datetime | None = None) -> list[dict]:
    """One row per client: assignment counts (``due`` = outstanding and not overdue, ``overdue``,
    ``done`` = submitted at least once), ``next_due``, ``last_activity`` (the client's own latest
    action), ``open_risk_flags`` (not withdrawn by a correction) and the latest score per measure."""
    rows = clients.list_clients(store, actor, practitioner_id=practitioner_id)
    ids = [row["id"] for row in rows]
    by_client = events.events_of_clients(store, actor.clinic_id, ids)
    scope = TenantScope(storage.collection(store, storage.ASSIGNMENTS), actor.clinic_id)
    assignments: dict[str, list[dict]] = {client_id: [] for client_id in ids}
    for start in range(0, len(ids), 500):
        for a in scope.find({"client_id": {"$in": ids[start:start + 500]}}, sort=[("created_at", 1)]):
            assignments[a["client_id"]].append(a)
    out = []
    for row in rows:
        history = status.effective(by_client[row["id"]])
        states = [status.assignment_status(a, history, now) for a in assignments[row["id"]]]
        outstanding = [s for s in states if s["status"] in ("assigned", "opened", "draft")]
        activity = [e["at"] for e in history if e["actor"] == "client"]
        flags = [{"event_id": e["id"], "at": e["at"], "measure": e["data"].get("measure"),
                  "flags": e["data"].get("flags", [])} for e in history if e["type"] == "risk_flagged"]
        out.append({
            "client_id": row["id"], "display_name": row["display_name"], "practitioner_id": row["practitioner_id"],
            "assignments": {"total": len(states), "due": len(outstanding),
                            "overdue": sum(s["status"] == "overdue" for s in states),
                            "done": sum(s["submissions"] > 0 for s in states)},
            "next_due": min((s["due"] for s in outstanding + [s for s in states if s["status"] == "overdue"]),
                            default=None),
            "last_activity": max(activity) if activity else None,
            "open_risk_flags": flags, "latest_measures": latest_measures(history)})
    return out


def series_of(history: list[dict], slug: str) -> list[tuple[str, int, str | None]]:
    """``[(date, total, band)]`` of one measure, oldest first, corrections applied."""
    points = [(status.taken_on(e), e["data"]["total"], e["data"].get("band"), e["seq"])
              for e in history if e["type"] == "measure_scored" and e["data"].get("measure") == slug]
    return [(day, total, band) for day, total, band, _ in sorted(points)]


def measure_series(store: DocumentStore, actor: Actor, client_id: str, slug: str) -> list[tuple[str, int, str | None]]:
    if slug not in storage.measures():
        raise InvalidInput(f"measure must be one of: {', '.join(sorted(storage.measures()))}.")
    client = clients.client_for(store, actor, client_id)
    return series_of(status.effective(events.client_events(store, actor.clinic_id, client["id"])), slug)


def measure_chart(series: list[tuple], measure: Measure) -> str:
    """The trend SVG of a series on the measure's range, its severity bands shaded."""
    scale = charts.measure_scale({
        "scoring": {"min": measure.min, "max": measure.max},
        "bands": [{"min": b.min, "max": b.max, "label": b.label} for b in measure.bands],
        "cutoff": {"min": measure.cutoff[0], "max": measure.cutoff[1]} if measure.cutoff else None})
    return charts.trend_svg([(point[0], point[1]) for point in series], scale, title=measure.short_name)


def trend_svg(store: DocumentStore, actor: Actor, client_id: str, slug: str) -> str:
    return measure_chart(measure_series(store, actor, client_id, slug), storage.measures()[slug])


def workbook_summary(store: DocumentStore, actor: Actor, client_id: str, measure: str | None) -> dict | None:
    """What a later edition of a workbook made for this client prints: homework done and set, and
    the opening measure's points. Read within the acting user's clinic (the workbook names the
    client, and any practitioner of the clinic may render it); None when the client is unknown."""
    reader = Actor(actor.user_id, actor.clinic_id, "clinic_admin")
    try:
        assigned = client_assignments(store, reader, client_id)
    except NotFound:
        return None
    points = measure_series(store, reader, client_id, measure) if measure else []
    return {"homework_done": sum(a["state"]["status"] == "submitted" for a in assigned),
            "homework_set": len(assigned), "measure": measure,
            "points": [[day, total] for day, total, _band in points]}
