"""The catalogue, measures' scoring, clinic media and clinic-authored tools (the catalog service)."""
from __future__ import annotations

import base64

from gateway.bodies import json_body
from gateway.entrypoints import api
from services.catalog.contract import MEDIA_MAX_BYTES


class CatalogueRoutes:
    @api("GET", "/api/v1/tools")
    def list_tools(self, request):
        return self.catalog_rpc.list_tools(self.auth.actor_dict(request), request.args.to_dict())

    @api("GET", "/api/v1/tools/<string:tool_id>")
    def get_tool(self, request, tool_id):
        return self.catalog_rpc.get_tool(self.auth.actor_dict(request), tool_id)

    @api("GET", "/api/v1/tools/<string:tool_id>.pdf")
    def tool_pdf(self, request, tool_id):
        actor = self.auth.actor(request)
        clinic_name = self.auth.identity.clinic(actor)["name"]
        link = self.catalog_rpc.tool_pdf(actor.to_dict(), tool_id, request.args.get("paper", "a4"), clinic_name)
        return self._download(link)

    @api("GET", "/api/v1/tools/<string:tool_id>/audio")
    def tool_audio(self, request, tool_id):
        link = self.catalog_rpc.tool_audio(self.auth.actor_dict(request), tool_id,
                                           request.args.get("format", "mp3"))
        return self._download(link)

    @api("POST", "/api/v1/measures/<string:measure>/score")
    def score_measure(self, request, measure):
        return self.catalog_rpc.score_measure(self.auth.actor_dict(request), measure,
                                              json_body(request).get("answers"))

    @api("POST", "/api/v1/media", validate=False, max_body=MEDIA_MAX_BYTES + 1)
    def upload_media(self, request):
        actor = self.auth.actor_dict(request)
        data = request.get_data(cache=False)
        record = self.catalog_rpc.upload_media(actor, base64.b64encode(data).decode("ascii"),
                                               request.content_type or "", request.args.get("filename", ""))
        return 201, record

    @api("GET", "/api/v1/media")
    def list_media(self, request):
        return self.catalog_rpc.list_media(self.auth.actor_dict(request))

    @api("GET", "/api/v1/media/<string:media_id>")
    def get_media(self, request, media_id):
        record = self.catalog_rpc.get_media(self.auth.actor_dict(request), media_id)
        return self._download({**record, "url": record.get("url")})

    @api("GET", "/api/v1/taxonomy")
    def taxonomy(self, request):
        return self.catalog_rpc.taxonomy(self.auth.actor_dict(request))

    @api("GET", "/api/v1/clinic-tools")
    def list_clinic_tools(self, request):
        include = request.args.get("include_retired", "false").lower() == "true"
        return self.catalog_rpc.list_clinic_tools(self.auth.actor_dict(request), include)

    @api("POST", "/api/v1/clinic-tools")
    def create_clinic_tool(self, request):
        return 201, self.catalog_rpc.create_clinic_tool(self.auth.actor_dict(request), json_body(request))

    @api("GET", "/api/v1/clinic-tools/<string:tool_id>")
    def get_clinic_tool(self, request, tool_id):
        return self.catalog_rpc.get_clinic_tool(self.auth.actor_dict(request), tool_id)

    @api("PUT", "/api/v1/clinic-tools/<string:tool_id>")
    def update_clinic_tool(self, request, tool_id):
        return self.catalog_rpc.update_clinic_tool(self.auth.actor_dict(request), tool_id, json_body(request))

    @api("DELETE", "/api/v1/clinic-tools/<string:tool_id>")
    def retire_clinic_tool(self, request, tool_id):
        return self.catalog_rpc.retire_clinic_tool(self.auth.actor_dict(request), tool_id)
