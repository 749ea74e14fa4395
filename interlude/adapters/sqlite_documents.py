"""Documents on SQLite (stdlib): the embedded default.

One table per collection, ``(id TEXT PRIMARY KEY, doc TEXT)`` holding JSON; filters and indexes use
``json_extract``. WAL mode and a busy timeout let several processes (the CLI beside a running
platform, or separate services in a test) share one file; read-modify-write operations run in
``BEGIN IMMEDIATE`` transactions so they are atomic across processes too.
"""
from __future__ import annotations

import json
import re
import sqlite3
import threading
from pathlib import Path
from urllib.parse import urlsplit

from interlude.errors import Conflict, InvalidInput, NotFound
from interlude.ports.documents import OPERATORS, Collection, Doc, DocumentStore

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
_FIELD = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
_SQL_OPS = {"$gt": ">", "$gte": ">=", "$lt": "<", "$lte": "<="}


def _path(field: str) -> str:
    if not _FIELD.match(field):
        raise InvalidInput(f"Field name {field!r} is not allowed in a query.")
    return f"json_extract(doc, '$.{field}')"


def _sql_value(value):
    if isinstance(value, (dict, list)):
        raise InvalidInput("Only scalar values can be compared in a query.")
    return value


def compile_where(where: Doc | None) -> tuple[str, list]:
    clauses, params = [], []
    for field, condition in (where or {}).items():
        column = _path(field)
        if isinstance(condition, dict) and condition and set(condition) <= OPERATORS:
            for op, value in condition.items():
                if op == "$in":
                    values = [_sql_value(v) for v in value]
                    if not values:
                        clauses.append("0")
                        continue
                    clauses.append(f"{column} IN ({', '.join('?' * len(values))})")
                    params.extend(values)
                elif op == "$ne":
                    clauses.append(f"{column} IS NOT ?")
                    params.append(_sql_value(value))
                elif op == "$contains":
                    clauses.append(
                        f"EXISTS (SELECT 1 FROM json_each(doc, '$.{field}') WHERE json_each.value = ?)")
                    params.append(_sql_value(value))
                else:
                    clauses.append(f"{column} {_SQL_OPS[op]} ?")
                    params.append(_sql_value(value))
        elif condition is None:
            clauses.append(f"{column} IS NULL")
        else:
            clauses.append(f"{column} = ?")
            params.append(_sql_value(condition))
    return (" AND ".join(clauses) or "1"), params


class SqliteCollection(Collection):
    def __init__(self, store: "SqliteDocumentStore", name: str):
        self.store, self.name = store, name
        self.table = f'"c_{name}"'

    def _run(self, sql: str, params=()):
        return self.store.execute(sql, params)

    def insert(self, doc: Doc) -> Doc:
        if not doc.get("id"):
            raise InvalidInput("A document needs an id.")
        try:
            self._run(f"INSERT INTO {self.table} (id, doc) VALUES (?, ?)",
                      (doc["id"], json.dumps(doc)))
        except sqlite3.IntegrityError as exc:
            raise Conflict(f"A {self.name} record with this id or key already exists.") from exc
        return dict(doc)

    def get(self, doc_id: str) -> Doc | None:
        rows = self._run(f"SELECT doc FROM {self.table} WHERE id = ?", (doc_id,))
        return json.loads(rows[0][0]) if rows else None

    def find(self, where=None, *, sort=None, limit=None, skip=0) -> list[Doc]:
        clause, params = compile_where(where)
        order = ", ".join(f"{_path(f)} {'DESC' if d < 0 else 'ASC'}" for f, d in (sort or []))
        order = f"{order}, id" if order else "id"
        sql = f"SELECT doc FROM {self.table} WHERE {clause} ORDER BY {order}"
        if limit is not None or skip:
            sql += " LIMIT ? OFFSET ?"
            params = [*params, -1 if limit is None else int(limit), int(skip)]
        return [json.loads(row[0]) for row in self._run(sql, params)]

    def count(self, where=None) -> int:
        clause, params = compile_where(where)
        return self._run(f"SELECT COUNT(*) FROM {self.table} WHERE {clause}", params)[0][0]

    def update(self, doc_id: str, changes: Doc, *, expect: Doc | None = None) -> Doc | None:
        if "id" in changes and changes["id"] != doc_id:
            raise InvalidInput("A document's id cannot change.")
        clause, params = compile_where(expect)

        def apply(conn):
            row = conn.execute(f"SELECT doc FROM {self.table} WHERE id = ? AND {clause}",
                               [doc_id, *params]).fetchone()
            if row is None:
                return None
            doc = {**json.loads(row[0]), **changes}
            conn.execute(f"UPDATE {self.table} SET doc = ? WHERE id = ?", (json.dumps(doc), doc_id))
            return doc

        try:
            return self.store.transaction(apply)
        except sqlite3.IntegrityError as exc:
            raise Conflict(f"This change to a {self.name} record breaks a unique key.") from exc

    def increment(self, doc_id: str, field: str, by: int = 1) -> int:
        column = _path(field)

        def apply(conn):
            cursor = conn.execute(
                f"UPDATE {self.table} SET doc = json_set(doc, '$.{field}', "
                f"coalesce({column}, 0) + ?) WHERE id = ?", (by, doc_id))
            if cursor.rowcount == 0:
                raise NotFound(f"No {self.name} record with id {doc_id!r}.")
            return conn.execute(f"SELECT {column} FROM {self.table} WHERE id = ?",
                                (doc_id,)).fetchone()[0]

        return self.store.transaction(apply)

    def delete(self, doc_id: str) -> bool:
        return self.store.execute_count(f"DELETE FROM {self.table} WHERE id = ?", (doc_id,)) > 0

    def delete_many(self, where: Doc) -> int:
        clause, params = compile_where(where)
        return self.store.execute_count(f"DELETE FROM {self.table} WHERE {clause}", params)

    def ensure_index(self, fields: list[str], *, unique: bool = False) -> None:
        columns = ", ".join(_path(f) for f in fields)
        index = f'"ix_{self.name}_{"_".join(fields)}{"_u" if unique else ""}"'
        self._run(f"CREATE {'UNIQUE ' if unique else ''}INDEX IF NOT EXISTS {index} "
                  f"ON {self.table} ({columns})")


class SqliteDocumentStore(DocumentStore):
    def __init__(self, path: str | Path):
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(self.path, timeout=30, isolation_level=None,
                                     check_same_thread=False)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute("PRAGMA busy_timeout=30000")
        self._collections: dict[str, SqliteCollection] = {}

    @classmethod
    def from_url(cls, url: str) -> "SqliteDocumentStore":
        parts = urlsplit(url)
        path = f"{parts.netloc}{parts.path}"
        # As SQLAlchemy spells them: sqlite:////abs/file.db is absolute, sqlite:///file.db relative.
        return cls(path[1:] if path.startswith("/") else path)

    def execute(self, sql: str, params=()) -> list:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    def execute_count(self, sql: str, params=()) -> int:
        with self._lock:
            return self._conn.execute(sql, params).rowcount

    def transaction(self, work):
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                result = work(self._conn)
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")
            return result

    def collection(self, name: str) -> SqliteCollection:
        if not _NAME.match(name):
            raise ValueError(f"bad collection name {name!r}")
        if name not in self._collections:
            self.execute(f'CREATE TABLE IF NOT EXISTS "c_{name}" (id TEXT PRIMARY KEY, doc TEXT NOT NULL)')
            self._collections[name] = SqliteCollection(self, name)
        return self._collections[name]

    def ping(self) -> None:
        self.execute("SELECT 1")

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def drop_everything(self) -> None:
        for (table,) in self.execute("SELECT name FROM sqlite_master WHERE type='table' AND name LIKE 'c_%'"):
            self.execute(f'DROP TABLE "{table}"')
        self._collections.clear()
