"""Documents port: named collections of JSON documents with a small, shared query language.

Adapters: SQLite (embedded default, stdlib) and MongoDB (pymongo). Both pass
``tests/conformance/test_documents.py``.

Filters (``where``) are dicts of top-level fields: a plain value means equality; an operator dict
may use ``$in``, ``$ne``, ``$gt``, ``$gte``, ``$lt``, ``$lte`` on scalars, and ``$contains`` for
membership of a list field. Several fields are ANDed. A missing field never equals a value and is
"not equal" to any value; ``None`` matches a missing or null field.

Tenant isolation is not the store's job alone: repositories wrap a collection in ``TenantScope``,
which adds the clinic id to every document written and every filter read.
"""
from __future__ import annotations

import abc
from typing import Any

from interlude.errors import Conflict, NotFound

Doc = dict[str, Any]
OPERATORS = frozenset({"$in", "$ne", "$gt", "$gte", "$lt", "$lte", "$contains"})


class Collection(abc.ABC):
    name: str

    @abc.abstractmethod
    def insert(self, doc: Doc) -> Doc:
        """Store a new document; ``doc['id']`` is required. Raise Conflict if the id exists or a
        unique index is violated."""

    @abc.abstractmethod
    def get(self, doc_id: str) -> Doc | None:
        """The document with this id, or None."""

    @abc.abstractmethod
    def find(self, where: Doc | None = None, *, sort: list[tuple[str, int]] | None = None,
             limit: int | None = None, skip: int = 0) -> list[Doc]:
        """Documents matching ``where``; sort is [(field, 1 | -1)], ties broken by id."""

    @abc.abstractmethod
    def count(self, where: Doc | None = None) -> int:
        """How many documents match."""

    @abc.abstractmethod
    def update(self, doc_id: str, changes: Doc, *, expect: Doc | None = None) -> Doc | None:
        """Set the fields in ``changes`` on the document if it also matches ``expect`` (an atomic
        compare-and-set). Return the updated document, or None if no document matched."""

    @abc.abstractmethod
    def increment(self, doc_id: str, field: str, by: int = 1) -> int:
        """Atomically add ``by`` to a numeric field (missing counts as 0); return the new value.
        Raise NotFound if there is no such document."""

    @abc.abstractmethod
    def delete(self, doc_id: str) -> bool:
        """Remove the document; True if it existed."""

    @abc.abstractmethod
    def delete_many(self, where: Doc) -> int:
        """Remove every matching document; return how many."""

    @abc.abstractmethod
    def ensure_index(self, fields: list[str], *, unique: bool = False) -> None:
        """Create an index on the fields if it does not exist yet."""

    def get_or_raise(self, doc_id: str, what: str = "record") -> Doc:
        doc = self.get(doc_id)
        if doc is None:
            raise NotFound(f"No {what} with id {doc_id!r}.")
        return doc


class DocumentStore(abc.ABC):
    @abc.abstractmethod
    def collection(self, name: str) -> Collection:
        """The named collection, created on first use."""

    @abc.abstractmethod
    def ping(self) -> None:
        """Raise if the store does not answer."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release connections."""

    def drop_everything(self) -> None:
        """Tests only: remove every collection."""
        raise NotImplementedError


class TenantScope:
    """A view of a collection restricted to one clinic. Every document written carries the clinic
    id; every read filters by it, so a caller cannot reach another clinic's data by id."""

    FIELD = "clinic_id"

    def __init__(self, collection: Collection, clinic_id: str):
        if not clinic_id:
            raise ValueError("a tenant scope needs a clinic id")
        self.collection = collection
        self.clinic_id = clinic_id

    def _where(self, where: Doc | None) -> Doc:
        scoped = dict(where or {})
        scoped[self.FIELD] = self.clinic_id
        return scoped

    def insert(self, doc: Doc) -> Doc:
        if doc.get(self.FIELD, self.clinic_id) != self.clinic_id:
            raise Conflict("A record cannot be written for another clinic.")
        return self.collection.insert({**doc, self.FIELD: self.clinic_id})

    def get(self, doc_id: str) -> Doc | None:
        doc = self.collection.get(doc_id)
        return doc if doc is not None and doc.get(self.FIELD) == self.clinic_id else None

    def get_or_raise(self, doc_id: str, what: str = "record") -> Doc:
        doc = self.get(doc_id)
        if doc is None:
            raise NotFound(f"No {what} with id {doc_id!r}.")
        return doc

    def find(self, where: Doc | None = None, **options) -> list[Doc]:
        return self.collection.find(self._where(where), **options)

    def count(self, where: Doc | None = None) -> int:
        return self.collection.count(self._where(where))

    def update(self, doc_id: str, changes: Doc, *, expect: Doc | None = None) -> Doc | None:
        if self.FIELD in changes and changes[self.FIELD] != self.clinic_id:
            raise Conflict("A record cannot be moved to another clinic.")
        return self.collection.update(doc_id, changes, expect=self._where(expect))

    def delete(self, doc_id: str) -> bool:
        return self.collection.delete_many(self._where({"id": doc_id})) > 0


class AppendOnly:
    """A collection that can only grow: insert and read, nothing else (no update, increment or
    delete is reachable through it). The audit log is kept behind one of these, so a bug or a
    careless caller cannot rewrite history through the code path that owns it."""

    def __init__(self, collection: Collection):
        self._collection = collection

    def insert(self, doc: Doc) -> Doc:
        return self._collection.insert(doc)

    def get(self, doc_id: str) -> Doc | None:
        return self._collection.get(doc_id)

    def find(self, where: Doc | None = None, **options) -> list[Doc]:
        return self._collection.find(where, **options)

    def count(self, where: Doc | None = None) -> int:
        return self._collection.count(where)
