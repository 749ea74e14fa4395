"""Render workers: plain kombu consumers of the workbook render queue.

`interlude serve render-worker` runs one per process, outside eventlet (WeasyPrint is CPU-bound
and renders in a child process anyway); operations scale them by running more. In the embedded
platform one runs inside `interlude run` on the in-memory transport, and jobs a restart left
queued or rendering are queued again first, since that transport keeps nothing.
"""
from __future__ import annotations

import threading

from interlude import events, wiring
from interlude.jobs import JobQueue
from interlude.logging import get_logger
from interlude.messaging import nameko_config
from interlude.settings import Settings
from services.workbook.application.render_jobs import KIND, QUEUE_NAME, mark_failed, render_workbook_job
from services.workbook.application.workbooks import unfinished_jobs

log = get_logger(__name__)


def render_queue(settings: Settings) -> JobQueue:
    return JobQueue(settings.broker_url, QUEUE_NAME)


def requeue_unfinished(settings: Settings, store) -> int:
    queue = render_queue(settings)
    jobs = unfinished_jobs(store)
    for job in jobs:
        queue.publish(job["id"], KIND, {"workbook_id": job["workbook_id"]})
    if jobs:
        log.info("render_jobs_requeued", count=len(jobs))
    return len(jobs)


def run_render_worker(settings: Settings, stop: threading.Event | None = None) -> None:
    from nameko.standalone.events import event_dispatcher
    store, blobs = wiring.documents(settings), wiring.blobs(settings)
    dispatch = event_dispatcher(nameko_config(settings))

    def handle(job):
        render_workbook_job(store, blobs, job,
                            on_rendered=lambda data: dispatch(events.WORKBOOK, events.WORKBOOK_RENDERED, data))

    log.info("render_worker_ready", queue=QUEUE_NAME)
    try:
        render_queue(settings).work_forever(handle, lambda job, reason: mark_failed(store, job, reason), stop=stop)
    finally:
        store.close()
