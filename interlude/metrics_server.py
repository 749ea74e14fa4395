"""The small HTTP server a process of a distributed deployment runs on ``INTERLUDE_METRICS_PORT``:
``/metrics`` (Prometheus text format), ``/healthz`` (the process answers) and ``/readyz`` (it
is started and not stopping), for Prometheus to scrape and Kubernetes to probe.

Why a server per process rather than prometheus_client's multiprocess mode: that mode shares a
folder of memory-mapped files between processes forked on one host (gunicorn workers); our
processes are one service each, in their own container or pod, with nothing shared, and Prometheus
finds and scrapes each pod on its own. The same port gives the services without HTTP (catalog,
search, workbook, progress, render workers) their Kubernetes probes.

It is a ``wsgiref`` server in a daemon thread: a real thread in the render worker, a green one in
a monkey-patched nameko process. The embedded platform needs none: the gateway's ``/metrics``
shows the one registry every service of that process writes to.
"""
from __future__ import annotations

import json
import threading
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import make_wsgi_app

from interlude.logging import get_logger

log = get_logger(__name__)
METRICS_PATH, HEALTH_PATH, READY_PATH = "/metrics", "/healthz", "/readyz"
_prometheus_app = make_wsgi_app()


class Readiness:
    """Ready once started, not ready again from the moment the process is asked to stop (so that
    nothing new is routed to it while it drains)."""

    def __init__(self):
        self._ready = threading.Event()

    def started(self) -> None:
        self._ready.set()

    def stopping(self) -> None:
        self._ready.clear()

    @property
    def ready(self) -> bool:
        return self._ready.is_set()


def _json(start_response, status: str, body: dict):
    start_response(status, [("Content-Type", "application/json"), ("Cache-Control", "no-store")])
    return [json.dumps(body).encode()]


def serve_metrics(environ, start_response):
    """``/metrics`` as a WSGI app (the gateway serves it on its own port too)."""
    return _prometheus_app(environ, start_response)


def probe_app(readiness: Readiness):
    def app(environ, start_response):
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET")
        if method not in ("GET", "HEAD"):
            start_response("405 Method Not Allowed", [("Allow", "GET, HEAD")])
            return [b""]
        if path == METRICS_PATH:
            return serve_metrics(environ, start_response)
        if path == HEALTH_PATH:
            return _json(start_response, "200 OK", {"status": "up"})
        if path == READY_PATH:
            if readiness.ready:
                return _json(start_response, "200 OK", {"status": "ready"})
            return _json(start_response, "503 Service Unavailable", {"status": "not_ready"})
        return _json(start_response, "404 Not Found", {"error": "not_found",
                                                       "message": "Use /metrics, /healthz or /readyz."})
    return app


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # scrapes and probes every few seconds: not worth a log line
        pass


def start_metrics_server(host: str, port: int, readiness: Readiness) -> WSGIServer:
    """Serve /metrics, /healthz and /readyz on ``host:port`` from a daemon thread; return the
    server (``server.server_port`` is the port, when 0 asked for any free one)."""
    server = make_server(host, port, probe_app(readiness), server_class=_Server, handler_class=_QuietHandler)
    threading.Thread(target=server.serve_forever, name="metrics-server", daemon=True).start()
    log.info("metrics_server_started", port=server.server_port)
    return server
