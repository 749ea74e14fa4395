"""Prometheus metrics of every Interlude process (names and labels documented in docs/metrics.md).

One registry per process, prometheus_client's default: in the embedded `interlude run` every
service and the render worker share it, so the gateway's `/metrics` shows everything; in a
distributed deployment each process serves its own (interlude/metrics_server.py).

Labels take their values from the code only: service and method names, route templates, HTTP
statuses, outcomes and exception class names. Never a path, an id, a token, a query or anything
else a client sent: the set of label values stays small and holds no client data.

``Metrics`` is the one nameko dependency provider that times every worker of a service: add it
to each service class (``metrics = Metrics()``).
"""
from __future__ import annotations

import time

from nameko.extensions import DependencyProvider
from prometheus_client import Counter, Gauge, Histogram

from interlude.jobs import JobHandedBack

# Renders take seconds to minutes (a 62-page book: 3.4 s on an idle core, 180 s is the limit).
RENDER_BUCKETS = (0.5, 1, 2, 3, 5, 8, 13, 20, 30, 45, 60, 90, 120, 180, 300)

RPC_SECONDS = Histogram(
    "interlude_rpc_duration_seconds", "Time a service spent answering an RPC, by service and method.",
    ["service", "method", "outcome"])
HANDLER_SECONDS = Histogram(
    "interlude_handler_duration_seconds", "Time a service spent in an event handler or a timer.",
    ["service", "handler", "kind", "outcome"])
WORKERS_IN_FLIGHT = Gauge(
    "interlude_workers_in_flight", "Workers (RPCs, events, timers, HTTP requests) running now.",
    ["service"])
HTTP_SECONDS = Histogram(
    "interlude_http_request_duration_seconds",
    "Time the gateway took to answer an HTTP request, by route template, method and status.",
    ["route", "method", "status"])
SEARCH_SECONDS = Histogram(
    "interlude_search_duration_seconds", "Time the search service took to answer a query (RPC excluded).",
    ["operation"])
RENDER_SECONDS = Histogram(
    "interlude_render_duration_seconds", "Time a render worker spent on one render job, by outcome.",
    ["outcome"], buckets=RENDER_BUCKETS)
RENDER_FAILURES = Counter(
    "interlude_render_failures", "Render jobs that raised (retried or dead-lettered), by exception class.",
    ["error_type"])
RENDER_QUEUE_DEPTH = Gauge(
    "interlude_render_queue_depth", "Render jobs waiting on the broker's render queue (ready, not taken).")
RENDER_QUEUE_OLDEST_AGE = Gauge(
    "interlude_render_queue_oldest_job_age_seconds",
    "Age of the oldest render job still waiting for a worker (0 when none waits).")

OUTCOME_OK, OUTCOME_EXPECTED, OUTCOME_ERROR = "ok", "expected_error", "error"
RENDER_DONE, RENDER_FAILED, RENDER_HANDED_BACK = "done", "failed", "handed_back"


def _outcome(entrypoint, exc_info) -> str:
    if exc_info is None:
        return OUTCOME_OK
    if isinstance(exc_info[1], getattr(entrypoint, "expected_exceptions", ()) or ()):
        return OUTCOME_EXPECTED   # a client's mistake the service answered (not found, invalid, ...)
    return OUTCOME_ERROR


def _kind(entrypoint) -> str:
    """rpc, event, timer or http, from the entrypoint's class (nameko imported here only)."""
    from nameko.events import EventHandler
    from nameko.rpc import Rpc
    from nameko.timer import Timer
    from nameko.web.handlers import HttpRequestHandler
    for kind, cls in (("rpc", Rpc), ("event", EventHandler), ("timer", Timer), ("http", HttpRequestHandler)):
        if isinstance(entrypoint, cls):
            return kind
    return "other"


class Metrics(DependencyProvider):
    """Times every worker: RPCs into interlude_rpc_duration_seconds, event handlers and timers into
    interlude_handler_duration_seconds. HTTP requests are timed by the gateway's WSGI layer, which
    knows the route and the status (gateway/http_metrics.py)."""

    def setup(self):
        self._started: dict = {}

    def worker_setup(self, worker_ctx):
        self._started[worker_ctx] = time.perf_counter()
        WORKERS_IN_FLIGHT.labels(worker_ctx.service_name).inc()

    def worker_result(self, worker_ctx, result=None, exc_info=None):
        started = self._started.pop(worker_ctx, None)
        if started is None:
            return
        elapsed = time.perf_counter() - started
        entrypoint = worker_ctx.entrypoint
        kind, outcome = _kind(entrypoint), _outcome(entrypoint, exc_info)
        if kind == "rpc":
            RPC_SECONDS.labels(worker_ctx.service_name, entrypoint.method_name, outcome).observe(elapsed)
        elif kind != "http":
            HANDLER_SECONDS.labels(worker_ctx.service_name, entrypoint.method_name, kind, outcome).observe(elapsed)

    def worker_teardown(self, worker_ctx):
        self._started.pop(worker_ctx, None)
        WORKERS_IN_FLIGHT.labels(worker_ctx.service_name).dec()


def record_render(seconds: float, error: BaseException | None = None) -> None:
    """One render job's time and how it ended (a failure also counts by its exception class)."""
    if isinstance(error, JobHandedBack):
        RENDER_SECONDS.labels(RENDER_HANDED_BACK).observe(seconds)
    elif error is None:
        RENDER_SECONDS.labels(RENDER_DONE).observe(seconds)
    else:
        RENDER_SECONDS.labels(RENDER_FAILED).observe(seconds)
        RENDER_FAILURES.labels(type(error).__name__).inc()


def record_render_queue(depth: int, oldest_age_s: float) -> None:
    RENDER_QUEUE_DEPTH.set(depth)
    RENDER_QUEUE_OLDEST_AGE.set(max(0.0, oldest_age_s))
