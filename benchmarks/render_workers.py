"""Render throughput with one and with two render-worker processes on RabbitMQ (goal: two
workers finish the same batch at least 1.8x as fast as one). Each round queues the same
workbooks, starts N `interlude serve render-worker` processes and times until every job is done."""
from __future__ import annotations

import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import rabbit

GOAL_RATIO = 1.8


def _prepare(settings, count: int, problems: list[str]):
    from gateway.identity import Identity
    from interlude import wiring
    from interlude.actor import Actor
    from services.workbook.adapters.catalogue import BuiltCatalogue
    from services.workbook.application.workbooks import Workbooks
    store = wiring.documents(settings)
    catalogue = BuiltCatalogue.from_content()
    clinic, admin = Identity(store).create_clinic("Bench Clinic", f"b{secrets.token_hex(4)}@bench.example",
                                                  "Bench", "benchmark password")
    workbooks = Workbooks(store, Actor(admin["id"], clinic["id"], "clinic_admin"), catalogue)
    ids = [workbooks.create(catalogue.content, {"client_name": f"C{n}", "problems": problems,
                                                "age_group": "adult", "length": "short"})["id"]
           for n in range(count)]
    return store, workbooks, ids


def _round(env: dict, workers: int, count: int, problems: list[str]) -> float:
    from interlude import settings as settings_module
    from interlude.jobs import JobQueue
    from services.workbook.application.render_jobs import QUEUE_NAME, publish_pending
    from services.workbook.application.workbooks import JOBS
    settings = settings_module.load(env)
    store, workbooks, ids = _prepare(settings, count, problems)
    jobs = [workbooks.request_render(workbook_id, clinic_name="Bench Clinic", practitioner_name="Bench")
            for workbook_id in ids]
    interlude = str(Path(sys.executable).with_name("interlude"))
    processes = [subprocess.Popen([interlude, "serve", "render-worker"], env={**os.environ, **env},
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(workers)]
    try:
        time.sleep(3)  # connected, and each has its spare renderer child warm
        queue = JobQueue(settings.broker_url, QUEUE_NAME)
        started = time.perf_counter()
        publish_pending(store, queue)   # the outbox relay, as the workbook service runs it
        collection = store.collection(JOBS)
        while collection.count({"id": {"$in": [j["id"] for j in jobs]}, "status": "done"}) < len(jobs):
            if time.perf_counter() - started > 600:
                raise RuntimeError("render workers did not finish within 600 s")
            time.sleep(0.1)
        return time.perf_counter() - started
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
        store.close()


def run(quick: bool = False) -> list[dict]:
    rabbit.check_available()
    count, problems = (2, ["insomnia"]) if quick else (6, ["insomnia", "generalised-worry"])
    rows, seconds = [], {}
    for workers in (1, 2):
        with rabbit.temporary_vhost() as url, tempfile.TemporaryDirectory(prefix="interlude-bench-") as data:
            env = {"INTERLUDE_DATA_DIR": data, "INTERLUDE_BROKER_URL": url, "INTERLUDE_LOG_LEVEL": "warning",
                   "INTERLUDE_SECRET_KEY": secrets.token_urlsafe(32)}
            seconds[workers] = _round(env, workers, count, problems)
        rows.append({"workers": workers, "workbooks": count, "seconds": round(seconds[workers], 2),
                     "workbooks per minute": round(60 * count / seconds[workers], 1)})
    rows.append({"workers": "2 / 1", "workbooks": count, "seconds": "",
                 "workbooks per minute": f"{seconds[1] / seconds[2]:.2f}x (goal {GOAL_RATIO}x)"})
    return rows
