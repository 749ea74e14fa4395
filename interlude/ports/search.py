"""Search engine port: full text over tool documents.

Adapters: tantivy (embedded default, an index folder) and Elasticsearch (issue #4). A search
document is a flat dict: ``id``, ``clinic_id`` ("" for the shared catalogue), text fields
(``title``, ``summary``, ``body``, ``problem_names``, ``lay_phrases``) and keyword fields
(``problems``, ``technique``, ``approach``, ``format``, ``age_group``, ``phase``).

A clinic sees the shared catalogue and its own tools, never another clinic's: every query
carries ``clinic_id`` and the adapters filter on it.
"""
from __future__ import annotations

import abc
from dataclasses import dataclass, field

TEXT_FIELDS = ("title", "summary", "body", "problem_names", "lay_phrases")
KEYWORD_FIELDS = ("problems", "technique", "approach", "format", "age_group", "phase")
PUBLIC = ""


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    clinic_id: str = PUBLIC
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    page: int = 1
    per_page: int = 20


@dataclass(frozen=True)
class SearchHit:
    id: str
    score: float
    document: dict


@dataclass(frozen=True)
class SearchResult:
    total: int
    hits: list[SearchHit]


class SearchEngine(abc.ABC):
    @abc.abstractmethod
    def index(self, documents: list[dict]) -> None:
        """Add or replace documents (by id); visible to the next search."""

    @abc.abstractmethod
    def delete(self, ids: list[str]) -> None:
        """Remove documents by id; unknown ids are ignored."""

    @abc.abstractmethod
    def search(self, query: SearchQuery) -> SearchResult:
        """Ranked hits for the query, restricted to the shared catalogue and the query's clinic."""

    @abc.abstractmethod
    def count(self) -> int:
        """How many documents the index holds."""

    @abc.abstractmethod
    def clear(self) -> None:
        """Remove every document."""

    @abc.abstractmethod
    def ping(self) -> None:
        """Raise if the engine does not answer."""
