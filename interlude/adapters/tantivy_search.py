"""Search on tantivy: the embedded default, an index in a folder.

tantivy allows one writer per index (a second gets LockBusy), so only the search service opens
one; it commits after each batch and reloads the reader so the change is visible at once. The
search document (less its body) is stored as JSON so that hits need no second lookup. An index
folder that cannot be opened (corrupt, or written with another schema) is emptied when opened for
writing, and the search service then rebuilds it from the catalogue: everything in it is derived.
"""
from __future__ import annotations

import html as html_text
import json
import re
import threading
from pathlib import Path

import tantivy

from interlude.adapters import tantivy_queries as q
from interlude.adapters.tantivy_schema import (SHARED, SNIPPET_FIELDS, build_schema, hit_key, to_document,
                                               values_of)
from interlude.ports.search import (FACET_FIELDS, PUBLIC, SearchEngine,
                                    SearchHit, SearchQuery, SearchResult, Suggestion, distinct_tools,
                                    pick_suggestions, validate_query)

WRITER_HEAP = 64 * 1024 * 1024
# Bump when the schema changes: an index written by another version is rebuilt, not misread.
SCHEMA_VERSION = "6"
MARKER = "interlude-index.json"
FACET_SIZE = 500
# Decoded hits kept by the writing engine (fetching and decoding a stored document is most of a
# plain query's time: 0.16 of 0.35 ms for 20 hits, measured); cleared when it grows past this.
# About 4.6 KB an entry (measured: 9.7 MB for the 2,104 catalogue tools), so at most ~23 MB.
HIT_CACHE_SIZE = 5_000
INDEX_FILE = re.compile(r"^([0-9a-f]{32}(\.\d+)?\.[a-z]+|meta\.json|\.managed\.json|\.tantivy-[a-z-]+\.lock)$")


class TantivySearchEngine(SearchEngine):
    def __init__(self, path: str | Path, *, writable: bool = True):
        self.path = Path(path).expanduser().resolve()
        self.path.mkdir(parents=True, exist_ok=True)
        self.schema = build_schema()
        self._lock = threading.RLock()
        self.reset_reason = ""
        try:
            self.index_ = self._open()
        except (ValueError, OSError) as exc:
            if not writable:
                raise
            # The search service logs this reason when it rebuilds (catalogue.ensure_current).
            self.reset_reason = f"the index in {self.path} could not be opened ({exc}); emptied it"
            self._discard_files()
            self.index_ = self._open()
        self._writer = self.index_.writer(WRITER_HEAP, 1) if writable else None
        # Only the writer knows when a tool changes, so only it keeps a cache of decoded hits.
        self._hits: dict[int, tuple[dict, tantivy.Document]] | None = {} if writable else None
        self._generation = 0

    @property
    def generation(self) -> int | None:
        """Moves on with every change this engine commits; None for a read-only engine, which
        cannot know when another process changes the index (answers keyed by it never go stale)."""
        return self._generation if self._writer is not None else None

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
        # Only tantivy's own files and our marker, and only where our marker or tantivy's file
        # list shows an index: the path comes from settings, and a mistyped one must not cost
        # someone their files.
        if not ((self.path / MARKER).is_file() or (self.path / ".managed.json").is_file()):
            raise ValueError(f"{self.path} does not hold an Interlude search index; not emptying it")
        for item in self.path.iterdir():
            if item.is_file() and (INDEX_FILE.match(item.name) or item.name.startswith(MARKER)):
                item.unlink()

    def _write_marker(self, metadata: dict) -> None:
        temporary = self.path / (MARKER + ".tmp")
        temporary.write_text(json.dumps({"schema": SCHEMA_VERSION, "metadata": metadata}))
        temporary.replace(self.path / MARKER)

    # -- writing -------------------------------------------------------------------------------
    def _commit(self, changed_ids=None) -> None:
        """``changed_ids``: the tools added, replaced or deleted; None: all of them."""
        self._writer.commit()
        self.index_.reload()
        # After the reload, and with the generation moved on, so that a search that read the
        # old documents cannot put them back into the cache.
        self._generation += 1
        if self._hits is not None:
            if changed_ids is None:
                self._hits.clear()
            for tool_id in changed_ids or ():
                self._hits.pop(hit_key(tool_id), None)

    def index(self, documents: list[dict]) -> None:
        if not documents:
            return
        with self._lock:
            for doc in documents:
                self._writer.delete_documents_by_term("id", doc["id"])
                self._writer.add_document(to_document(doc))
            self._commit([doc["id"] for doc in documents])

    def rebuild(self, documents, *, metadata=None, progress=None) -> int:
        # One commit at the end: searches keep seeing the previous documents until then.
        with self._lock:
            self._writer.delete_all_documents()
            added = 0
            for doc in documents:
                self._writer.add_document(to_document(doc))
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
            self._commit(ids)

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
        generation, searcher = self._generation, self.index_.searcher()
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
        terms = q.highlight_terms(query.text, query.expansion) if query.highlight else []
        snippets = self._snippet_generators(searcher, terms) if terms else {}
        hits = []
        addresses = [address for _key, address in result.hits]
        for (key, _address), (document, stored) in zip(result.hits, self._hit_documents(searcher, addresses,
                                                                                         generation)):
            highlights = {field: with_enclosing_marks(html, stored[SNIPPET_FIELDS[field][0]][0])
                          for field, generator in snippets.items()
                          if (html := generator.snippet_from_doc(stored).to_html())}
            score = float(key) if isinstance(key, float) else 0.0
            hits.append(SearchHit(id=document["id"], score=score, document=dict(document),
                                  highlights=highlights))
        facets = self._facets(searcher, query, base) if query.facets else {}
        return SearchResult(total=result.count, hits=hits, facets=facets)

    def _hit_documents(self, searcher, addresses: list, generation: int) -> list[tuple[dict, tantivy.Document]]:
        """Each hit's search document and stored fields, from the cache where it holds them."""
        if self._hits is None:
            return [_read(searcher, address) for address in addresses]
        found = []
        for key, address in zip(searcher.fast_field_values("hit_key", addresses), addresses):
            entry = self._hits.get(key)
            if entry is None:
                entry = _read(searcher, address)
                if generation == self._generation:
                    if len(self._hits) >= HIT_CACHE_SIZE:
                        self._hits.clear()
                    self._hits[key] = entry
            found.append(entry)
        return found

    def _scored_text(self, searcher, scope: list, words: list, expansion) -> tantivy.Query | None:
        """The words, plus the named problems and techniques scored relative to the best score
        the words reach within the same scope (one extra top-1 search)."""
        concepts_scale = 1.0
        if words and expansion:
            best = searcher.search(q.Query.boolean_query(scope + [(q.Occur.Must, q.any_clause(words))]), 1)
            concepts_scale = best.hits[0][0] if best.hits else 1.0
        clauses = words + q.concept_clauses(self.schema, expansion, concepts_scale)
        return q.any_clause(clauses) if clauses else None

    def _snippet_generators(self, searcher, terms: list[str]) -> dict:
        generators = {}
        for shown, (field, max_chars) in SNIPPET_FIELDS.items():
            matching = q.Query.term_set_query(self.schema, field, terms)
            generator = tantivy.SnippetGenerator.create(searcher, matching, self.schema, field)
            generator.set_max_num_chars(max_chars or 10_000)
            generators[shown] = generator
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
        names = q.prefix_query(self.schema, "problem_words", prefix)
        titles = q.prefix_query(self.schema, "title_words", prefix)
        if names is None or titles is None:
            return []
        scoped = q.Query.boolean_query([(q.Occur.Must, visible), (q.Occur.Must, names)])
        labels = searcher.aggregate(scoped, {"l": {"terms": {"field": "problem_label", "size": 200}}})
        scoped = q.Query.boolean_query([(q.Occur.Must, visible), (q.Occur.Must, titles)])
        found = searcher.search(scoped, 200, order_by_field="title_sort", order=tantivy.Order.Asc).hits
        documents = [self._stored(searcher, address) for _key, address in found]
        return pick_suggestions(prefix, [b["key"] for b in labels["l"]["buckets"]],
                                [(d["id"], d["title"]) for d in documents], max(1, min(int(limit), 20)))

    def similar(self, tool_id: str, clinic_id: str = PUBLIC, limit: int = 10) -> list[SearchHit]:
        searcher, visible = self.index_.searcher(), self._visible(clinic_id)
        own = q.Query.boolean_query([(q.Occur.Must, visible), (q.Occur.Must, q.term(self.schema, "id", tool_id))])
        found = searcher.search(own, 1).hits
        if not found:
            return []
        source = self._stored(searcher, found[0][1])
        clauses = [q.Query.const_score_query(q.term(self.schema, field, value), score)
                   for field, score in (("problems", 3.0), ("technique", 2.0), ("age_group", 0.5))
                   for value in values_of(source.get(field))]
        clauses += [q.word_query(self.schema, stem, 0.2) for stem in q.content_terms(source.get("title", ""))]
        if not clauses:
            return []
        query = q.Query.boolean_query([
            (q.Occur.Must, visible), (q.Occur.Must, q.any_clause(clauses)),
            (q.Occur.MustNot, q.term(self.schema, "id", tool_id))])
        ranked = searcher.search(query, limit * 6).hits
        return distinct_tools([(self._stored(searcher, address), score) for score, address in ranked], limit)

    def _stored(self, searcher, address) -> dict:
        return _read(searcher, address)[0]

    def count(self) -> int:
        return self.index_.searcher().num_docs

    def ping(self) -> None:
        self.index_.searcher()


def _read(searcher, address) -> tuple[dict, tantivy.Document]:
    """A hit's search document (decoded) and its stored fields (which snippets are cut from)."""
    stored = searcher.doc(address)
    return json.loads(stored["document"][0]), stored


# A tantivy fragment runs from its first word to its last, so the marks around them were cut off:
# "(for example, washing)" came back as "(for example, <b>washing</b>" (issue #11, point 8).
_OPENING = re.compile(r"[(\[{\"'‘“]+$")
_CLOSING = re.compile(r"[)\]}\"'’”.,;:!?…]+")
_TAG = re.compile(r"</?b>")


def with_enclosing_marks(snippet: str, text: str) -> str:
    """The snippet with the brackets, quotes and punctuation that enclose it in ``text`` put back."""
    shown = html_text.unescape(_TAG.sub("", snippet))
    start = text.find(shown) if shown else -1
    if start < 0:
        return snippet
    opening = _OPENING.search(text, 0, start)
    closing = _CLOSING.match(text, start + len(shown))
    return (html_text.escape(opening.group()) if opening else "") + snippet + (
        html_text.escape(closing.group()) if closing else "")
