"""Workbooks: plans, edits, renders and editions (the workbook service)."""
from __future__ import annotations

from gateway import idempotency, signed_urls
from gateway.bodies import json_body
from gateway.entrypoints import api
from interlude.errors import NotFound


LINK_SECONDS = 24 * 3600


class WorkbookRoutes:
    @api("POST", "/api/v1/workbooks/plan")
    def propose_workbook_plan(self, request):
        return self.workbook_rpc.propose_plan(self.auth.actor_dict(request), json_body(request))

    @api("POST", "/api/v1/workbooks")
    def create_workbook(self, request):
        return 201, self.workbook_rpc.create(self.auth.actor_dict(request), json_body(request),
                                             idempotency.request_key(request))

    @api("GET", "/api/v1/workbooks")
    def list_workbooks(self, request):
        return self.workbook_rpc.list(self.auth.actor_dict(request))

    @api("GET", "/api/v1/workbooks/<string:workbook_id>")
    def get_workbook(self, request, workbook_id):
        return self.workbook_rpc.get(self.auth.actor_dict(request), workbook_id)

    @api("PATCH", "/api/v1/workbooks/<string:workbook_id>")
    def update_workbook(self, request, workbook_id):
        return self.workbook_rpc.update(self.auth.actor_dict(request), workbook_id, json_body(request),
                                        idempotency.request_key(request))

    @api("POST", "/api/v1/workbooks/<string:workbook_id>/render")
    def render_workbook(self, request, workbook_id):
        actor = self.auth.actor(request)
        workbook = self.workbook_rpc.get(actor.to_dict(), workbook_id)
        people = self.auth.identity.cover_names(actor, workbook["practitioner_id"])   # identity is ours
        return 202, self.workbook_rpc.render(actor.to_dict(), workbook_id, people, idempotency.request_key(request))

    @api("GET", "/api/v1/workbooks/<string:workbook_id>/jobs/<string:job_id>")
    def render_job(self, request, workbook_id, job_id):
        job = self.workbook_rpc.job(self.auth.actor_dict(request), job_id)
        if job["workbook_id"] != workbook_id:
            raise NotFound(f"Workbook {workbook_id!r} has no render job {job_id!r}.")
        return job

    @api("GET", "/api/v1/workbooks/<string:workbook_id>/editions")
    def list_editions(self, request, workbook_id):
        editions = self.workbook_rpc.editions(self.auth.actor_dict(request), workbook_id)
        for edition in editions:
            # A link to share or open in a browser: the object store's own, or one we sign.
            edition["download_url"] = self.blobs.presigned_url(edition["key"], LINK_SECONDS) or (
                self.settings.public_url + signed_urls.sign(self.settings.secret_key, edition["key"], LINK_SECONDS))
        return editions

    @api("GET", "/api/v1/workbooks/<string:workbook_id>/editions/<int:number>.pdf")
    def edition_pdf(self, request, workbook_id, number):
        return self._download(self.workbook_rpc.edition_file(self.auth.actor_dict(request), workbook_id, number))
