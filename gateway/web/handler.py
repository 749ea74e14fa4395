"""The web app's HTTP entrypoint: the JSON API's handler (same server, request ids, error mapping
by name), with HTML instead of JSON around it.

Before a worker runs, a state-changing request without this browser's CSRF token is refused (403).
Every response gets the security headers; an error becomes an HTML page with its status, and an
unauthenticated visitor is sent to the login form (back to the page afterwards).
"""
from __future__ import annotations

from functools import partial
from urllib.parse import quote

from eventlet.event import Event
from nameko.exceptions import RemoteError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Request, Response

from gateway.entrypoints import ApiHandler, check_body_size
from gateway.web import security
from gateway.web.rendering import gettext_for, render
from interlude import errors
from interlude import logging as interlude_logging
from interlude.nameko_deps import settings_of

log = interlude_logging.get_logger(__name__)
MAX_FORM_BYTES = 256 * 1024


def error_page(request, status: int, message: str) -> Response:
    _ = gettext_for(request)
    titles = {400: _("This did not work"), 403: _("Not allowed"), 404: _("Not found"),
              409: _("Already done"), 410: _("No longer available"), 413: _("Too large")}
    response = render(request, "error.html", status=status, title=titles.get(status, _("Something went wrong")),
                      message=message, status_code=status)
    security.apply_headers(response)
    return response


def login_redirect(request) -> Response:
    target = request.full_path.rstrip("?") if request.method == "GET" else "/"
    location = "/login?next=" + quote(target, safe="/")
    if request.headers.get("HX-Request"):
        return Response(status=204, headers={"HX-Redirect": location})
    return Response(status=303, headers={"Location": location})


def wants_page(environ) -> bool:
    """A browser asking for a page (not the JSON API, the portal or a probe)."""
    path = environ.get("PATH_INFO", "")
    return (not path.startswith(("/api/", "/portal/", "/files/", "/healthz", "/readyz"))
            and "text/html" in environ.get("HTTP_ACCEPT", ""))


def unmatched_page(environ, status: int) -> Response:
    """The HTML page for an unknown path or a wrong method, with every security header."""
    request = Request(environ)
    request.web = {"csrf_token": "", "user": None}
    _ = gettext_for(request)
    message = _("There is no page at this address.") if status == 404 else _("This page cannot be used this way.")
    return error_page(request, status, message)


class WebHandler(ApiHandler):
    def __init__(self, method, url, **kwargs):
        kwargs.setdefault("max_body", MAX_FORM_BYTES)
        super().__init__(method, url, validate=False, **kwargs)

    def handle_request(self, request):
        request.shallow = False
        request_id = interlude_logging.new_request_id()
        settings = settings_of(self.container)
        secret = settings.secret_key
        key, fresh = security.browser_key(request)
        request.web = {"csrf_token": security.csrf_token(secret, key), "user": None}
        try:
            check_body_size(request, self.max_body)
            request.max_content_length = self.max_body
            if not security.csrf_ok(request, secret):
                _ = gettext_for(request)
                raise errors.Forbidden(_("This form has expired or did not come from this site: "
                                         "reload the page and try again."))
            args, kwargs = self.get_entrypoint_parameters(request)
            self.check_signature(args, kwargs)
            event = Event()
            self.container.spawn_worker(
                self, args, kwargs, context_data={interlude_logging.REQUEST_ID_KEY: request_id},
                handle_result=partial(self.handle_result, event))
            response = self.response_from_result(event.wait())
        except Exception as exc:
            response = self.web_error(request, exc, request_id)
        if fresh is not None:
            response.headers.add("Set-Cookie", security.cookie(security.PRE_SESSION_COOKIE, fresh, None,
                                                                 secure=security.is_https(settings.public_url)))
        response.headers["X-Request-Id"] = request_id
        response.headers.setdefault("Cache-Control", "no-store")
        security.apply_headers(response)
        return response

    def web_error(self, request, exc, request_id: str) -> Response:
        mapped = exc if isinstance(exc, errors.InterludeError) else None
        message = getattr(exc, "message", "")
        if isinstance(exc, RemoteError) and exc.exc_type in errors.BY_NAME:
            mapped, message = errors.BY_NAME[exc.exc_type], exc.value
        if mapped is not None:
            if mapped.status == 401:
                return login_redirect(request)
            return error_page(request, mapped.status, message)
        if isinstance(exc, HTTPException):
            return error_page(request, exc.code or 400, exc.description or exc.name)
        log.error("page_failed", error_type=type(exc).__name__, remote_type=getattr(exc, "exc_type", None))
        _ = gettext_for(request)
        return error_page(request, 500, _("Something went wrong on our side. Quote request id %(id)s.")
                          % {"id": request_id})


page = WebHandler.decorator
