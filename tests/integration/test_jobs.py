"""Durable job queues: one job at a time, retries with back-off, dead letters, and no job lost
when a worker is killed mid-job."""
import os
import signal
import subprocess
import sys
import threading
import time
import uuid

import pytest

from interlude.adapters.sqlite_documents import SqliteDocumentStore
from interlude.jobs import JobQueue, PermanentJobError


def wait_for(check, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return False


@pytest.fixture(params=["memory", "rabbitmq"])
def queue(request):
    url = "memory://" if request.param == "memory" else request.getfixturevalue("fresh_rabbit_url")
    return JobQueue(url, f"t{uuid.uuid4().hex[:8]}", max_attempts=3, backoff=(1,))


def run_worker(queue, handler, dead):
    stop = threading.Event()
    thread = threading.Thread(target=queue.work_forever, args=(handler, lambda job, reason: dead.append((job, reason))),
                              kwargs={"stop": stop, "idle_timeout": 0.2}, daemon=True)
    thread.start()
    return stop


def test_jobs_are_processed_once_each(queue):
    done, dead = [], []
    stop = run_worker(queue, lambda job: done.append(job.payload["n"]), dead)
    try:
        for n in range(5):
            queue.publish(f"job-{n}", "count", {"n": n})
        assert wait_for(lambda: len(done) == 5)
        assert sorted(done) == [0, 1, 2, 3, 4] and dead == []
    finally:
        stop.set()


def test_a_failing_job_is_retried_then_dead_lettered_with_its_reason(queue):
    attempts, dead = [], []

    def flaky(job):
        attempts.append(job.attempt)
        raise RuntimeError("renderer crashed")

    stop = run_worker(queue, flaky, dead)
    try:
        queue.publish("job-bad", "render", {"x": 1})
        assert wait_for(lambda: dead, timeout=30)
        assert attempts == [1, 2, 3]
        job, reason = dead[0]
        assert job.job_id == "job-bad" and "renderer crashed" in reason
        assert wait_for(lambda: queue.size(queue.dead) == 1, timeout=5)
    finally:
        stop.set()


def test_a_job_that_recovers_on_retry_succeeds(queue):
    attempts, dead, done = [], [], []

    def second_time_lucky(job):
        attempts.append(job.attempt)
        if job.attempt == 1:
            raise TimeoutError("slow")
        done.append(job.job_id)

    stop = run_worker(queue, second_time_lucky, dead)
    try:
        queue.publish("job-retry", "render", {})
        assert wait_for(lambda: done, timeout=30)
        assert attempts == [1, 2] and dead == []
    finally:
        stop.set()


def test_permanent_errors_skip_the_retries(queue):
    dead = []

    def refuse(job):
        raise PermanentJobError("unknown workbook")

    stop = run_worker(queue, refuse, dead)
    try:
        queue.publish("job-perm", "render", {})
        assert wait_for(lambda: dead, timeout=10)
        assert dead[0][0].attempt == 1 and "unknown workbook" in dead[0][1]
    finally:
        stop.set()


@pytest.mark.slow
def test_a_worker_killed_mid_job_loses_nothing_and_duplicates_nothing(tmp_path, fresh_rabbit_url):
    db = tmp_path / "jobs.db"
    SqliteDocumentStore(db).close()
    workers = [subprocess.Popen([sys.executable, "-m", "tests.job_worker", fresh_rabbit_url, str(db), "3"],
                                cwd=os.getcwd()) for _ in range(2)]
    store = SqliteDocumentStore(db)
    try:
        time.sleep(1.5)  # both workers connected and waiting
        JobQueue(fresh_rabbit_url, "testjobs").publish("only-job", "work", {})
        assert wait_for(lambda: store.collection("starts").count() == 1, timeout=20)
        first = store.collection("starts").find()[0]
        os.kill(first["pid"], signal.SIGKILL)  # mid-job: the message was never acknowledged
        assert wait_for(lambda: store.collection("results").count() == 1, timeout=30)
        result = store.collection("results").get("only-job")
        assert result["pid"] != first["pid"]
        starts = store.collection("starts").find(sort=[("pid", 1)])
        assert len(starts) == 2 and any(s["redelivered"] for s in starts)
        time.sleep(1)
        assert store.collection("results").count() == 1
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
            worker.wait(timeout=10)
