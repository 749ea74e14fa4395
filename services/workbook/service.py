"""Workbook service: plans workbooks, queues their renders for the render workers (through the
job records' outbox), lists editions. Thin entrypoints over services/workbook/application."""
from __future__ import annotations

from nameko.rpc import rpc
from nameko.timer import timer

from interlude import errors, events
from interlude.actor import Actor
from interlude.logging import get_logger
from interlude.metrics import Metrics, record_render_queue
from interlude.rpc_timeouts import INNER_SHARE, TimedRpcProxy
from interlude.nameko_deps import Blobs, Documents, RequestContext
from services.workbook.adapters.catalogue import CatalogOverRpc
from services.workbook.adapters.progress import ProgressOverRpc
from services.workbook.application.render_jobs import oldest_waiting_age_s, publish_pending
from services.workbook.application.workbooks import (PRIVATE_WORKBOOK_FIELDS, Workbooks, edition_owner, ensure_indexes,
                                                     public_job)
from services.workbook.dependencies import PublishedCatalogue, RenderQueue

log = get_logger(__name__)
URL_SECONDS = 900
RELAY_INTERVAL_SECONDS = 2
# A request publishes its own job at once; the relay takes what is still unpublished after this.
RELAY_GRACE_SECONDS = 5
# How often the render queue's depth and oldest waiting job are measured for /metrics.
QUEUE_METRICS_SECONDS = 10


def public(workbook: dict) -> dict:
    return {k: v for k, v in workbook.items() if k not in PRIVATE_WORKBOOK_FIELDS}


class WorkbookService:
    name = events.WORKBOOK

    documents = Documents(prepare=ensure_indexes)
    blobs = Blobs()
    catalogue = PublishedCatalogue()
    render_queue = RenderQueue()
    request_id = RequestContext()
    metrics = Metrics()
    catalog_rpc = TimedRpcProxy(events.CATALOG, share=INNER_SHARE)
    progress_rpc = TimedRpcProxy(events.PROGRESS, share=INNER_SHARE)

    @rpc
    def health(self):
        self.documents.ping()
        self.blobs.ping()
        return {"service": self.name, "ok": True}

    def _workbooks(self, actor) -> Workbooks:
        actor = Actor.from_dict(actor)
        return Workbooks(self.documents, actor, CatalogOverRpc(self.catalogue, self.catalog_rpc, actor.to_dict()),
                         ProgressOverRpc(self.progress_rpc, actor.to_dict()))

    @rpc(expected_exceptions=errors.EXPECTED)
    def propose_plan(self, actor, request):
        return self._workbooks(actor).propose(self.catalogue.content, dict(request or {}))

    @rpc(expected_exceptions=errors.EXPECTED)
    def create(self, actor, request, request_key=None):
        return public(self._workbooks(actor).create(self.catalogue.content, dict(request or {}), request_key))

    @rpc(expected_exceptions=errors.EXPECTED)
    def get(self, actor, workbook_id):
        return public(self._workbooks(actor).get(workbook_id))

    @rpc(expected_exceptions=errors.EXPECTED)
    def list(self, actor):
        return [public(w) for w in self._workbooks(actor).list()]

    @rpc(expected_exceptions=errors.EXPECTED)
    def update(self, actor, workbook_id, edits, request_key=None):
        return public(self._workbooks(actor).update(workbook_id, dict(edits or {}), request_key))

    @rpc(expected_exceptions=errors.EXPECTED)
    def render(self, actor, workbook_id, people=None, request_key=None):
        """``people``: what the cover prints of the clinic, ``{"clinic_name", "practitioner_name",
        "logo_key"?, "colour"?}`` (the clinic's branding), given by the caller (the gateway owns identity)."""
        people = dict(people or {})
        job = self._workbooks(actor).request_render(
            workbook_id, clinic_name=str(people.get("clinic_name") or ""),
            practitioner_name=str(people.get("practitioner_name") or ""),
            clinic_logo_key=people.get("logo_key") or None, clinic_colour=people.get("colour") or None,
            progress=ProgressOverRpc(self.progress_rpc, Actor.from_dict(actor).to_dict()), request_key=request_key)
        publish_pending(self.documents, self.render_queue, job_id=job["id"])  # at once when the broker answers
        return public_job(job)

    @timer(interval=RELAY_INTERVAL_SECONDS)
    def relay_render_jobs(self):
        """The outbox relay: queued jobs whose publish failed (or was never tried) go out now."""
        published = publish_pending(self.documents, self.render_queue, older_than_s=RELAY_GRACE_SECONDS)
        if published:
            log.info("render_jobs_relayed", count=published)

    @timer(interval=QUEUE_METRICS_SECONDS, eager=True)
    def observe_render_queue(self):
        """The render queue's depth (the broker's count) and its oldest waiting job, for /metrics."""
        record_render_queue(self.render_queue.size(), oldest_waiting_age_s(self.documents))

    @rpc(expected_exceptions=errors.EXPECTED)
    def edition_owner(self, key):
        """Whose edition a signed download link served (the gateway's audit entry); None if no edition."""
        return edition_owner(self.documents, key)

    @rpc(expected_exceptions=errors.EXPECTED)
    def job(self, actor, job_id):
        return public_job(self._workbooks(actor).job(job_id))

    @rpc(expected_exceptions=errors.EXPECTED)
    def editions(self, actor, workbook_id):
        return [{k: v for k, v in public(e).items() if k != "plan"}
                for e in self._workbooks(actor).list_editions(workbook_id)]

    @rpc(expected_exceptions=errors.EXPECTED)
    def edition_file(self, actor, workbook_id, number):
        edition = self._workbooks(actor).edition(workbook_id, number)
        return {"key": edition["key"], "url": self.blobs.presigned_url(edition["key"], URL_SECONDS),
                "filename": f"workbook-{workbook_id}-edition-{edition['number']}.pdf",
                "content_type": "application/pdf"}
