"""Workbook service: plans and renders workbooks (issue #5). For now it answers health checks, so
the platform's wiring, readiness probe and deployment are in place."""
from __future__ import annotations

from nameko.rpc import rpc

from interlude import events
from interlude.nameko_deps import Blobs, Documents, RequestContext


class WorkbookService:
    name = events.WORKBOOK

    documents = Documents()
    blobs = Blobs()
    request_id = RequestContext()

    @rpc
    def health(self):
        self.documents.ping()
        self.blobs.ping()
        return {"service": self.name, "ok": True}
