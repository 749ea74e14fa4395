"""Documents on MongoDB through pymongo (4.15.x: 4.16 removed Eventlet support).

Each document keeps its ``id`` field and is stored with ``_id`` equal to it, so filters on ``id``
and lookups by primary key both work; ``_id`` is stripped on the way out.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from interlude.errors import Conflict, InvalidInput, NotFound
from interlude.ports.documents import OPERATORS, Collection, Doc, DocumentStore


def compile_where(where: Doc | None) -> Doc:
    query: Doc = {}
    for field, condition in (where or {}).items():
        if isinstance(condition, dict) and condition and set(condition) <= OPERATORS:
            ops = {}
            for op, value in condition.items():
                if op == "$contains":
                    query.setdefault("$and", []).append({field: value})
                else:
                    ops[op] = list(value) if op == "$in" else value
            if ops:
                query[field] = ops
        else:
            query[field] = condition
    return query


def _out(doc: Doc | None) -> Doc | None:
    if doc is not None:
        doc.pop("_id", None)
    return doc


class MongoCollection(Collection):
    def __init__(self, collection):
        self._c = collection
        self.name = collection.name

    def insert(self, doc: Doc) -> Doc:
        from pymongo.errors import DuplicateKeyError
        if not doc.get("id"):
            raise InvalidInput("A document needs an id.")
        try:
            self._c.insert_one({**doc, "_id": doc["id"]})
        except DuplicateKeyError as exc:
            raise Conflict(f"A {self.name} record with this id or key already exists.") from exc
        return dict(doc)

    def get(self, doc_id: str) -> Doc | None:
        return _out(self._c.find_one({"_id": doc_id}))

    def find(self, where=None, *, sort=None, limit=None, skip=0) -> list[Doc]:
        cursor = self._c.find(compile_where(where)).sort([*(sort or []), ("_id", 1)])
        if skip:
            cursor = cursor.skip(int(skip))
        if limit is not None:
            if int(limit) == 0:
                return []
            cursor = cursor.limit(int(limit))
        return [_out(doc) for doc in cursor]

    def count(self, where=None) -> int:
        return self._c.count_documents(compile_where(where))

    def update(self, doc_id: str, changes: Doc, *, expect: Doc | None = None) -> Doc | None:
        from pymongo import ReturnDocument
        from pymongo.errors import DuplicateKeyError
        if "id" in changes and changes["id"] != doc_id:
            raise InvalidInput("A document's id cannot change.")
        if not changes:
            return _out(self._c.find_one({**compile_where(expect), "_id": doc_id}))
        try:
            return _out(self._c.find_one_and_update(
                {**compile_where(expect), "_id": doc_id}, {"$set": changes},
                return_document=ReturnDocument.AFTER))
        except DuplicateKeyError as exc:
            raise Conflict(f"This change to a {self.name} record breaks a unique key.") from exc

    def increment(self, doc_id: str, field: str, by: int = 1) -> int:
        from pymongo import ReturnDocument
        doc = self._c.find_one_and_update({"_id": doc_id}, {"$inc": {field: by}},
                                          return_document=ReturnDocument.AFTER)
        if doc is None:
            raise NotFound(f"No {self.name} record with id {doc_id!r}.")
        return doc[field]

    def delete(self, doc_id: str) -> bool:
        return self._c.delete_one({"_id": doc_id}).deleted_count > 0

    def delete_many(self, where: Doc) -> int:
        return self._c.delete_many(compile_where(where)).deleted_count

    def ensure_index(self, fields: list[str], *, unique: bool = False) -> None:
        self._c.create_index([(f, 1) for f in fields], unique=unique)


class MongoDocumentStore(DocumentStore):
    def __init__(self, url: str):
        import pymongo
        self._client = pymongo.MongoClient(url, serverSelectionTimeoutMS=5000, tz_aware=True)
        name = urlsplit(url).path.strip("/") or "interlude"
        self._db = self._client[name]

    @classmethod
    def from_url(cls, url: str) -> "MongoDocumentStore":
        return cls(url)

    def collection(self, name: str) -> MongoCollection:
        return MongoCollection(self._db[name])

    def ping(self) -> None:
        self._client.admin.command("ping")

    def close(self) -> None:
        self._client.close()

    def drop_everything(self) -> None:
        for name in self._db.list_collection_names():
            self._db.drop_collection(name)
