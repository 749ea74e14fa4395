"""Search, suggestions and similar tools (the search service)."""
from __future__ import annotations

import json

from nameko.events import BROADCAST, event_handler

from gateway import filter_values
from gateway.entrypoints import api
from interlude import events


class SearchRoutes:
    @api("GET", "/api/v1/search")
    def search(self, request):
        params = {key: ",".join(values) for key, values in request.args.lists()}
        filter_values.check(params)
        actor = self.auth.actor_dict(request)
        return self.search_answers.answer(request, actor["clinic_id"], (json.dumps(params, sort_keys=True),),
                                          lambda _offered: {"etag": None, "data": self.search_rpc.search(actor, params)})

    # Every gateway instance hears it (BROADCAST) and forgets the search answers it kept.
    @event_handler(events.SEARCH, events.SEARCH_INDEX_CHANGED, handler_type=BROADCAST, reliable_delivery=False)
    def on_search_index_changed(self, payload):
        self.search_answers.forget(payload.get("clinic_id") or None)

    @api("GET", "/api/v1/search/suggest")
    def suggest(self, request):
        return self.search_rpc.suggest(self.auth.actor_dict(request), request.args.to_dict())

    @api("GET", "/api/v1/tools/<string:tool_id>/similar")
    def similar(self, request, tool_id):
        return self.search_rpc.similar(self.auth.actor_dict(request), tool_id, request.args.to_dict())
