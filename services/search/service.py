"""Search service: owns the index (the only writer) and keeps it current from catalogue events.

At start it rebuilds the index from the catalogue when the index is missing, unreadable or built
from other content, so a restart loses nothing. Queries go through the query expander built from
the problem catalogue, so lay words reach the clinical tools.
"""
from __future__ import annotations

from nameko.events import EventDispatcher, event_handler
from nameko.rpc import rpc
from nameko.timer import timer

from interlude import errors, events
from interlude.actor import Actor
from interlude.logging import get_logger
from interlude.metrics import SEARCH_SECONDS, Metrics
from interlude.nameko_deps import RequestContext
from services.search.application.indexing import forget_clinic_tool, remember_clinic_tool
from services.search.dependencies import SearchIndex
from services.search.domain.queries import (hit_to_dict, parse_query, parse_similar, parse_suggest,
                                           result_to_dict, suggestions_to_list)

log = get_logger(__name__)


class SearchService:
    name = "search"

    index = SearchIndex()
    request_id = RequestContext()
    dispatch = EventDispatcher()
    metrics = Metrics()

    @rpc
    def health(self):
        self.index.engine.ping()
        return {"service": self.name, "ok": True, "documents": self.index.engine.count()}

    @rpc(expected_exceptions=errors.EXPECTED)
    def search(self, actor, params):
        actor = Actor.from_dict(actor)

        def compute():
            query = parse_query(actor.clinic_id, params, self.index.catalogue.expander)
            return result_to_dict(self.index.engine.search(query), query)
        with SEARCH_SECONDS.labels("search").time():   # a kept answer included: what callers wait for
            return self.index.answers.answer(actor.clinic_id, dict(params or {}), compute)

    @rpc(expected_exceptions=errors.EXPECTED)
    def suggest(self, actor, params):
        actor = Actor.from_dict(actor)
        prefix, limit = parse_suggest(params)
        with SEARCH_SECONDS.labels("suggest").time():
            return {"suggestions": suggestions_to_list(self.index.engine.suggest(prefix, actor.clinic_id, limit))}

    @rpc(expected_exceptions=errors.EXPECTED)
    def similar(self, actor, tool_id, params=None):
        actor = Actor.from_dict(actor)
        with SEARCH_SECONDS.labels("similar").time():
            hits = self.index.engine.similar(str(tool_id), actor.clinic_id, parse_similar(params))
        return {"hits": [hit_to_dict(hit) for hit in hits]}

    @event_handler(events.CATALOG, events.TOOL_PUBLISHED)
    def on_tool_published(self, payload):
        remember_clinic_tool(self.index.store, payload["search"])   # for the next rebuild
        self.index.engine.index([payload["search"]])
        log.info("indexed", tool_id=payload["tool_id"])
        self._announce(payload["search"].get("clinic_id"))

    @event_handler(events.CATALOG, events.TOOL_UPDATED)
    def on_tool_updated(self, payload):
        remember_clinic_tool(self.index.store, payload["search"])
        self.index.engine.index([payload["search"]])
        self._announce(payload["search"].get("clinic_id"))

    @event_handler(events.CATALOG, events.TOOL_RETIRED)
    def on_tool_retired(self, payload):
        forget_clinic_tool(self.index.store, payload["tool_id"])
        self.index.engine.delete([payload["tool_id"]])
        self._announce(payload.get("clinic_id"))

    # The gateways keep answers until told the index changed: after each change (the clinic's,
    # or everything when unknown), and at start and hourly for everything (a rebuild at start).
    @timer(interval=3600, eager=True)
    def announce_index(self):
        self._announce(None)

    def _announce(self, clinic_id):
        self.dispatch(events.SEARCH_INDEX_CHANGED, {"clinic_id": clinic_id or None})
