"""Progress service: assignments, portal, measures and the permanent record (issue #6). For now it
answers health checks, so the platform's wiring, readiness probe and deployment are in place."""
from __future__ import annotations

from nameko.rpc import rpc

from interlude import events
from interlude.nameko_deps import Documents, RequestContext


class ProgressService:
    name = events.PROGRESS

    documents = Documents()
    request_id = RequestContext()

    @rpc
    def health(self):
        self.documents.ping()
        return {"service": self.name, "ok": True}
