"""The catalogue, measures' scoring, clinic media and clinic-authored tools (the catalog service)."""
from __future__ import annotations

import base64

from nameko.events import BROADCAST, event_handler

from gateway import idempotency, uploads
from gateway.bodies import json_body
from gateway.conditional import clinic_of
from gateway.entrypoints import api
from interlude import events
from services.catalog.contract import MEDIA_MAX_BYTES


class CatalogueRoutes:
    @api("GET", "/api/v1/tools")
    def list_tools(self, request):
        return self.catalogue_reads.respond(request, self.catalog_rpc, self.auth.actor_dict(request),
                                            "list", request.args.to_dict())

    @api("GET", "/api/v1/tools/<string:tool_id>")
    def get_tool(self, request, tool_id):
        return self.catalogue_reads.respond(request, self.catalog_rpc, self.auth.actor_dict(request),
                                            "tool", tool_id)

    @api("GET", "/api/v1/tools/<string:tool_id>.pdf")
    def tool_pdf(self, request, tool_id):
        actor = self.auth.actor(request)
        profile = self.auth.identity.clinic_profile(actor.clinic_id)   # the clinic's name and branding
        link = self.catalog_rpc.tool_pdf(actor.to_dict(), tool_id, request.args.get("paper", "a4"), profile.name,
                                         profile.pdf_branding())
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
        data = uploads.request_body(request, MEDIA_MAX_BYTES)
        record = self.catalog_rpc.upload_media(actor, base64.b64encode(data).decode("ascii"),
                                               request.content_type or "", uploads.upload_filename(request),
                                               idempotency.request_key(request))
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
        return self.catalogue_reads.respond(request, self.catalog_rpc, self.auth.actor_dict(request),
                                            "taxonomy", None)

    @api("GET", "/api/v1/clinic-tools")
    def list_clinic_tools(self, request):
        include = request.args.get("include_retired", "false").lower() == "true"
        return self.catalog_rpc.list_clinic_tools(self.auth.actor_dict(request), include)

    @api("POST", "/api/v1/clinic-tools")
    def create_clinic_tool(self, request):
        actor = self.auth.actor_dict(request)
        created = self.catalog_rpc.create_clinic_tool(actor, json_body(request), idempotency.request_key(request))
        self._forget_answers(actor["clinic_id"])             # the editor reads their own write
        return 201, created

    @api("GET", "/api/v1/clinic-tools/<string:tool_id>")
    def get_clinic_tool(self, request, tool_id):
        return self.catalog_rpc.get_clinic_tool(self.auth.actor_dict(request), tool_id)

    @api("PUT", "/api/v1/clinic-tools/<string:tool_id>")
    def update_clinic_tool(self, request, tool_id):
        actor = self.auth.actor_dict(request)
        updated = self.catalog_rpc.update_clinic_tool(actor, tool_id, json_body(request),
                                                      idempotency.request_key(request))
        self._forget_answers(actor["clinic_id"])
        return updated

    @api("DELETE", "/api/v1/clinic-tools/<string:tool_id>")
    def retire_clinic_tool(self, request, tool_id):
        actor = self.auth.actor_dict(request)
        retired = self.catalog_rpc.retire_clinic_tool(actor, tool_id)
        self._forget_answers(actor["clinic_id"])
        return retired

    @api("POST", "/api/v1/clinic-tools/preview")
    def preview_clinic_tool(self, request):
        """The draft's pages as images, nothing stored (the web app's live preview uses it too)."""
        actor = self.auth.actor(request)
        body = json_body(request)
        form = {k: v for k, v in body.items() if k != "tool_id"}
        return self.catalog_rpc.preview_clinic_tool(actor.to_dict(), form, body.get("tool_id"),
                                                    self.auth.identity.clinic(actor)["name"])

    @api("GET", "/api/v1/clinic-tools/<string:tool_id>/versions")
    def clinic_tool_history(self, request, tool_id):
        return self.catalog_rpc.clinic_tool_history(self.auth.actor_dict(request), tool_id)

    @api("GET", "/api/v1/clinic-tools/<string:tool_id>/versions/<int:version>")
    def clinic_tool_version(self, request, tool_id, version):
        return self.catalog_rpc.clinic_tool_version(self.auth.actor_dict(request), tool_id, version)

    def _forget_answers(self, clinic_id: str) -> None:
        self.catalogue_reads.forget(clinic_id)
        self.search_answers.forget(clinic_id)

    # Every gateway instance hears these (BROADCAST) and forgets the catalogue answers it kept.
    @event_handler(events.CATALOG, events.CATALOGUE_CHANGED, handler_type=BROADCAST, reliable_delivery=False)
    def on_catalogue_changed(self, payload):
        self.catalogue_reads.forget()

    @event_handler(events.CATALOG, events.TOOL_PUBLISHED, handler_type=BROADCAST, reliable_delivery=False)
    def on_clinic_tool_published(self, payload):
        self.catalogue_reads.forget(clinic_of(payload))

    @event_handler(events.CATALOG, events.TOOL_UPDATED, handler_type=BROADCAST, reliable_delivery=False)
    def on_clinic_tool_updated(self, payload):
        self.catalogue_reads.forget(clinic_of(payload))

    @event_handler(events.CATALOG, events.TOOL_RETIRED, handler_type=BROADCAST, reliable_delivery=False)
    def on_clinic_tool_retired(self, payload):
        self.catalogue_reads.forget(clinic_of(payload))
