"""Clients, their assignments and portal links, the timeline, measures, exports, the dashboard (the progress service)."""
from __future__ import annotations

import json

from werkzeug.wrappers import Response

from gateway import assignment_targets, idempotency
from gateway.bodies import json_body
from gateway.entrypoints import api


class ClientRoutes:
    @api("GET", "/api/v1/clients")
    def list_clients(self, request):
        return self.progress_rpc.list_clients(self.auth.actor_dict(request))

    @api("POST", "/api/v1/clients")
    def create_client(self, request):
        actor, body = self.auth.actor(request), json_body(request)
        practitioner_id = body.get("practitioner_id")
        if practitioner_id not in (None, actor.user_id) and actor.role == "clinic_admin":
            self.auth.identity.member_of_clinic(actor, practitioner_id)   # progress reads no users
        form = {**body, "request_key": idempotency.request_key(request)}
        return 201, self.progress_rpc.create_client(actor.to_dict(), form)

    @api("GET", "/api/v1/clients/<string:client_id>")
    def get_client(self, request, client_id):
        return self.progress_rpc.get_client(self.auth.actor_dict(request), client_id)

    @api("DELETE", "/api/v1/clients/<string:client_id>")
    def delete_client(self, request, client_id):
        return self.progress_rpc.delete_client(self.auth.actor_dict(request), client_id)

    @api("GET", "/api/v1/clients/<string:client_id>/assignments")
    def list_assignments(self, request, client_id):
        return self.progress_rpc.list_assignments(self.auth.actor_dict(request), client_id)

    @api("POST", "/api/v1/clients/<string:client_id>/assignments")
    def assign(self, request, client_id):
        actor = self.auth.actor_dict(request)
        form = assignment_targets.resolve(actor, json_body(request), self.catalog_rpc, self.workbook_rpc)
        form["request_key"] = idempotency.request_key(request)
        form.update(self.auth.identity.clinic_profile(actor["clinic_id"]).assignment_timing())   # the clinic's settings
        created = self.progress_rpc.assign(actor, client_id, form)
        return 201, {**created, "portal_url": f"{self.settings.public_url}/portal/{created['link']['token']}"}

    @api("DELETE", "/api/v1/assignments/<string:assignment_id>/links")
    def revoke_links(self, request, assignment_id):
        return self.progress_rpc.revoke_links(self.auth.actor_dict(request), assignment_id)

    @api("POST", "/api/v1/assignments/<string:assignment_id>/links")
    def issue_link(self, request, assignment_id):
        actor = self.auth.actor_dict(request)
        link_days = self.auth.identity.clinic_profile(actor["clinic_id"]).link_days   # the clinic's setting
        link = self.progress_rpc.issue_link(actor, assignment_id, link_days)
        return 201, {**link, "portal_url": f"{self.settings.public_url}/portal/{link['token']}"}

    @api("GET", "/api/v1/clients/<string:client_id>/timeline")
    def timeline(self, request, client_id):
        return self.progress_rpc.timeline(self.auth.actor_dict(request), client_id)

    @api("GET", "/api/v1/clients/<string:client_id>/measures/<string:slug>")
    def measure_series(self, request, client_id, slug):
        return self.progress_rpc.measure_series(self.auth.actor_dict(request), client_id, slug)

    @api("GET", "/api/v1/clients/<string:client_id>/export")
    def export_client(self, request, client_id):
        return self.progress_rpc.export_client(self.auth.actor_dict(request), client_id)

    @api("GET", "/api/v1/clients/<string:client_id>/export/fhir")
    def export_fhir(self, request, client_id):
        bundle = self.progress_rpc.export_fhir(self.auth.actor_dict(request), client_id)
        return Response(json.dumps(bundle), mimetype="application/fhir+json")

    @api("GET", "/api/v1/dashboard")
    def dashboard(self, request):
        return self.progress_rpc.dashboard(self.auth.actor_dict(request))
