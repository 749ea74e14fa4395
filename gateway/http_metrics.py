"""The gateway's HTTP metrics and its ``/metrics``: a WSGI layer around the gateway's app.

Each request is timed under its route template (``/api/v1/workbooks/<workbook_id>``,
``/portal/<token>``), never its path: paths carry ids and portal tokens. A path no route matches
counts as ``unmatched``, a method outside the usual ones as ``OTHER``, so that no caller can
grow the label set.
"""
from __future__ import annotations

import re
import time

from werkzeug.exceptions import HTTPException

from interlude.metrics import HTTP_SECONDS
from interlude.metrics_server import METRICS_PATH, serve_metrics

UNMATCHED = "unmatched"
_CONVERTER = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")   # <string:tool_id> -> <tool_id>
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def route_of(url_map, environ) -> str:
    if environ.get("PATH_INFO") == METRICS_PATH:
        return METRICS_PATH
    try:
        rule, _ = url_map.bind_to_environ(environ).match(return_rule=True)
    except HTTPException:
        return UNMATCHED
    return _CONVERTER.sub(r"<\1>", rule.rule)


class ObservedApp:
    """Serves ``GET /metrics`` itself (no worker, no login: what it shows holds no client data)
    and times everything else the wrapped app answers."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        method = environ.get("REQUEST_METHOD", "")
        statuses = []

        def recording_start_response(status, headers, exc_info=None):
            statuses.append(status.split(" ", 1)[0])
            return start_response(status, headers, exc_info)

        try:
            if environ.get("PATH_INFO") == METRICS_PATH and method in ("GET", "HEAD"):
                return serve_metrics(environ, recording_start_response)
            return self.app(environ, recording_start_response)
        finally:
            HTTP_SECONDS.labels(route_of(self.app.url_map, environ), method if method in METHODS else "OTHER",
                                statuses[-1] if statuses else "500").observe(time.perf_counter() - started)
