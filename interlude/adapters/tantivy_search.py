"""Search on tantivy: the embedded default, an index in a folder.

tantivy allows one writer per index (a second gets LockBusy), so only the search service opens
one; it commits after each batch and reloads the reader so the change is visible at once. The
whole search document is stored as JSON so that hits come back without a second lookup.
Note (measured): ``parse_query('anx*')`` silently returns nothing; prefixes need regex or
phrase-prefix queries.
"""
from __future__ import annotations

import json
import threading
from pathlib import Path

import tantivy

from interlude.ports.search import (KEYWORD_FIELDS, PUBLIC, TEXT_FIELDS, SearchEngine, SearchHit,
                                    SearchQuery, SearchResult)

FIELD_BOOSTS = {"title": 3.0, "problem_names": 2.0, "lay_phrases": 2.0, "summary": 1.5, "body": 1.0}
SHARED = "_shared"  # stands for the shared catalogue in the raw clinic field (an empty term is not indexed)
WRITER_HEAP = 64 * 1024 * 1024


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("clinic", tokenizer_name="raw")
    for name in TEXT_FIELDS:
        builder.add_text_field(name, tokenizer_name="en_stem")
    for name in KEYWORD_FIELDS:
        builder.add_text_field(name, tokenizer_name="raw")
    builder.add_text_field("source", stored=True, tokenizer_name="raw", index_option="basic")
    return builder.build()


def _text(value) -> str:
    return " ".join(value) if isinstance(value, (list, tuple)) else str(value or "")


class TantivySearchEngine(SearchEngine):
    def __init__(self, path: str | Path, *, writable: bool = True):
        self.path = Path(path).expanduser().resolve()
        self.path.mkdir(parents=True, exist_ok=True)
        self.schema = _schema()
        self.index_ = tantivy.Index(self.schema, path=str(self.path))
        self._writer = self.index_.writer(WRITER_HEAP, 1) if writable else None
        self._lock = threading.RLock()

    @classmethod
    def from_url(cls, url: str, **options) -> "TantivySearchEngine":
        return cls(url[len("file://"):] if url.startswith("file://") else url, **options)

    def _commit(self) -> None:
        self._writer.commit()
        self.index_.reload()

    def _document(self, doc: dict) -> tantivy.Document:
        fields = {"id": doc["id"], "clinic": doc.get("clinic_id") or SHARED,
                  "source": json.dumps(doc)}
        for name in TEXT_FIELDS:
            fields[name] = _text(doc.get(name))
        for name in KEYWORD_FIELDS:
            value = doc.get(name)
            values = list(value) if isinstance(value, (list, tuple)) else ([value] if value else [])
            if values:
                fields[name] = [str(v) for v in values]
        return tantivy.Document(**fields)

    def index(self, documents: list[dict]) -> None:
        if not documents:
            return
        with self._lock:
            for doc in documents:
                self._writer.delete_documents_by_term("id", doc["id"])
                self._writer.add_document(self._document(doc))
            self._commit()

    def delete(self, ids: list[str]) -> None:
        with self._lock:
            for doc_id in ids:
                self._writer.delete_documents_by_term("id", doc_id)
            self._commit()

    def _term(self, field: str, value: str) -> tantivy.Query:
        return tantivy.Query.term_query(self.schema, field, value)

    def _any_of(self, field: str, values) -> tantivy.Query:
        return tantivy.Query.boolean_query([(tantivy.Occur.Should, self._term(field, v)) for v in values])

    def search(self, query: SearchQuery) -> SearchResult:
        clinics = [SHARED] + ([query.clinic_id] if query.clinic_id != PUBLIC else [])
        must = [(tantivy.Occur.Must, self._any_of("clinic", clinics))]
        if query.text.strip():
            text_query, _errors = self.index_.parse_query_lenient(
                query.text, list(TEXT_FIELDS), field_boosts=FIELD_BOOSTS)
            must.append((tantivy.Occur.Must, text_query))
        for field, values in sorted(query.filters.items()):
            if field not in KEYWORD_FIELDS:
                raise ValueError(f"cannot filter on {field!r}")
            if values:
                must.append((tantivy.Occur.Must, self._any_of(field, values)))
        searcher = self.index_.searcher()
        per_page = max(1, min(int(query.per_page), 100))
        offset = (max(1, int(query.page)) - 1) * per_page
        result = searcher.search(tantivy.Query.boolean_query(must), per_page, offset=offset)
        hits = []
        for score, address in result.hits:
            stored = searcher.doc(address)
            document = json.loads(stored["source"][0])
            hits.append(SearchHit(id=document["id"], score=float(score), document=document))
        return SearchResult(total=result.count, hits=hits)

    def count(self) -> int:
        return self.index_.searcher().num_docs

    def clear(self) -> None:
        with self._lock:
            self._writer.delete_all_documents()
            self._commit()

    def ping(self) -> None:
        self.index_.searcher()
