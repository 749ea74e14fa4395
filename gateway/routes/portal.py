"""The client portal: a token instead of a login; HTML pages (laid out here, from progress' finished views) plus the JSON behind them."""
from __future__ import annotations

from werkzeug.wrappers import Response

from gateway import idempotency, portal_pages
from gateway.bodies import json_body
from gateway.entrypoints import api
from interlude import errors


def portal_response(build) -> Response:
    """An HTML page, or an HTML error page with the right status (410 expired, 403 revoked)."""
    from nameko.exceptions import RemoteError
    try:
        return Response(build(), mimetype="text/html", headers={"Referrer-Policy": "no-referrer"})
    except RemoteError as exc:
        mapped = errors.BY_NAME.get(exc.exc_type)
        if mapped is None:
            raise
        return Response(portal_pages.error_page(mapped.status, exc.value), status=mapped.status, mimetype="text/html")
    except errors.InterludeError as exc:  # e.g. a service not answering in time (503)
        return Response(portal_pages.error_page(exc.status, exc.message), status=exc.status, mimetype="text/html")


class PortalRoutes:
    @api("GET", "/portal/<string:token>", validate=False)
    def portal_page(self, request, token):
        return portal_response(lambda: self._portal_page(token))

    def _portal_page(self, token):
        return portal_pages.assignment_page(token, self.progress_rpc.portal_page(token))

    @api("POST", "/portal/<string:token>/draft", validate=False)
    def portal_draft(self, request, token):
        fields = dict(json_body(request).get("fields") or {})
        fields.pop("submission_id", None)
        return self.progress_rpc.portal_draft(token, fields, idempotency.request_key(request))

    @api("POST", "/portal/<string:token>/submit", validate=False)
    def portal_submit(self, request, token):
        if request.mimetype == "application/json":
            body = json_body(request)
            if body.get("submission_id") is None:
                body["submission_id"] = idempotency.request_key(request)
            return self.progress_rpc.portal_submit(token, body)
        # progress' rules say what the form holds; its submission id was made with the page
        form = {"form": request.form.to_dict(flat=False),
                "submission_id": idempotency.request_key(request, request.form.get("submission_id"))}
        return portal_response(lambda: portal_pages.submitted_page(token, self.progress_rpc.portal_submit(token, form)))

    @api("POST", "/portal/<string:token>/rating", validate=False)
    def portal_rating(self, request, token):
        form = json_body(request) if request.mimetype == "application/json" else request.form
        key = idempotency.request_key(request, form.get("submission_id"))
        result = self.progress_rpc.portal_rate(token, form.get("rating"), key)   # progress checks the rating
        if request.mimetype == "application/json":
            return result
        return Response(status=303, headers={"Location": f"/portal/{token}"})

    @api("POST", "/portal/<string:token>/audio-played", validate=False)
    def portal_audio_played(self, request, token):
        return self.progress_rpc.portal_audio_played(token, json_body(request).get("seconds", 0),
                                                     idempotency.request_key(request))

    @api("GET", "/portal/<string:token>/audio", validate=False)
    def portal_audio(self, request, token):
        return self._download(self.progress_rpc.portal_audio(token))   # reading records nothing

    @api("GET", "/portal/<string:token>/progress", validate=False)
    def portal_progress(self, request, token):
        return portal_response(lambda: portal_pages.progress_page(self.progress_rpc.portal_progress_page(token)))
