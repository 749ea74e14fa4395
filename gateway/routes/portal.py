"""The client portal: a token instead of a login; HTML pages (laid out by gateway/portal_pages.py
from progress' finished views) plus the JSON behind them.

Every portal response carries a Content-Security-Policy made for it (portal_security), and every
state-changing request must carry the CSRF token rendered for its link, or it is refused (403)
and records nothing. A form's ``submission_id``, made with the page, keys what it records, so a
form sent twice records once.
"""
from __future__ import annotations

from nameko.exceptions import RemoteError
from werkzeug.wrappers import Response

from gateway import idempotency, portal_pages, portal_security, signed_urls
from gateway.bodies import json_body
from gateway.entrypoints import ApiHandler, error_response
from interlude import errors
from interlude.nameko_deps import settings_of

MAX_PORTAL_BODY = 256 * 1024


class PortalHandler(ApiHandler):
    """The API's entrypoint (request ids, errors by name) with the portal's CSRF check first and
    its security headers on every response."""

    def __init__(self, method, url, **kwargs):
        kwargs.setdefault("max_body", MAX_PORTAL_BODY)
        super().__init__(method, url, validate=False, **kwargs)

    def handle_request(self, request):
        request.shallow = False
        request.portal_nonce = portal_security.new_nonce()
        secret = settings_of(self.container).secret_key
        token = (getattr(request, "path_values", None) or {}).get("token")
        if portal_security.csrf_ok(request, secret, token):
            response = super().handle_request(request)
        else:
            response = refused(request)
        portal_security.apply_headers(response, request.portal_nonce)
        return response


portal = PortalHandler.decorator


def refused(request) -> Response:
    """A post without this link's CSRF token: nothing is recorded."""
    if request.mimetype == "application/json":
        return error_response("forbidden", "This request did not come from this link's page: reload the page "
                                           "and send it again.", 403)
    page = portal_pages.PortalPage(portal_pages.locale_for(None, request), request.portal_nonce)
    return portal_pages.error_page(page, 403, "", refused_form=True)


def error_mapped(exc) -> tuple[int, str] | None:
    """(status, message) of a service's expected error (410 expired, 403 revoked, 400 invalid...)."""
    if isinstance(exc, RemoteError) and exc.exc_type in errors.BY_NAME:
        return errors.BY_NAME[exc.exc_type].status, exc.value
    if isinstance(exc, errors.InterludeError):   # e.g. a service not answering in time (503)
        return exc.status, exc.message
    return None


class PortalRoutes:
    def _portal(self, request, token: str | None = None, context: dict | None = None) -> portal_pages.PortalPage:
        """The page's frame: the client's language, the clinic's profile, this render's CSRF token."""
        context = context or {}
        page = portal_pages.PortalPage(portal_pages.locale_for(context.get("language"), request),
                                       request.portal_nonce)
        if token is not None:
            page.base = f"/portal/{token}"
            page.csrf_token = portal_security.csrf_token(self.settings.secret_key, token)
        if context.get("clinic_id"):
            page.clinic = self.auth.identity.clinic_profile(context["clinic_id"])
            if page.clinic.logo_key:
                page.logo_url = signed_urls.sign(self.settings.secret_key, page.clinic.logo_key,
                                                 portal_pages.LOGO_SECONDS)
        return page

    def _shown(self, request, build, page_of=lambda: None) -> Response:
        """A page, or the error page with its status, in the client's language once it is known
        (``page_of()``: the page's frame, if the error came after it was made)."""
        try:
            return build()
        except Exception as exc:
            mapped = error_mapped(exc)
            if mapped is None:
                raise
            return portal_pages.error_page(page_of() or self._portal(request), *mapped)

    def _view_page(self, request, token, read_view, lay_out) -> Response:
        """A page from one finished view of progress' (which names the clinic and the language)."""
        def build():
            view = read_view(token)
            return lay_out(self._portal(request, token, view), view)
        return self._shown(request, build)

    @portal("GET", "/portal/<string:token>")
    def portal_page(self, request, token):
        return self._view_page(request, token, self.progress_rpc.portal_page, portal_pages.assignment_page)

    @portal("GET", "/portal/<string:token>/progress")
    def portal_progress(self, request, token):
        return self._view_page(request, token, self.progress_rpc.portal_progress_page, portal_pages.progress_page)

    @portal("POST", "/portal/<string:token>/draft")
    def portal_draft(self, request, token):
        fields = dict(json_body(request).get("fields") or {})
        fields.pop("submission_id", None)
        fields.pop(portal_security.CSRF_FIELD, None)
        return self.progress_rpc.portal_draft(token, fields, idempotency.request_key(request))

    @portal("POST", "/portal/<string:token>/submit")
    def portal_submit(self, request, token):
        if request.mimetype == "application/json":
            context = self.progress_rpc.portal_context(token)
            body = {**json_body(request), "crisis_lines": self._crisis_lines(context)}
            if body.get("submission_id") is None:
                body["submission_id"] = idempotency.request_key(request)
            return self.progress_rpc.portal_submit(token, body)
        page = None

        def build():
            nonlocal page
            context = self.progress_rpc.portal_context(token)
            page = self._portal(request, token, context)
            form = request.form.to_dict(flat=False)
            form.pop(portal_security.CSRF_FIELD, None)
            # progress' rules say what the form holds; its submission id was made with the page
            submission = {"form": form, "crisis_lines": list(page.clinic.crisis_lines) if page.clinic else [],
                          "submission_id": idempotency.request_key(request, request.form.get("submission_id"))}
            return portal_pages.submitted_page(page, self.progress_rpc.portal_submit(token, submission))
        return self._shown(request, build, lambda: page)

    def _crisis_lines(self, context: dict) -> list[str]:
        return list(self.auth.identity.clinic_profile(context["clinic_id"]).crisis_lines)

    @portal("POST", "/portal/<string:token>/rating")
    def portal_rating(self, request, token):
        form = json_body(request) if request.mimetype == "application/json" else request.form
        key = idempotency.request_key(request, form.get("submission_id"))
        if request.mimetype == "application/json":
            return self.progress_rpc.portal_rate(token, form.get("rating"), key)   # progress checks the rating

        def build():
            self.progress_rpc.portal_rate(token, form.get("rating"), key)
            return Response(status=303, headers={"Location": f"/portal/{token}"})
        return self._shown(request, build)

    @portal("POST", "/portal/<string:token>/audio-played")
    def portal_audio_played(self, request, token):
        return self.progress_rpc.portal_audio_played(token, json_body(request).get("seconds", 0),
                                                     idempotency.request_key(request))

    @portal("GET", "/portal/<string:token>/audio")
    def portal_audio(self, request, token):
        return self._download(self.progress_rpc.portal_audio(token))   # reading records nothing

    @portal("GET", "/portal-brand/<string:colour>.css")
    def portal_brand(self, request, colour):
        """The clinic's colour as a stylesheet (the CSP allows no inline style)."""
        return Response(portal_pages.brand_css(colour), mimetype="text/css",
                        headers={"Cache-Control": "public, max-age=86400"})
