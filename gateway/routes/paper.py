"""Paper and online meet, over the API and the portal: an assignment's fillable PDF (stamped with
the assignment), its filled copy uploaded back as a submission, and the kept copy downloaded.

The portal's upload page is a page of the web app's kind (gateway/web/paper.py: CSRF, CSP); the
PDF download behind a portal link is here, beside the portal's other files."""
from __future__ import annotations

from gateway import paper
from gateway.entrypoints import api


class PaperRoutes:
    @api("GET", "/api/v1/assignments/<string:assignment_id>/fillable-pdf")
    def assignment_fillable_pdf(self, request, assignment_id):
        actor = self.auth.actor(request)
        view = self.progress_rpc.paper_stamp(actor.to_dict(), assignment_id)
        clinic_name = self.auth.identity.clinic(actor)["name"]
        link = self.catalog_rpc.tool_pdf(actor.to_dict(), view["tool_id"], paper.paper_size(request), clinic_name)
        return paper.stamped_pdf_response(self.blobs, link, view)

    @api("POST", "/api/v1/assignments/<string:assignment_id>/paper-pdf", validate=False,
         max_body=paper.MAX_PDF_BYTES + 1)
    def assignment_paper_pdf(self, request, assignment_id):
        actor = self.auth.actor_dict(request)
        upload = paper.upload_from_body(request)
        # no Idempotency-Key needed: the file itself keys the submission (the same PDF twice records once)
        return 201, self.progress_rpc.record_paper_pdf(actor, assignment_id, upload)

    @api("GET", "/api/v1/clients/<string:client_id>/paper-pdfs/<string:event_id>")
    def client_paper_pdf(self, request, client_id, event_id):
        found = self.progress_rpc.paper_pdf(self.auth.actor_dict(request), client_id, event_id)
        return paper.kept_pdf_response(self.blobs, found)

    @api("GET", "/portal/<string:token>/fillable.pdf", validate=False)
    def portal_fillable_pdf(self, request, token):
        view = self.progress_rpc.portal_paper_stamp(token)
        profile = self.auth.identity.clinic_profile(view["clinic_id"])
        link = self.catalog_rpc.portal_tool_pdf(view["clinic_id"], view["tool_id"], paper.paper_size(request),
                                                profile.name, profile.pdf_branding())
        response = paper.stamped_pdf_response(self.blobs, link, view)
        response.headers["Referrer-Policy"] = "no-referrer"
        return response
