"""A workbook write delivered twice (an RPC message redelivered after a crash) records once; two
requests record twice (issue #11: idempotent writes end to end)."""
import pytest

from interlude.actor import Actor
from interlude.adapters.sqlite_documents import SqliteDocumentStore
from interlude.errors import Conflict, InvalidInput
from services.workbook.adapters.catalogue import BuiltCatalogue
from services.workbook.application.workbooks import EDITIONS, JOBS, WORKBOOKS, Workbooks, ensure_indexes
from services.workbook.service import public

REQUEST = {"client_name": "Robin", "problems": ["insomnia"], "age_group": "adult", "length": "short"}


@pytest.fixture
def store(tmp_path):
    documents = SqliteDocumentStore(tmp_path / "docs.db")
    ensure_indexes(documents)
    yield documents
    documents.close()


@pytest.fixture
def workbooks(store):
    return Workbooks(store, Actor("usr_1", "cln_1", "practitioner"), BuiltCatalogue.from_content())


def create(workbooks, key):
    return workbooks.create(workbooks.catalogue.content, REQUEST, request_key=key)


def test_a_create_delivered_twice_makes_one_workbook(store, workbooks):
    first, again = create(workbooks, "req-create-1"), create(workbooks, "req-create-1")
    assert again["id"] == first["id"] and store.collection(WORKBOOKS).count() == 1
    create(workbooks, "req-create-2")
    create(workbooks, None)
    assert store.collection(WORKBOOKS).count() == 3


def test_another_practitioners_key_is_not_taken_for_theirs(store, workbooks):
    create(workbooks, "req-create-1")
    other = Workbooks(store, Actor("usr_2", "cln_1", "practitioner"), workbooks.catalogue)
    with pytest.raises(Conflict):
        other.create(other.catalogue.content, REQUEST, request_key="req-create-1")


def tool_ids(workbook):
    return [tool["tool_id"] for chapter in workbook["plan"]["chapters"] for tool in chapter["tools"]]


def test_an_edit_delivered_twice_is_applied_once(workbooks):
    workbook = create(workbooks, "req-create-1")
    removed = tool_ids(workbook)[0]
    edit = {"edits": [{"op": "remove", "tool_id": removed}]}
    workbooks.update(workbook["id"], edit, request_key="req-edit-1")
    add = {"edits": [{"op": "add", "tool_id": removed}]}
    once = workbooks.update(workbook["id"], add, request_key="req-edit-2")
    again = workbooks.update(workbook["id"], add, request_key="req-edit-2")
    assert tool_ids(again) == tool_ids(once) and tool_ids(once).count(removed) == 1   # not "already in": no error
    assert "applied_keys" not in public(again)            # kept for the service, never shown
    with pytest.raises(InvalidInput):    # a new request is applied (and adding a tool already there is refused)
        workbooks.update(workbook["id"], add, request_key="req-edit-3")


def test_a_render_request_delivered_twice_queues_one_job_and_numbers_one_edition(store, workbooks):
    workbook = create(workbooks, "req-create-1")
    render = lambda key: workbooks.request_render(workbook["id"], clinic_name="Harbour", request_key=key)  # noqa: E731
    first, again = render("req-render-1"), render("req-render-1")
    assert again["id"] == first["id"] and again["edition"] == first["edition"] == 1
    assert store.collection(JOBS).count() == 1 and workbooks.get(workbook["id"])["editions"] == 1
    second = render("req-render-2")
    assert second["id"] != first["id"] and second["edition"] == 2 and store.collection(JOBS).count() == 2
    assert store.collection(EDITIONS).count() == 0        # editions are the workers' (keyed by job)
