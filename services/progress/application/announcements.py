"""What a portal submission announces: events for the other services (nameko events) and for the
clinic's webhook subscriptions. Ids and scores only, never answers or notes. The webhook
deliveries are queued (durably, once per submission and event) before the caller dispatches the
service events, so a partner hears of a submission even if the broker is away at that moment."""
from __future__ import annotations

from datetime import datetime

from interlude import events
from interlude.logging import get_logger
from interlude.ports.documents import DocumentStore
from services.progress.application import assignments, webhook_deliveries
from services.progress.domain import webhooks as webhook_events

log = get_logger(__name__)


def submission(store: DocumentStore, token: str, result: dict, *,
               now: datetime | None = None) -> list[tuple[str, dict]]:
    """Queue the webhook deliveries of one portal submission; return the (event, payload) pairs to dispatch."""
    assignment, client = assignments.resolve_portal(store, token, now=now)
    base = {"clinic_id": client["clinic_id"], "client_id": client["id"], "assignment_id": assignment["id"],
            "submission_id": result.get("submission_id")}
    announced = [(events.HOMEWORK_COMPLETED, webhook_events.HOMEWORK_COMPLETED, base)]
    if result.get("score"):
        announced.append((events.MEASURE_SCORED, webhook_events.MEASURE_SCORED, {
            **base, "measure": result["score"]["measure"], "total": result["score"]["total"],
            "band": result["score"].get("band")}))
    if result.get("flags"):
        announced.append((events.RISK_FLAGGED, webhook_events.RISK_FLAGGED, {**base, "flags": list(result["flags"])}))
        log.warning("risk_flagged", client_id=client["id"], assignment_id=assignment["id"])
    target = assignment.get("target") or {}
    for _, webhook_event, data in announced:
        webhook_deliveries.publish(store, client["clinic_id"], webhook_event, str(result.get("submission_id")), {
            **data, "tool_id": target.get("tool_id"), "measure": data.get("measure") or target.get("measure")}, now=now)
    return [(event, data) for event, _, data in announced]


def workbook_rendered(store: DocumentStore, payload: dict) -> list[dict]:
    """Queue ``workbook.rendered`` for the clinic's subscriptions, once per render job."""
    return webhook_deliveries.publish(store, payload["clinic_id"], webhook_events.WORKBOOK_RENDERED, payload["job_id"],
                                      {key: payload.get(key) for key in ("workbook_id", "edition", "job_id", "client_id")})
