"""What the search index is built from: the catalogue build (from the catalogue's published
contract), plus the clinics' own tools as the catalog service's events described them (kept in
search's own collection, so a rebuild needs nothing of the catalog service's store).

Everything in the index is derived, so a reindex, or a start that finds the index missing,
unreadable or built from other content, rebuilds it from here. The catalogue's fingerprint (every
tool's id and version) is kept with the index, so a start after new content reindexes once and a
start with the same content does nothing.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from interlude.errors import Conflict
from interlude.logging import get_logger
from interlude.ports.documents import DocumentStore
from interlude.ports.search import SearchEngine
from services.catalog.contract import CONTENT_DIR
from services.search.adapters.expansion import QueryExpander

log = get_logger(__name__)
CLINIC_DOCUMENTS = "search_clinic_documents"   # search's own: clinic tools' documents, from events


@dataclass
class IndexSource:
    """The catalogue content, loaded once: its tools as search documents and the expander."""
    root: Path = CONTENT_DIR

    @cached_property
    def content(self):
        from services.catalog.contract import load_content
        return load_content(self.root)

    @cached_property
    def tools(self) -> list[dict]:
        from services.catalog.contract import build_catalogue
        return build_catalogue(self.content)

    @cached_property
    def documents(self) -> list[dict]:
        from services.catalog.contract import search_document
        return [search_document(tool, self.content.problems, self.content.techniques) for tool in self.tools]

    @cached_property
    def fingerprint(self) -> str:
        digest = hashlib.sha256()
        for tool in self.tools:
            digest.update(f"{tool['id']}:{tool['version']}\n".encode())
        return digest.hexdigest()[:16]

    @cached_property
    def expander(self) -> QueryExpander:
        # The catalogue's own words are spelt right: they are never "corrected".
        words = set()
        for doc in self.documents:
            words.update(re.findall(r"[\w']+", f"{doc['title']} {doc['summary']} {doc['body']}".casefold()))
        return QueryExpander.from_content(self.content, extra_words=words)


def ensure_indexes(store: DocumentStore) -> None:
    store.collection(CLINIC_DOCUMENTS).ensure_index(["clinic_id"])


def remember_clinic_tool(store: DocumentStore, document: dict) -> None:
    """A clinic tool was published or updated (its search document, as the event carried it)."""
    documents = store.collection(CLINIC_DOCUMENTS)
    try:
        documents.insert(dict(document))
    except Conflict:
        documents.update(document["id"], dict(document))


def forget_clinic_tool(store: DocumentStore, tool_id: str) -> None:
    store.collection(CLINIC_DOCUMENTS).delete(tool_id)


def clinic_documents(store: DocumentStore | None) -> list[dict]:
    """Search documents of every clinic's published tools, as the catalog's events told them."""
    if store is None:
        return []
    return store.collection(CLINIC_DOCUMENTS).find(sort=[("id", 1)])


def reindex(engine: SearchEngine, catalogue: IndexSource, store: DocumentStore | None = None,
            progress: Callable[[int, int], None] | None = None) -> int:
    """Replace the index's contents with the catalogue and the clinics' tools; same input, same
    index. ``progress(done, total)`` follows the indexing."""
    documents = catalogue.documents + clinic_documents(store)
    total = len(documents)
    return engine.rebuild(documents, metadata={"catalogue": catalogue.fingerprint, "documents": total},
                          progress=(lambda done: progress(done, total)) if progress else None)


def ensure_current(engine: SearchEngine, catalogue: IndexSource, store: DocumentStore | None = None) -> str:
    """Rebuild when the index is empty, was reset, or holds another catalogue; says why, or ""."""
    reason = getattr(engine, "reset_reason", "")
    recorded = engine.metadata().get("catalogue")
    if not reason and engine.count() == 0:
        reason = "the index is empty"
    elif not reason and recorded != catalogue.fingerprint:
        reason = f"the catalogue changed ({recorded or 'unknown'} -> {catalogue.fingerprint})"
    if reason:
        count = reindex(engine, catalogue, store)
        if getattr(engine, "reset_reason", ""):
            engine.reset_reason = ""          # handled: the next check looks at the index itself
        log.info("search_index_rebuilt", reason=reason, documents=count)
    return reason
