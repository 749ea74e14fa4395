"""One suite for every documents adapter (kombu's integration/common.py, fsspec's abstract tests).
Each adapter subclasses ``DocumentStoreContract`` and provides the ``store`` fixture."""
import os
import threading
import uuid

import pytest

from interlude.adapters.sqlite_documents import SqliteDocumentStore
from interlude.errors import Conflict, InvalidInput, NotFound
from interlude.ports.documents import TenantScope


class DocumentStoreContract:
    @pytest.fixture
    def items(self, store):
        return store.collection("items")

    def test_insert_then_get_returns_the_document(self, items):
        items.insert({"id": "a", "n": 1, "tags": ["x", "y"], "nested": {"k": "v"}})
        assert items.get("a") == {"id": "a", "n": 1, "tags": ["x", "y"], "nested": {"k": "v"}}
        assert items.get("missing") is None

    def test_insert_needs_an_id_and_refuses_duplicates(self, items):
        with pytest.raises(InvalidInput):
            items.insert({"n": 1})
        items.insert({"id": "a"})
        with pytest.raises(Conflict):
            items.insert({"id": "a"})

    def test_find_filters_sorts_and_pages(self, items):
        for i in range(10):
            items.insert({"id": f"d{i}", "n": i, "kind": "even" if i % 2 == 0 else "odd"})
        assert [d["id"] for d in items.find({"kind": "odd"})] == ["d1", "d3", "d5", "d7", "d9"]
        assert [d["n"] for d in items.find({"n": {"$gte": 7}})] == [7, 8, 9]
        assert [d["n"] for d in items.find({"n": {"$lt": 2}})] == [0, 1]
        assert [d["n"] for d in items.find({"n": {"$gt": 3, "$lte": 5}})] == [4, 5]
        assert [d["n"] for d in items.find({"n": {"$in": [2, 4, 42]}})] == [2, 4]
        assert items.find({"n": {"$in": []}}) == []
        assert [d["n"] for d in items.find(sort=[("n", -1)], limit=3)] == [9, 8, 7]
        assert [d["n"] for d in items.find(sort=[("n", 1)], skip=8)] == [8, 9]
        assert items.count({"kind": "even"}) == 5
        assert items.count() == 10

    def test_missing_fields_null_and_not_equal(self, items):
        items.insert({"id": "a", "status": "open"})
        items.insert({"id": "b"})
        items.insert({"id": "c", "status": None})
        assert {d["id"] for d in items.find({"status": None})} == {"b", "c"}
        assert {d["id"] for d in items.find({"status": {"$ne": "open"}})} == {"b", "c"}

    def test_contains_matches_members_of_a_list(self, items):
        items.insert({"id": "a", "problems": ["ocd", "panic"]})
        items.insert({"id": "b", "problems": ["grief"]})
        assert [d["id"] for d in items.find({"problems": {"$contains": "panic"}})] == ["a"]

    def test_booleans_round_trip_and_filter(self, items):
        items.insert({"id": "a", "flag": True})
        items.insert({"id": "b", "flag": False})
        assert [d["id"] for d in items.find({"flag": True})] == ["a"]
        assert items.get("b")["flag"] is False

    def test_update_sets_fields_and_compare_and_set(self, items):
        items.insert({"id": "job", "state": "queued", "tries": 0})
        assert items.update("job", {"state": "rendering"}, expect={"state": "queued"})["state"] == "rendering"
        # A second worker claiming the same job loses: exactly one claim succeeds.
        assert items.update("job", {"state": "rendering"}, expect={"state": "queued"}) is None
        assert items.get("job") == {"id": "job", "state": "rendering", "tries": 0}
        assert items.update("nope", {"x": 1}) is None
        with pytest.raises(InvalidInput):
            items.update("job", {"id": "other"})

    def test_increment_is_atomic_under_concurrency(self, items):
        items.insert({"id": "counter"})
        threads = [threading.Thread(target=lambda: [items.increment("counter", "n") for _ in range(50)])
                   for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert items.get("counter")["n"] == 200
        assert items.increment("counter", "n", by=-10) == 190
        with pytest.raises(NotFound):
            items.increment("missing", "n")

    def test_delete_and_delete_many(self, items):
        for i in range(4):
            items.insert({"id": f"d{i}", "group": i % 2})
        assert items.delete("d0") is True
        assert items.delete("d0") is False
        assert items.delete_many({"group": 1}) == 2
        assert [d["id"] for d in items.find()] == ["d2"]

    def test_unique_index_refuses_a_second_value(self, store):
        users = store.collection("users_u")
        users.ensure_index(["email"], unique=True)
        users.ensure_index(["email"], unique=True)  # idempotent
        users.insert({"id": "u1", "email": "a@example.org"})
        with pytest.raises(Conflict):
            users.insert({"id": "u2", "email": "a@example.org"})
        users.insert({"id": "u3", "email": "b@example.org"})
        with pytest.raises(Conflict):
            users.update("u3", {"email": "a@example.org"})

    def test_query_rejects_unsafe_field_names(self, items):
        with pytest.raises(InvalidInput):
            items.find({"a') OR 1=1 --": 1})

    def test_tenant_scope_never_crosses_clinics(self, store):
        raw = store.collection("records")
        mine, theirs = TenantScope(raw, "clinic-a"), TenantScope(raw, "clinic-b")
        mine.insert({"id": "r1", "v": 1})
        theirs.insert({"id": "r2", "v": 1})
        assert mine.get("r2") is None
        assert [d["id"] for d in mine.find({"v": 1})] == ["r1"]
        assert mine.count() == 1
        assert mine.update("r2", {"v": 2}) is None
        assert mine.delete("r2") is False
        assert theirs.get("r2")["v"] == 1
        with pytest.raises(Conflict):
            mine.insert({"id": "r3", "clinic_id": "clinic-b"})
        with pytest.raises(NotFound):
            mine.get_or_raise("r2")

    def test_data_survives_reopening(self, reopen):
        store = reopen()
        store.collection("durable").insert({"id": "kept", "v": 1})
        store.close()
        assert reopen().collection("durable").get("kept") == {"id": "kept", "v": 1}

    def test_ping(self, store):
        store.ping()


class TestSqliteDocuments(DocumentStoreContract):
    @pytest.fixture
    def reopen(self, tmp_path):
        return lambda: SqliteDocumentStore.from_url(f"sqlite:///{tmp_path}/docs.db")

    @pytest.fixture
    def store(self, reopen):
        store = reopen()
        yield store
        store.close()

    def test_two_connections_see_each_others_writes(self, reopen):
        first, second = reopen(), reopen()
        first.collection("shared").insert({"id": "x"})
        assert second.collection("shared").get("x") == {"id": "x"}
        second.collection("shared").increment("x", "n")
        assert first.collection("shared").get("x")["n"] == 1


@pytest.mark.skipif(not os.environ.get("MONGODB_URL"),
                    reason="MONGODB_URL is not set: no MongoDB server can run on this machine")
class TestMongoDocuments(DocumentStoreContract):
    @pytest.fixture
    def reopen(self):
        from interlude.adapters.mongo_documents import MongoDocumentStore
        from urllib.parse import urlsplit
        url = urlsplit(os.environ["MONGODB_URL"])._replace(
            path=f"/interlude_test_{uuid.uuid4().hex[:8]}").geturl()
        opened = []

        def open_store():
            opened.append(MongoDocumentStore.from_url(url))
            return opened[-1]
        yield open_store
        if opened:
            opened[-1].drop_everything()

    @pytest.fixture
    def store(self, reopen):
        return reopen()
