"""Search, suggestions and similar tools (the search service)."""
from __future__ import annotations

from gateway.entrypoints import api


class SearchRoutes:
    @api("GET", "/api/v1/search")
    def search(self, request):
        params = {key: ",".join(values) for key, values in request.args.lists()}
        return self.search_rpc.search(self.auth.actor_dict(request), params)

    @api("GET", "/api/v1/search/suggest")
    def suggest(self, request):
        return self.search_rpc.suggest(self.auth.actor_dict(request), request.args.to_dict())

    @api("GET", "/api/v1/tools/<string:tool_id>/similar")
    def similar(self, request, tool_id):
        return self.search_rpc.similar(self.auth.actor_dict(request), tool_id, request.args.to_dict())
