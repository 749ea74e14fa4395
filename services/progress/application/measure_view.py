"""A client's measure for the web app's chart: the trend over a chosen window (3 months, 6 months
or everything) with its severity bands, and the item-level answers of each date."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from interlude import clock
from interlude.actor import Actor
from interlude.errors import InvalidInput
from interlude.ports.documents import DocumentStore
from services.progress.application import clients, events, projections, storage
from services.progress.domain import status

WINDOWS = {"3m": 91, "6m": 182, "all": None}


def measure_view(store: DocumentStore, actor: Actor, client_id: str, slug: str, window: str = "all",
                 *, now: datetime | None = None) -> dict:
    measures = storage.measures()
    if slug not in measures:
        raise InvalidInput(f"measure must be one of: {', '.join(sorted(measures))}.")
    if window not in WINDOWS:
        raise InvalidInput(f"window must be one of: {', '.join(WINDOWS)}.")
    measure = measures[slug]
    client = clients.client_for(store, actor, client_id)
    history = status.effective(events.client_events(store, actor.clinic_id, client["id"]))
    days = WINDOWS[window]
    since = (clock.utcnow(now).date() - timedelta(days=days)).isoformat() if days else date.min.isoformat()
    series = [point for point in projections.series_of(history, slug) if point[0] >= since]
    scored = sorted((e for e in history if e["type"] == "measure_scored" and e["data"].get("measure") == slug
                     and status.taken_on(e) >= since), key=lambda e: (status.taken_on(e), e["seq"]))
    questions = [{"id": item.id, "text": item.text} for item in measure.items]
    labels = dict(measure.options)
    answers = [{"date": status.taken_on(e), "total": e["data"].get("total"), "band": e["data"].get("band"),
                "values": [{"value": (e["data"].get("answers") or {}).get(q["id"]),
                            "label": labels.get((e["data"].get("answers") or {}).get(q["id"]), "")}
                           for q in questions]}
               for e in scored]
    return {"measure": slug, "short_name": measure.short_name, "window": window,
            "series": [{"date": d, "total": t, "band": b} for d, t, b in series],
            "svg": projections.measure_chart(series, measure), "questions": questions, "answers": answers,
            "bands": [{"min": b.min, "max": b.max, "label": b.label} for b in measure.bands]}


def measures_taken(store: DocumentStore, actor: Actor, client_id: str) -> list[str]:
    """The measures this client has answered or been assigned, in the order first seen."""
    client = clients.client_for(store, actor, client_id)
    seen: dict[str, None] = {}
    for event in status.effective(events.client_events(store, actor.clinic_id, client["id"],
                                                       types=["measure_scored", "assigned"])):
        slug = event["data"].get("measure") or (event["data"].get("target") or {}).get("measure")
        if slug:
            seen.setdefault(slug, None)
    return list(seen)
