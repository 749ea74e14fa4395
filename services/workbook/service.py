"""Workbook service: plans workbooks, queues their renders for the render workers, lists editions."""
from __future__ import annotations

from nameko.rpc import rpc

from interlude import errors, events
from interlude.actor import Actor
from interlude.nameko_deps import Blobs, Config, Documents, RequestContext
from services.catalog.dependencies import CatalogueContent
from services.workbook.application.render_jobs import KIND
from services.workbook.application.workbooks import Workbooks
from services.workbook.worker import render_queue

URL_SECONDS = 900


def public(workbook: dict) -> dict:
    return {k: v for k, v in workbook.items() if k != "clinic_id"}


class WorkbookService:
    name = events.WORKBOOK

    documents = Documents()
    blobs = Blobs()
    settings = Config()
    catalogue = CatalogueContent()
    request_id = RequestContext()

    @rpc
    def health(self):
        self.documents.ping()
        self.blobs.ping()
        return {"service": self.name, "ok": True}

    def _workbooks(self, actor) -> Workbooks:
        return Workbooks(self.documents, Actor.from_dict(actor))

    @rpc(expected_exceptions=errors.EXPECTED)
    def propose_plan(self, actor, request):
        return self._workbooks(actor).propose(self.catalogue.content, dict(request or {}))

    @rpc(expected_exceptions=errors.EXPECTED)
    def create(self, actor, request):
        return public(self._workbooks(actor).create(self.catalogue.content, dict(request or {})))

    @rpc(expected_exceptions=errors.EXPECTED)
    def get(self, actor, workbook_id):
        return public(self._workbooks(actor).get(workbook_id))

    @rpc(expected_exceptions=errors.EXPECTED)
    def list(self, actor):
        return [public(w) for w in self._workbooks(actor).list()]

    @rpc(expected_exceptions=errors.EXPECTED)
    def update(self, actor, workbook_id, edits):
        return public(self._workbooks(actor).update(workbook_id, dict(edits or {})))

    @rpc(expected_exceptions=errors.EXPECTED)
    def render(self, actor, workbook_id):
        job = self._workbooks(actor).request_render(workbook_id)
        render_queue(self.settings).publish(job["id"], KIND, {"workbook_id": workbook_id})
        return public(job)

    @rpc(expected_exceptions=errors.EXPECTED)
    def job(self, actor, job_id):
        return public(self._workbooks(actor).job(job_id))

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
