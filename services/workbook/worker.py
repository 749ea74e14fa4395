"""Render workers: plain kombu consumers of the workbook render queue.

`interlude serve render-worker` runs one per process, outside eventlet (WeasyPrint is CPU-bound
and renders in a child process anyway); operations scale them by running more. In the embedded
platform one runs inside `interlude run` on the in-memory transport; jobs a restart left queued
or rendering are made unpublished first, and the workbook service's relay queues them again,
since that transport keeps nothing.
"""
from __future__ import annotations

import threading
import time
from contextlib import nullcontext

from interlude import events, wiring
from interlude.jobs import JobQueue
from interlude.logging import get_logger
from interlude.messaging import nameko_config
from interlude.metrics import record_render
from interlude.settings import Settings
from services.workbook.application.render_jobs import (QUEUE_NAME, hand_back, mark_failed, mark_unpublished,
                                                       publish_pending, render_workbook_job)
from services.workbook.application.workbooks import ensure_indexes

log = get_logger(__name__)


def render_queue(settings: Settings) -> JobQueue:
    return JobQueue(settings.broker_url, QUEUE_NAME)


def requeue_unfinished(settings: Settings, store) -> int:
    """Embedded start: the in-memory queue lost every job it held; publish them again."""
    count = mark_unpublished(store)
    publish_pending(store, render_queue(settings))
    if count:
        log.info("render_jobs_requeued", count=count)
    return count


def run_render_worker(settings: Settings, stop: threading.Event | None = None, graceful=None) -> None:
    """Take render jobs until ``stop`` is set. ``graceful`` (interlude.shutdown.GracefulStop, in
    `interlude serve render-worker`) lets a stop end the render in hand once its grace is over:
    the job is then handed back to the queue, for another worker."""
    from nameko.standalone.events import event_dispatcher
    store, blobs = wiring.documents(settings), wiring.blobs(settings)
    ensure_indexes(store)
    dispatch = event_dispatcher(nameko_config(settings))
    in_job = graceful.job if graceful is not None else nullcontext

    def handle(job):
        started = time.perf_counter()
        try:
            with in_job():
                render_workbook_job(store, blobs, job, on_rendered=lambda data: dispatch(
                    events.WORKBOOK, events.WORKBOOK_RENDERED, data))
        except BaseException as exc:
            record_render(time.perf_counter() - started, exc)
            raise
        record_render(time.perf_counter() - started)

    log.info("render_worker_ready", queue=QUEUE_NAME)
    try:
        render_queue(settings).work_forever(handle, lambda job, reason: mark_failed(store, job, reason),
                                            stop=stop if graceful is None else graceful.stop,
                                            on_hand_back=lambda job: hand_back(store, job))
    finally:
        store.close()
