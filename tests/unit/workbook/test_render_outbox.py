"""Publishing a render job cannot lose it: the job record is the outbox, the relay publishes what
is unpublished (and only then marks it), and consuming a job twice renders it once."""
import uuid

import pytest

from interlude.actor import Actor
from interlude.adapters.sqlite_documents import SqliteDocumentStore
from interlude.jobs import Job, JobQueue
from services.workbook.adapters.catalogue import BuiltCatalogue
from services.workbook.application.render_jobs import mark_unpublished, publish_pending, render_workbook_job
from services.workbook.application.workbooks import JOBS, Workbooks, ensure_indexes, public_job

REQUEST = {"client_name": "Robin", "problems": ["insomnia"], "age_group": "adult", "length": "short"}


class BrokerDown:
    """A queue whose broker does not answer (a fake: the failure is the point of the test)."""

    def __init__(self):
        self.attempts = 0

    def publish(self, *args, **kwargs):
        self.attempts += 1
        raise ConnectionRefusedError(111, "Connection refused")


@pytest.fixture
def store(tmp_path):
    documents = SqliteDocumentStore(tmp_path / "docs.db")
    ensure_indexes(documents)
    yield documents
    documents.close()


@pytest.fixture
def workbooks(store):
    return Workbooks(store, Actor("usr_1", "cln_1", "practitioner"), BuiltCatalogue.from_content())


def queued_job(workbooks):
    workbook = workbooks.create(workbooks.catalogue.content, REQUEST)
    return workbooks.request_render(workbook["id"], clinic_name="Harbour Clinic", practitioner_name="Sam")


def test_a_job_whose_publish_failed_is_published_by_the_next_relay_pass(store, workbooks):
    job = queued_job(workbooks)
    assert job["published_at"] is None and job["book"]["tools"]      # saved first, carrying its book
    down = BrokerDown()
    assert publish_pending(store, down, job_id=job["id"]) == 0          # the request's own attempt fails
    assert down.attempts == 1 and store.collection(JOBS).get(job["id"])["published_at"] is None

    queue = JobQueue("memory://", f"t{uuid.uuid4().hex[:8]}")
    assert publish_pending(store, queue) == 1                           # the relay, once the broker is back
    assert queue.size() == 1 and store.collection(JOBS).get(job["id"])["published_at"]
    assert publish_pending(store, queue) == 0 and queue.size() == 1     # published once


def test_the_relay_leaves_a_just_requested_job_to_its_request(store, workbooks):
    queued_job(workbooks)
    queue = JobQueue("memory://", f"t{uuid.uuid4().hex[:8]}")
    assert publish_pending(store, queue, older_than_s=60) == 0
    assert publish_pending(store, queue) == 1


def test_jobs_the_in_memory_queue_lost_are_unpublished_again(store, workbooks):
    job = queued_job(workbooks)
    queue = JobQueue("memory://", f"t{uuid.uuid4().hex[:8]}")
    publish_pending(store, queue)
    store.collection(JOBS).update(job["id"], {"status": "rendering"})
    assert mark_unpublished(store) == 1                                  # an embedded restart
    assert store.collection(JOBS).get(job["id"])["status"] == "queued"
    assert publish_pending(store, queue) == 1


def test_a_job_delivered_again_after_it_is_done_renders_nothing(store, workbooks, tmp_path):
    job = queued_job(workbooks)
    store.collection(JOBS).update(job["id"], {"status": "done"})
    # no blob store is needed: a finished job is acknowledged before anything is read or rendered
    render_workbook_job(store, None, Job(job["id"], "render_workbook", {}, attempt=2, redelivered=True))
    assert store.collection(JOBS).get(job["id"])["status"] == "done"


def test_callers_see_the_job_not_its_book(workbooks):
    job = public_job(queued_job(workbooks))
    assert set(job) == {"id", "workbook_id", "edition", "status", "attempts", "requested_by", "requested_at",
                        "error"}


def test_the_clinic_branding_goes_on_the_cover_unless_the_book_has_its_own(workbooks):
    workbook = workbooks.create(workbooks.catalogue.content, REQUEST)
    job = workbooks.request_render(workbook["id"], clinic_name="Harbour Clinic", practitioner_name="Sam",
                                   clinic_logo_key="branding/cln_1/logo-ab.png", clinic_colour="#2a7f62")
    assert (job["book"]["logo_key"], job["book"]["colour"]) == ("branding/cln_1/logo-ab.png", "#2a7f62")


def test_a_job_whose_clinic_logo_was_replaced_meanwhile_renders_without_it(tmp_path):
    from interlude.adapters.folder_blobs import FolderBlobStore
    from services.workbook.application.render_jobs import _logo
    blobs = FolderBlobStore.from_url(f"file://{tmp_path}/blobs")
    assert _logo(blobs, {"logo_key": "branding/cln_1/logo-gone.png"}) == ({}, None)
