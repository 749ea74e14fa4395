"""The gateway's HTTP entrypoint: request ids, OpenAPI validation, JSON in and out, and the
mapping of local and remote errors to HTTP statuses (nameko-examples' ``mapped_errors`` idea).

A handler returns plain data (JSON 200), ``(status, data)``, ``(status, headers, data)`` or a
werkzeug Response. Nothing an exception carries beyond its message reaches the client: no
traceback, no exception repr.
"""
from __future__ import annotations

import json
import re
import socket
from functools import partial
from pathlib import Path

import yaml
from eventlet.event import Event
from nameko.exceptions import BadRequest, RemoteError
from nameko.web.handlers import HttpRequestHandler
from nameko.web.server import WebServer, WsgiApp
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from interlude import errors
import interlude.rendering.errors  # noqa: F401  (registers the render errors' HTTP statuses)
from interlude import logging as interlude_logging
from gateway import audit
from gateway.http_metrics import ObservedApp
from gateway.request_validation import RequestValidator

log = interlude_logging.get_logger(__name__)

SPEC_PATH = Path(__file__).with_name("openapi.yaml")
SPEC = yaml.safe_load(SPEC_PATH.read_text())
_VALIDATOR = RequestValidator(SPEC)
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
MAX_JSON_BYTES = 1024 * 1024
MAX_VALID_KEPT = 4096
_VALID_WITHOUT_BODY: dict[tuple, bool] = {}


def json_response(data, status: int = 200, headers: dict | None = None) -> Response:
    return Response(json.dumps(data, ensure_ascii=False), status=status, headers=headers,
                    mimetype="application/json")


def error_response(code: str, message: str, status: int) -> Response:
    return json_response({"error": code, "message": message}, status)


def check_body_size(request, limit: int) -> None:
    if request.content_length and request.content_length > limit:
        raise errors.PayloadTooLarge(f"The request body is larger than {limit // 1024} KB.")


def validate_request(request) -> None:
    """Raise InvalidInput if the request does not match the OpenAPI document."""
    check_body_size(request, MAX_JSON_BYTES)
    body = request.get_data(cache=True)
    # A request without a body is valid or not by its method, path and query string alone, and
    # reads repeat them (pages, filters, searches): each is checked once (~0.1 ms of schema work).
    key = None if body else (request.method, request.path, request.query_string)
    if key is not None and key in _VALID_WITHOUT_BODY:
        return
    _VALIDATOR.validate(request.method, request.path, request.args, request.content_type or "", body)
    if key is not None:
        _VALID_WITHOUT_BODY[key] = True
        if len(_VALID_WITHOUT_BODY) > MAX_VALID_KEPT:
            _VALID_WITHOUT_BODY.pop(next(iter(_VALID_WITHOUT_BODY)))   # the oldest


def operation_of(method: str, path: str):
    """The API document's operation for a request (its parameters, body and API key scopes)."""
    return _VALIDATOR.find("GET" if method == "HEAD" else method, path)[0]


def _documented_methods(environ) -> list[str]:
    """The methods the API document lists for this path (a literal path such as
    /api/v1/workbooks/plan also matches a template route, whose methods it does not have)."""
    try:
        _VALIDATOR.find(environ.get("REQUEST_METHOD", ""), environ.get("PATH_INFO", ""))
    except errors.MethodNotAllowed as exc:
        return list(exc.allow)
    except errors.InterludeError:
        return []
    return []


class JsonWsgiApp(WsgiApp):
    """Unknown paths and wrong methods answer in the same JSON shape as every other error."""

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") == "/healthz" and environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            response = error_response("method_not_allowed", "This method is not allowed on this endpoint.", 405)
            response.headers["Allow"] = "GET, HEAD"
            return response(environ, start_response)
        if environ.get("PATH_INFO") == "/healthz":
            # Liveness of this process only: no worker, no store, no other service (issue #11).
            offered = environ.get("HTTP_X_REQUEST_ID", "")
            request_id = offered if _REQUEST_ID.match(offered) else interlude_logging.new_request_id()
            return json_response({"status": "up"}, headers={"Cache-Control": "no-store", "X-Request-Id": request_id})(
                environ, start_response)
        adapter = self.url_map.bind_to_environ(environ)
        try:
            adapter.match()
        except HTTPException as exc:
            from gateway.web.handler import wants_page, unmatched_page   # imports this module
            if wants_page(environ):
                return unmatched_page(environ, exc.code or 404)(environ, start_response)
            code = {404: "not_found", 405: "method_not_allowed"}.get(exc.code, "http_error")
            message = {404: "No such endpoint: see /api/v1/openapi.json.",
                       405: "This method is not allowed on this endpoint."}.get(exc.code, exc.name)
            response = error_response(code, message, exc.code or 400)
            if exc.code == 405 and getattr(exc, "valid_methods", None):
                response.headers["Allow"] = ", ".join(_documented_methods(environ) or sorted(exc.valid_methods))
            return response(environ, start_response)
        return super().__call__(environ, start_response)


class JsonWebServer(WebServer):
    def get_wsgi_app(self):
        return ObservedApp(JsonWsgiApp(self))   # HTTP metrics by route, and /metrics

    def process_request(self, sock, address):
        # eventlet's WSGI server writes the headers and the body in separate sends; with Nagle on,
        # the body waits for the client's delayed ACK (~40 ms) on every keep-alive request.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return super().process_request(sock, address)


class ApiHandler(HttpRequestHandler):
    server = JsonWebServer()

    def __init__(self, method, url, *, validate: bool = True, max_body: int = MAX_JSON_BYTES, **kwargs):
        self.validate = validate
        self.max_body = max_body
        kwargs.setdefault("expected_exceptions", (errors.InterludeError, RemoteError))
        super().__init__(method, url, **kwargs)

    def handle_request(self, request):
        request.shallow = False
        offered = request.headers.get("X-Request-Id", "")
        request_id = offered if _REQUEST_ID.match(offered) else interlude_logging.new_request_id()
        try:
            check_body_size(request, self.max_body)
            request.max_content_length = self.max_body  # also bounds bodies sent without a length
            if self.validate:
                validate_request(request)
            # No check_signature (inspect.getcallargs, ~5% of a catalogue read): the URL rule's
            # variables are the handler's parameters by construction.
            args, kwargs = self.get_entrypoint_parameters(request)
            event = Event()
            self.container.spawn_worker(
                self, args, kwargs, context_data={interlude_logging.REQUEST_ID_KEY: request_id},
                handle_result=partial(self.handle_result, event))
            response = self.response_from_result(event.wait())
        except Exception as exc:
            response = self.response_from_exception(exc, request_id)
        response.headers["X-Request-Id"] = request_id
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    def handle_result(self, event, worker_ctx, result, exc_info):
        # Still in the worker: a request that touched client data answers once its audit entries
        # are written (gateway/audit.py; the web app's handler inherits this).
        result, exc_info = audit.record(worker_ctx, result, exc_info)
        event.send(result, exc_info)
        return result, exc_info

    def response_from_result(self, result):
        if isinstance(result, Response):
            return result
        status, headers, payload = 200, None, result
        if isinstance(result, tuple):
            status, headers, payload = result if len(result) == 3 else (result[0], None, result[1])
        if payload is None:
            return Response(status=status, headers=headers)
        return json_response(payload, status, headers)

    def response_from_exception(self, exc, request_id: str = ""):
        if isinstance(exc, errors.InterludeError):
            response = error_response(exc.code, exc.message, exc.status)
            if isinstance(exc, errors.TooManyRequests):
                response.headers["Retry-After"] = str(exc.retry_after)
            if isinstance(exc, errors.MethodNotAllowed) and exc.allow:
                response.headers["Allow"] = ", ".join(exc.allow)
            return response
        if isinstance(exc, RemoteError):
            mapped = errors.BY_NAME.get(exc.exc_type)
            if mapped is not None:
                return error_response(mapped.code, exc.value, mapped.status)
        if isinstance(exc, (BadRequest, ValueError)) and not isinstance(exc, RemoteError):
            return error_response("invalid_input", "The request could not be read as JSON.", 400)
        if isinstance(exc, HTTPException):
            return error_response("http_error", exc.description or exc.name, exc.code or 400)
        log.error("request_failed", error_type=type(exc).__name__,
                  remote_type=getattr(exc, "exc_type", None))
        return error_response("internal_error",
                              f"Something went wrong on our side. Quote request id {request_id}.", 500)


api = ApiHandler.decorator
