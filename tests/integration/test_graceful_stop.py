"""Graceful stop on SIGTERM (issue #17), with real processes on RabbitMQ: a render worker finishes
the render in hand within its grace period, or hands the job back to the queue for another
worker; either way the edition is made exactly once. And a service drains its in-flight RPCs."""
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from gateway.identity import Identity
from interlude import settings as settings_module
from interlude import wiring
from interlude.actor import Actor
from interlude.jobs import JobQueue
from services.workbook.adapters.catalogue import BuiltCatalogue
from services.workbook.application.render_jobs import QUEUE_NAME, publish_pending
from services.workbook.application.workbooks import Workbooks
from tests.conftest import TEST_SECRET, free_port, make_env
from tests.metrics_samples import scrape, value
from tests.platform import PASSWORD
from tests.waiting import wait_for

pytestmark = pytest.mark.slow
INTERLUDE = str(Path(sys.executable).with_name("interlude"))
BOOK = {"client_name": "Robin", "problems": ["insomnia", "generalised-worry", "depression"], "age_group": "adult",
        "goals": ["Sleep through most nights"], "length": "full"}   # ~60 pages: seconds of rendering


@pytest.fixture
def render_job(tmp_path, fresh_rabbit_url):
    """A render job saved and published on a fresh vhost, and a way to start render workers."""
    env = make_env(tmp_path / "data", broker_url=fresh_rabbit_url, secret_key=TEST_SECRET, log_format="json",
                   log_level="info")
    settings = settings_module.load(env)
    store = wiring.documents(settings)
    clinic, admin = Identity(store).create_clinic("Stop Test Clinic", "s@stop.example", "S", PASSWORD)
    catalogue = BuiltCatalogue.from_content()
    workbooks = Workbooks(store, Actor(admin["id"], clinic["id"], "clinic_admin"), catalogue)
    workbook = workbooks.create(catalogue.content, BOOK)
    job = workbooks.request_render(workbook["id"], clinic_name=clinic["name"], practitioner_name="S")
    workers = []

    def start_worker(grace_s):
        metrics_port = free_port()
        log = open(tmp_path / f"worker-{len(workers)}.log", "w")
        worker = subprocess.Popen([INTERLUDE, "serve", "render-worker"], stdout=log, stderr=subprocess.STDOUT,
                                  env={**os.environ, **env, "INTERLUDE_SHUTDOWN_GRACE_SECONDS": str(grace_s),
                                       "INTERLUDE_METRICS_PORT": str(metrics_port)})
        worker.metrics_url, worker.log_path = f"http://127.0.0.1:{metrics_port}", log.name
        workers.append(worker)
        wait_for(lambda: probe(worker, "/readyz") == 200, 60, "the render worker to be ready")
        return worker

    def publish():
        assert publish_pending(store, JobQueue(fresh_rabbit_url, QUEUE_NAME)) == 1   # the outbox relay

    def status(wanted):
        return lambda: (lambda j: j if j["status"] == wanted else None)(store.collection("workbook_jobs").get(job["id"]))

    try:
        yield {"job": job, "workbook": workbook, "store": store, "settings": settings, "start_worker": start_worker,
               "publish": publish, "status": status}
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
            worker.wait(timeout=30)
        store.close()


def probe(worker, path):
    try:
        return requests.get(worker.metrics_url + path, timeout=2).status_code
    except requests.RequestException:
        return None


def log_events(worker):
    events = []
    for line in Path(worker.log_path).read_text().splitlines():
        try:
            events.append(json.loads(line))
        except ValueError:
            pass
    return events


def assert_one_edition(render_job):
    store, workbook = render_job["store"], render_job["workbook"]
    editions = store.collection("workbook_editions").find({"workbook_id": workbook["id"]})
    assert [e["number"] for e in editions] == [1]
    assert wiring.blobs(render_job["settings"]).get(editions[0]["key"])[:5] == b"%PDF-"


def test_sigterm_mid_render_lets_the_render_finish_within_the_grace(render_job):
    worker = render_job["start_worker"](grace_s=300)
    render_job["publish"]()
    rendering = wait_for(render_job["status"]("rendering"), 60, "the render to start")
    worker.send_signal(signal.SIGTERM)
    assert wait_for(lambda: probe(worker, "/readyz") == 503, 10, "the worker to say it is not ready")
    assert worker.wait(timeout=300) == 0
    done = render_job["store"].collection("workbook_jobs").get(render_job["job"]["id"])
    assert done["status"] == "done" and done["attempts"] == 1 and done["worker_pid"] == rendering["worker_pid"]
    stopping = [e for e in log_events(worker) if e.get("event") == "stopping"]
    assert stopping and stopping[0]["in_job"] is True   # the signal came mid-render
    assert_one_edition(render_job)


def test_sigterm_past_the_grace_hands_the_job_back_to_the_next_worker(render_job):
    first = render_job["start_worker"](grace_s=0.5)
    render_job["publish"]()
    wait_for(render_job["status"]("rendering"), 60, "the render to start")
    first.send_signal(signal.SIGTERM)
    assert first.wait(timeout=30) == 0    # it did not wait for the render
    handed_back = render_job["store"].collection("workbook_jobs").get(render_job["job"]["id"])
    assert handed_back["status"] == "queued" and handed_back["handed_back_at"]
    assert any(e.get("event") == "job_handed_back" for e in log_events(first))

    second = render_job["start_worker"](grace_s=300)
    done = wait_for(render_job["status"]("done"), 300, "the next worker to render the job")
    assert done["attempts"] == 2 and done["worker_pid"] == second.pid
    assert_one_edition(render_job)
    # Recorded once the job's work returns, a moment after its record says done.
    wait_for(lambda: value(scrape(f"{second.metrics_url}/metrics")[1], "interlude_render_duration_seconds_count",
                           outcome="done") == 1, 10, "the render to be counted")


def test_sigterm_lets_a_service_answer_the_rpcs_in_flight(fresh_rabbit_url):
    """nameko's ServiceContainer.stop() stops taking messages, then waits for running workers:
    a call in flight when SIGTERM arrives is still answered, and the process exits cleanly."""
    from nameko.standalone.rpc import ClusterRpcProxy
    service = subprocess.Popen([sys.executable, "-m", "tests.drain_service", fresh_rabbit_url, "20"],
                               stdout=subprocess.PIPE, text=True)
    try:
        assert service.stdout.readline().strip() == "started"
        with ClusterRpcProxy({"AMQP_URI": fresh_rabbit_url, "serializer": "json"}, timeout=30) as cluster:
            reply = cluster.slow.slow.call_async(3)
            assert service.stdout.readline().strip() == "slow call started"
            service.send_signal(signal.SIGTERM)
            assert reply.result() == "finished"
        assert service.wait(timeout=30) == 0
    finally:
        if service.poll() is None:
            service.kill()
        service.wait(timeout=10)
