"""Start services: all of them in one process (embedded), or one per process (distributed).

Callers must have run ``eventlet.monkey_patch()`` first (the CLI does, before importing this).
"""
from __future__ import annotations

import importlib
import signal

import eventlet
from nameko.runners import ServiceRunner

from interlude.logging import get_logger
from interlude.messaging import nameko_config
from interlude.settings import Settings

log = get_logger(__name__)

SERVICES = {
    "catalog": "services.catalog.service:CatalogService",
    "search": "services.search.service:SearchService",
    "workbook": "services.workbook.service:WorkbookService",
    "progress": "services.progress.service:ProgressService",
    "gateway": "gateway.service:GatewayService",
}
STOP_TIMEOUT_SECONDS = 10


def service_class(name: str):
    module, _, attr = SERVICES[name].partition(":")
    return getattr(importlib.import_module(module), attr)


def build_runner(settings: Settings, names) -> ServiceRunner:
    runner = ServiceRunner(nameko_config(settings))
    for name in names:
        runner.add_service(service_class(name))
    return runner


def stop_runner(runner: ServiceRunner, grace_s: float = STOP_TIMEOUT_SECONDS) -> None:
    """Stop gracefully: each container stops taking work, waits for its running workers (RPCs in
    flight are answered) and then stops; kill what has not stopped within ``grace_s`` (the
    in-memory transport can hang here)."""
    stopped = False
    with eventlet.Timeout(grace_s, False):
        runner.stop()
        stopped = True
    if not stopped:
        log.warning("stop_grace_expired", grace_s=grace_s)
        runner.kill()


def start_embedded_render_worker(settings: Settings):
    """The embedded platform's render worker: a green thread on the in-memory queue. Jobs left
    queued or rendering by the last run are queued again first: that queue kept nothing."""
    from interlude import wiring
    from services.workbook.worker import requeue_unfinished, run_render_worker
    store = wiring.documents(settings)
    try:
        requeue_unfinished(settings, store)
    finally:
        store.close()
    return eventlet.spawn(run_render_worker, settings)


def run_until_signalled(runner: ServiceRunner, on_started=None, *, grace_s: float = STOP_TIMEOUT_SECONDS,
                        readiness=None) -> None:
    """Run until SIGTERM or SIGINT (or a container dies), then drain within ``grace_s``.
    ``readiness`` (interlude.metrics_server.Readiness) turns ready once started and not ready
    the moment a stop is asked for."""
    stopping = eventlet.event.Event()

    def request_stop(signum, _frame):
        if not stopping.ready():
            stopping.send(signum)

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    runner.start()
    if readiness is not None:
        readiness.started()
    if on_started:
        on_started()
    watcher = eventlet.spawn(runner.wait)
    waiter = eventlet.spawn(stopping.wait)
    # Whichever comes first: a signal, or a container dying on its own.
    done = eventlet.event.Event()
    watcher.link(lambda gt: done.ready() or done.send("crashed"))
    waiter.link(lambda gt: done.ready() or done.send("signal"))
    reason = done.wait()
    if readiness is not None:
        readiness.stopping()
    log.info("stopping", reason=reason, grace_s=grace_s)
    stop_runner(runner, grace_s)
    watcher.kill()
    waiter.kill()
