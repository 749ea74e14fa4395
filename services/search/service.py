"""Search service: owns the index (the only writer) and keeps it current from catalogue events."""
from __future__ import annotations

from nameko.events import event_handler
from nameko.extensions import DependencyProvider
from nameko.rpc import rpc

from interlude import errors, events, wiring
from interlude.actor import Actor
from interlude.logging import get_logger
from interlude.nameko_deps import RequestContext, settings_of
from services.search.queries import parse_query, result_to_dict

log = get_logger(__name__)


class SearchIndex(DependencyProvider):
    def setup(self):
        self.engine = wiring.search_engine(settings_of(self.container), writable=True)

    def get_dependency(self, worker_ctx):
        return self.engine


class SearchService:
    name = "search"

    engine = SearchIndex()
    request_id = RequestContext()

    @rpc
    def health(self):
        self.engine.ping()
        return {"service": self.name, "ok": True, "documents": self.engine.count()}

    @rpc(expected_exceptions=errors.EXPECTED)
    def search(self, actor, params):
        actor = Actor.from_dict(actor)
        return result_to_dict(self.engine.search(parse_query(actor.clinic_id, params)))

    @event_handler(events.CATALOG, events.TOOL_PUBLISHED)
    def on_tool_published(self, payload):
        self.engine.index([payload["search"]])
        log.info("indexed", tool_id=payload["tool_id"])

    @event_handler(events.CATALOG, events.TOOL_UPDATED)
    def on_tool_updated(self, payload):
        self.engine.index([payload["search"]])

    @event_handler(events.CATALOG, events.TOOL_RETIRED)
    def on_tool_retired(self, payload):
        self.engine.delete([payload["tool_id"]])
