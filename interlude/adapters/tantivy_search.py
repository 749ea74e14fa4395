"""Search on tantivy: the embedded default, an index in a folder.

tantivy allows one writer per index (a second gets LockBusy), so only the search service opens
one; it commits after each batch and reloads the reader so the change is visible at once. The
whole search document is stored as JSON so that hits come back without a second lookup. An index
folder that cannot be opened (corrupt, or written with another schema) is emptied when opened for
writing, and the search service then rebuilds it from the catalogue: everything in it is derived.
"""
from __future__ import annotations

import json
import re
import threading
from pathlib import Path

import tantivy

from interlude.adapters import tantivy_queries as q
from interlude.logging import get_logger
from interlude.ports.search import (FACET_FIELDS, KEYWORD_FIELDS, PUBLIC, TEXT_FIELDS, SearchEngine,
                                    SearchHit, SearchQuery, SearchResult, Suggestion, validate_query)

log = get_logger(__name__)
SHARED = "_shared"  # stands for the shared catalogue in the raw clinic field (an empty term is not indexed)
WRITER_HEAP = 64 * 1024 * 1024
# Bump when the schema changes: an index written by another version is rebuilt, not misread.
SCHEMA_VERSION = "2"
MARKER = "interlude-index.json"
SNIPPET_FIELDS = {"title": 0, "summary": 200, "body": 200}   # 0: the whole field
FACET_SIZE = 500


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("clinic", tokenizer_name="raw")
    for name in TEXT_FIELDS:
        builder.add_text_field(name, stored=name in SNIPPET_FIELDS, tokenizer_name="en_stem")
    for name in KEYWORD_FIELDS:
        builder.add_text_field(name, tokenizer_name="raw", fast=True)
    # Unstemmed words for the search box's prefix suggestions, and whole problem names to offer.
    builder.add_text_field("title_words", tokenizer_name="default")
    builder.add_text_field("problem_words", tokenizer_name="default")
    builder.add_text_field("problem_label", tokenizer_name="raw", fast=True)
    builder.add_text_field("title_sort", tokenizer_name="raw", fast=True)
    builder.add_bytes_field("document", stored=True)
    return builder.build()


def _text(value) -> str:
    return " ".join(value) if isinstance(value, (list, tuple)) else str(value or "")


def _values(value) -> list[str]:
    values = value if isinstance(value, (list, tuple)) else [value]
    return [str(v) for v in values if v]


class TantivySearchEngine(SearchEngine):
    def __init__(self, path: str | Path, *, writable: bool = True):
        self.path = Path(path).expanduser().resolve()
        self.path.mkdir(parents=True, exist_ok=True)
        self.schema = _schema()
        self._lock = threading.RLock()
        self.reset_reason = ""
        try:
            self.index_ = self._open()
        except (ValueError, OSError) as exc:
            if not writable:
                raise
            self.reset_reason = f"the index in {self.path} could not be opened ({exc}); emptied it"
            log.warning("search_index_reset", path=str(self.path), error=str(exc))
            self._discard_files()
            self.index_ = self._open()
        self._writer = self.index_.writer(WRITER_HEAP, 1) if writable else None

    @classmethod
    def from_url(cls, url: str, **options) -> "TantivySearchEngine":
        return cls(url[len("file://"):] if url.startswith("file://") else url, **options)

    # -- opening -------------------------------------------------------------------------------
    def _marker(self) -> dict:
        try:
            return json.loads((self.path / MARKER).read_text())
        except (OSError, ValueError):
            return {}

    def _open(self) -> tantivy.Index:
        has_index = (self.path / "meta.json").exists()
        if has_index and self._marker().get("schema") != SCHEMA_VERSION:
            raise ValueError(f"written with another schema (want version {SCHEMA_VERSION})")
        index = tantivy.Index(self.schema, path=str(self.path))
        index.searcher().num_docs  # reading the segment list fails here on a damaged index
        if not has_index:
            self._write_marker({})
        return index

    def _discard_files(self) -> None:
        # Only plain files, and only in a folder holding a tantivy index or our marker: the path
        # comes from settings, and a mistyped one must not cost someone their files.
        if not ((self.path / "meta.json").exists() or (self.path / MARKER).exists()):
            raise ValueError(f"{self.path} holds no search index; not emptying it")
        for item in self.path.iterdir():
            if item.is_file():
                item.unlink()

    def _write_marker(self, metadata: dict) -> None:
        temporary = self.path / (MARKER + ".tmp")
        temporary.write_text(json.dumps({"schema": SCHEMA_VERSION, "metadata": metadata}))
        temporary.replace(self.path / MARKER)

    # -- writing -------------------------------------------------------------------------------
    def _commit(self) -> None:
        self._writer.commit()
        self.index_.reload()

    def _document(self, doc: dict) -> tantivy.Document:
        document = tantivy.Document()
        document.add_text("id", doc["id"])
        document.add_text("clinic", doc.get("clinic_id") or SHARED)
        for name in TEXT_FIELDS:
            document.add_text(name, _text(doc.get(name)))
        for name in KEYWORD_FIELDS:
            for value in _values(doc.get(name)):
                document.add_text(name, value)
        document.add_text("title_words", str(doc.get("title") or ""))
        names = _values(doc.get("problem_names"))
        document.add_text("problem_words", " \n ".join(names))
        for name in names:
            document.add_text("problem_label", name)
        document.add_text("title_sort", str(doc.get("title") or "").casefold())
        document.add_bytes("document", json.dumps(doc).encode("utf-8"))
        return document

    def index(self, documents: list[dict]) -> None:
        if not documents:
            return
        with self._lock:
            for doc in documents:
                self._writer.delete_documents_by_term("id", doc["id"])
                self._writer.add_document(self._document(doc))
            self._commit()

    def rebuild(self, documents, *, metadata=None, progress=None) -> int:
        # One commit at the end: searches keep seeing the previous documents until then.
        with self._lock:
            self._writer.delete_all_documents()
            added = 0
            for doc in documents:
                self._writer.add_document(self._document(doc))
                added += 1
                if progress is not None and added % 200 == 0:
                    progress(added)
            self._commit()
            self._write_marker(dict(metadata or {}))
            if progress is not None:
                progress(added)
            return added

    def metadata(self) -> dict:
        return dict(self._marker().get("metadata") or {})

    def delete(self, ids: list[str]) -> None:
        with self._lock:
            for doc_id in ids:
                self._writer.delete_documents_by_term("id", doc_id)
            self._commit()

    def clear(self) -> None:
        self.rebuild([])

    # -- reading -------------------------------------------------------------------------------
    def _visible(self, clinic_id: str) -> tantivy.Query:
        return q.any_of(self.schema, "clinic", [SHARED] + ([clinic_id] if clinic_id != PUBLIC else []))

    def _filters(self, query: SearchQuery, leave_out: str = "") -> list:
        return [(q.Occur.Must, q.any_of(self.schema, field, values))
                for field, values in sorted(query.filters.items()) if values and field != leave_out]

    def search(self, query: SearchQuery) -> SearchResult:
        validate_query(query)
        searcher = self.index_.searcher()
        words = q.word_clauses(self.schema, searcher, query.text, query.expansion, query.fuzzy)
        if not words and query.text.strip() and not query.expansion:
            return SearchResult(total=0, hits=[], facets={})   # only stopwords or punctuation
        base = [(q.Occur.Must, self._visible(query.clinic_id))]
        text = self._scored_text(searcher, base + self._filters(query), words, query.expansion)
        if text is not None:
            base.append((q.Occur.Must, text))
        combined = q.Query.boolean_query(base + self._filters(query))
        per_page = max(1, min(int(query.per_page), 100))
        offset = (max(1, int(query.page)) - 1) * per_page
        if query.sort == "title" or text is None:
            result = searcher.search(combined, per_page, offset=offset, order_by_field="title_sort",
                                     order=tantivy.Order.Asc)
        else:
            result = searcher.search(combined, per_page, offset=offset)
        snippets = self._snippet_generators(searcher, text) if query.highlight and text else {}
        hits = []
        for key, address in result.hits:
            stored = searcher.doc(address)
            document = json.loads(stored["document"][0])
            highlights = {field: html for field, generator in snippets.items()
                          if (html := generator.snippet_from_doc(stored).to_html())}
            score = float(key) if isinstance(key, float) else 0.0
            hits.append(SearchHit(id=document["id"], score=score, document=document,
                                  highlights=highlights))
        facets = self._facets(searcher, query, base) if query.facets else {}
        return SearchResult(total=result.count, hits=hits, facets=facets)

    def _scored_text(self, searcher, scope: list, words: list, expansion) -> tantivy.Query | None:
        """The words, plus the named problems and techniques scored relative to the best score
        the words reach within the same scope (one extra top-1 search)."""
        concepts_scale = 1.0
        if words and expansion:
            best = searcher.search(q.Query.boolean_query(scope + [(q.Occur.Must, q.any_clause(words))]), 1)
            concepts_scale = best.hits[0][0] if best.hits else 1.0
        clauses = words + q.concept_clauses(self.schema, expansion, concepts_scale)
        return q.any_clause(clauses) if clauses else None

    def _snippet_generators(self, searcher, text_query) -> dict:
        generators = {}
        for field, max_chars in SNIPPET_FIELDS.items():
            generator = tantivy.SnippetGenerator.create(searcher, text_query, self.schema, field)
            generator.set_max_num_chars(max_chars or 10_000)
            generators[field] = generator
        return generators

    def _facets(self, searcher, query: SearchQuery, base: list) -> dict[str, dict[str, int]]:
        """Counts per facet value; a filtered field is counted without its own filter."""
        facets = {}
        plain = [f for f in FACET_FIELDS if not query.filters.get(f)]
        groups = [(plain, self._filters(query))] + [
            ([f], self._filters(query, leave_out=f)) for f in FACET_FIELDS if query.filters.get(f)]
        for fields, filters in groups:
            aggregations = {f: {"terms": {"field": f, "size": FACET_SIZE}} for f in fields}
            found = searcher.aggregate(q.Query.boolean_query(base + filters), aggregations)
            for f in fields:
                facets[f] = {b["key"]: int(b["doc_count"]) for b in found[f]["buckets"]}
        return {f: facets[f] for f in FACET_FIELDS}

    def suggest(self, prefix: str, clinic_id: str = PUBLIC, limit: int = 8) -> list[Suggestion]:
        searcher, visible = self.index_.searcher(), self._visible(clinic_id)
        limit = max(1, min(int(limit), 20))
        found: list[Suggestion] = []
        names = q.prefix_query(self.schema, "problem_words", prefix)
        titles = q.prefix_query(self.schema, "title_words", prefix)
        if names is None or titles is None:
            return []
        starts = re.compile(r"(?<!\w)" + r"\W+".join(map(re.escape, q.PLAIN_WORDS.analyze(prefix))), re.I)
        scoped = q.Query.boolean_query([(q.Occur.Must, visible), (q.Occur.Must, names)])
        labels = searcher.aggregate(scoped, {"l": {"terms": {"field": "problem_label", "size": 200}}})
        for bucket in labels["l"]["buckets"]:          # most tools first
            if starts.search(bucket["key"]) and len(found) < limit // 2 + 1:
                found.append(Suggestion(text=bucket["key"], kind="problem"))
        scoped = q.Query.boolean_query([(q.Occur.Must, visible), (q.Occur.Must, titles)])
        candidates = []
        for _key, address in searcher.search(scoped, 200, order_by_field="title_sort",
                                             order=tantivy.Order.Asc).hits:
            doc = json.loads(searcher.doc(address)["document"][0])
            title = doc["title"]
            candidates.append((not title.casefold().startswith(prefix.strip().casefold()),
                               len(title), title, doc["id"]))
        for _later, _length, title, doc_id in sorted(candidates)[: limit - len(found)]:
            found.append(Suggestion(text=title, kind="title", id=doc_id))
        return found

    def similar(self, tool_id: str, clinic_id: str = PUBLIC, limit: int = 10) -> list[SearchHit]:
        searcher, visible = self.index_.searcher(), self._visible(clinic_id)
        own = q.Query.boolean_query([(q.Occur.Must, visible), (q.Occur.Must, q.term(self.schema, "id", tool_id))])
        found = searcher.search(own, 1).hits
        if not found:
            return []
        source = json.loads(searcher.doc(found[0][1])["document"][0])
        clauses = [(q.Occur.Should, q.Query.const_score_query(q.term(self.schema, "problems", p), 3.0))
                   for p in _values(source.get("problems"))]
        clauses += [(q.Occur.Should, q.Query.const_score_query(q.term(self.schema, "technique", t), 2.0))
                    for t in _values(source.get("technique"))]
        clauses += [(q.Occur.Should, q.Query.const_score_query(q.term(self.schema, "age_group", a), 0.5))
                    for a in _values(source.get("age_group"))]
        clauses += [(q.Occur.Should, q.word_query(self.schema, stem, 0.2))
                    for stem in q.content_terms(source.get("title", ""))]
        if not clauses:
            return []
        query = q.Query.boolean_query([
            (q.Occur.Must, visible), (q.Occur.Must, q.Query.boolean_query(clauses)),
            (q.Occur.MustNot, q.term(self.schema, "id", tool_id))])
        hits, seen = [], set()
        for score, address in searcher.search(query, limit * 6).hits:
            doc = json.loads(searcher.doc(address)["document"][0])
            # The same exercise in another format or age is a near copy: show one of each.
            kind = (tuple(_values(doc.get("problems"))), doc.get("technique") or doc["id"])
            if kind not in seen:
                seen.add(kind)
                hits.append(SearchHit(id=doc["id"], score=float(score), document=doc))
        return hits[:limit]

    def count(self) -> int:
        return self.index_.searcher().num_docs

    def ping(self) -> None:
        self.index_.searcher()
