"""Workbooks end to end: plan, create, edit, render on the render worker, editions."""
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from pypdf import PdfReader

from gateway.identity import Identity
from interlude import settings as settings_module
from interlude import wiring
from interlude.actor import Actor
from interlude.jobs import JobQueue
from interlude_app.runner import start_embedded_render_worker
from services.workbook.adapters.catalogue import BuiltCatalogue
from services.workbook.application.render_jobs import QUEUE_NAME, publish_pending
from services.workbook.application.workbooks import Workbooks
from tests.conftest import TEST_SECRET, free_port, make_env
from tests.platform import PASSWORD, logged_in, running, seeded_settings

REQUEST = {"client_name": "Robin", "problems": ["insomnia", "generalised-worry"], "age_group": "adult",
           "goals": ["Sleep through most nights", "Worry less at work"], "length": "short"}


def wait_for(check, timeout=90.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.2)
    pytest.fail("timed out")


PLATFORM = {}   # the running platform's settings, for the tests that reach its store


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    settings = seeded_settings(tmp_path_factory.mktemp("data"), [("Riverside Practice", "lee@riverside.example"),
                                                                 ("Other Clinic", "sam@other.example")], port=free_port())
    PLATFORM["settings"] = settings
    with running(settings) as base:
        worker = start_embedded_render_worker(settings)
        yield base, logged_in(base, "lee@riverside.example"), logged_in(base, "sam@other.example")
        worker.kill()


def render_and_wait(base, session, workbook_id):
    job = session.post(f"{base}/api/v1/workbooks/{workbook_id}/render")
    assert job.status_code == 202, job.text
    job_id = job.json()["id"]
    return wait_for(lambda: (lambda j: j if j["status"] in ("done", "failed") else None)(
        session.get(f"{base}/api/v1/workbooks/{workbook_id}/jobs/{job_id}").json()))


def test_plan_create_render_and_a_second_edition(api):
    base, session, other = api
    plan = session.post(f"{base}/api/v1/workbooks/plan", json=REQUEST)
    assert plan.status_code == 200, plan.text
    created = session.post(f"{base}/api/v1/workbooks", json=REQUEST)
    assert created.status_code == 201, created.text
    workbook = created.json()
    assert other.get(f"{base}/api/v1/workbooks/{workbook['id']}").status_code == 404

    job = render_and_wait(base, session, workbook["id"])
    assert job["status"] == "done", job
    editions = session.get(f"{base}/api/v1/workbooks/{workbook['id']}/editions").json()
    assert [e["number"] for e in editions] == [1]
    pdf = session.get(f"{base}/api/v1/workbooks/{workbook['id']}/editions/1.pdf")
    assert pdf.headers["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Robin" in " ".join(text.split()) and "Riverside Practice" in text

    chapter = workbook["plan"]["chapters"][0]
    dropped = chapter["tools"][0]["tool_id"]
    edited = session.patch(f"{base}/api/v1/workbooks/{workbook['id']}", json={"edits": [
        {"op": "remove", "tool_id": dropped},
        {"op": "note", "chapter": chapter["problem"], "text": "Start with the sleep diary, <b>one week</b>."}]})
    assert edited.status_code == 200, edited.text
    assert "<b>" not in edited.json()["plan"]["chapters"][0]["note"]
    second = render_and_wait(base, session, workbook["id"])
    assert second["status"] == "done" and second["edition"] == 2
    editions = session.get(f"{base}/api/v1/workbooks/{workbook['id']}/editions").json()
    assert [e["number"] for e in editions] == [1, 2]
    shared = requests.get(editions[0]["download_url"])  # a signed link: no login needed
    assert shared.status_code == 200 and shared.content[:5] == b"%PDF-"
    tampered = editions[0]["download_url"].replace("/1.pdf", "/2.pdf")
    assert requests.get(tampered).status_code == 403
    assert editions[1]["changes"]["tools_removed"] == [dropped]
    assert editions[1]["changes"]["notes_changed"] == [chapter["problem"]]
    foreign = session.patch(f"{base}/api/v1/workbooks/{workbook['id']}", json={"edits": [
        {"op": "add", "tool_id": "ct_0000000000000000"}]})
    assert foreign.status_code == 404
    assert other.get(f"{base}/api/v1/workbooks/{workbook['id']}/editions/1.pdf").status_code == 404


@pytest.mark.parametrize("change, status", [
    ({"problems": ["no-such-problem"]}, (400, 404)),
    ({"problems": []}, (400,)),
    ({"age_group": "toddler"}, (400,)),
])
def test_bad_plans_get_a_clear_4xx(api, change, status):
    base, session, _ = api
    response = session.post(f"{base}/api/v1/workbooks", json={**REQUEST, **change})
    assert response.status_code in status, response.text
    assert response.json()["message"]


@pytest.mark.slow
def test_a_render_worker_killed_mid_render_loses_nothing(tmp_path, fresh_rabbit_url):
    env = make_env(tmp_path / "data", broker_url=fresh_rabbit_url, secret_key=TEST_SECRET)
    settings = settings_module.load(env)
    store = wiring.documents(settings)
    clinic, admin = Identity(store).create_clinic("Kill Test Clinic", "k@kill.example", "K", PASSWORD)
    catalogue = BuiltCatalogue.from_content()
    workbooks = Workbooks(store, Actor(admin["id"], clinic["id"], "clinic_admin"), catalogue)
    workbook = workbooks.create(catalogue.content, {**REQUEST, "problems": ["insomnia", "generalised-worry",
                                                                            "depression"], "length": "full"})
    job = workbooks.request_render(workbook["id"], clinic_name=clinic["name"], practitioner_name="K")
    interlude = str(Path(sys.executable).with_name("interlude"))
    workers = [subprocess.Popen([interlude, "serve", "render-worker"], env={**os.environ, **env},
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(2)]
    try:
        time.sleep(2)
        assert publish_pending(store, JobQueue(fresh_rabbit_url, QUEUE_NAME)) == 1   # the outbox relay
        jobs = store.collection("workbook_jobs")
        rendering = wait_for(lambda: (lambda j: j if j["status"] == "rendering" else None)(jobs.get(job["id"])), 60)
        os.kill(rendering["worker_pid"], signal.SIGKILL)
        done = wait_for(lambda: (lambda j: j if j["status"] == "done" else None)(jobs.get(job["id"])), 180)
        assert done["worker_pid"] != rendering["worker_pid"] and done["attempts"] == 2
        editions = store.collection("workbook_editions").find({"workbook_id": workbook["id"]})
        assert [e["number"] for e in editions] == [1]
        assert wiring.blobs(settings).get(editions[0]["key"])[:5] == b"%PDF-"
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=30)
        store.close()


def test_a_job_saved_but_never_published_is_relayed_and_rendered(api):
    """As if the broker had been away when the job was requested: the record alone is enough."""
    base, session, _ = api
    workbook = session.post(f"{base}/api/v1/workbooks", json={**REQUEST, "client_name": "Outbox"}).json()
    me = session.get(f"{base}/api/v1/me").json()
    store = wiring.documents(PLATFORM["settings"])
    try:
        actor = Actor(me["user"]["id"], me["clinic"]["id"], me["user"]["role"])
        job = Workbooks(store, actor, BuiltCatalogue.from_content()).request_render(
            workbook["id"], clinic_name=me["clinic"]["name"], practitioner_name=me["user"]["name"])
        assert job["published_at"] is None        # saved, never published
    finally:
        store.close()
    done = wait_for(lambda: (lambda j: j if j["status"] in ("done", "failed") else None)(
        session.get(f"{base}/api/v1/workbooks/{workbook['id']}/jobs/{job['id']}").json()))
    assert done["status"] == "done", done


def test_a_workbook_write_sent_again_with_its_key_records_once(api):
    """The gateway passes each write's key over RPC: a create, an edit and a render request sent
    again with the same Idempotency-Key (as a redelivered message carries it) record once (#11)."""
    base, session, _ = api
    key = {"Idempotency-Key": "test-create-workbook-1"}
    first, again = (session.post(f"{base}/api/v1/workbooks", json=REQUEST, headers=key) for _ in range(2))
    assert first.status_code == again.status_code == 201 and first.json()["id"] == again.json()["id"]
    assert "applied_keys" not in first.json()
    workbook = first.json()
    tool_id = workbook["plan"]["chapters"][0]["tools"][0]["tool_id"]
    url = f"{base}/api/v1/workbooks/{workbook['id']}"
    assert session.patch(url, json={"edits": [{"op": "remove", "tool_id": tool_id}]}).status_code == 200
    add = {"edits": [{"op": "add", "tool_id": tool_id}]}
    added = [session.patch(url, json=add, headers={"Idempotency-Key": "test-add-tool-1"}) for _ in range(2)]
    assert [r.status_code for r in added] == [200, 200] and added[0].json() == added[1].json()
    render = {"Idempotency-Key": "test-render-1"}
    jobs = [session.post(f"{url}/render", headers=render).json() for _ in range(2)]
    assert jobs[0]["id"] == jobs[1]["id"] and jobs[0]["edition"] == jobs[1]["edition"] == 1
