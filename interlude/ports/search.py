"""Search engine port: full text over tool documents.

Adapters: tantivy (embedded default, an index folder) and Elasticsearch (production). A search
document is a flat dict: ``id``, ``clinic_id`` ("" for the shared catalogue), text fields
(``title``, ``summary``, ``body``, ``problem_names``, ``lay_phrases``) and keyword fields
(``problems``, ``technique``, ``approach``, ``format``, ``age_group``, ``phase``, ``source``:
"catalogue" for the shared catalogue, "clinic" for a clinic's own tools).

A clinic sees the shared catalogue and its own tools, never another clinic's: every query
carries ``clinic_id`` and the adapters filter on it.

Lay language reaches clinical vocabulary through a ``QueryExpansion`` that the search service
works out from the problem catalogue (services/search/adapters/synonyms.py) and hands to the engine, so
both engines rank with the same knowledge and the adapters stay free of catalogue content.
"""
from __future__ import annotations

import abc
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

TEXT_FIELDS = ("title", "summary", "body", "problem_names", "lay_phrases")
KEYWORD_FIELDS = ("problems", "technique", "approach", "format", "age_group", "phase", "source")
FACET_FIELDS = KEYWORD_FIELDS
SORTS = ("relevance", "title")
PUBLIC = ""
# Default field boosts: a word in the title or in a problem's names says more about what a tool is
# for than the same word somewhere in its instructions.
FIELD_BOOSTS = {"title": 3.0, "problem_names": 2.5, "lay_phrases": 1.5, "summary": 1.5, "body": 0.6}

# Function words left out of queries: in a catalogue of long instructions "my", "her" and "at"
# match nearly every tool and only add noise to the ranking. Negations stay ("no" in "can't say
# no" is part of the meaning). Both engines and the query expansion use this one list.
QUERY_STOPWORDS = tuple("""a an and are as at be been being but by did do does doing for from had
has have having he her hers herself him himself his how i if in into is it its itself just me my
myself of on or our ours she so some such than that the their theirs them then there these they
this those to too very was we were what when where which who whom why will with would you your
yours yourself can could should t s d ll m re ve get got really""".split())


@dataclass(frozen=True)
class QueryExpansion:
    """What the words mean beyond themselves: extra terms and the problems/techniques they name.

    Each entry is (value, weight); weight 1.0 counts as much as a word the user typed.
    """
    terms: tuple[tuple[str, float], ...] = ()
    problems: tuple[tuple[str, float], ...] = ()
    techniques: tuple[tuple[str, float], ...] = ()
    age_groups: tuple[tuple[str, float], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.terms or self.problems or self.techniques or self.age_groups)


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    clinic_id: str = PUBLIC
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    page: int = 1
    per_page: int = 20
    sort: str = "relevance"
    expansion: QueryExpansion = field(default_factory=QueryExpansion)
    facets: bool = True
    highlight: bool = True
    fuzzy: bool = True


@dataclass(frozen=True)
class SearchHit:
    id: str
    score: float
    document: dict     # the search document as indexed, less its ``body``
    # field -> HTML fragment with the matched words in <b>…</b>; the rest of the text is escaped.
    highlights: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SearchResult:
    total: int
    hits: list[SearchHit]
    # facet field -> value -> how many matching tools have it. A field's counts ignore that
    # field's own filter, so a search box can offer the other values alongside the chosen one.
    facets: dict[str, dict[str, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class Suggestion:
    text: str
    kind: str          # "title" or "problem"
    id: str = ""       # the tool's id for a title only one tool has


class SearchEngine(abc.ABC):
    @abc.abstractmethod
    def index(self, documents: list[dict]) -> None:
        """Add or replace documents (by id); visible to the next search."""

    @abc.abstractmethod
    def rebuild(self, documents: Iterable[dict], *, metadata: dict | None = None,
                progress: Callable[[int], None] | None = None) -> int:
        """Replace every document with these; searches see the old set until the new one is
        complete. ``progress(n)`` is called as documents are added; returns how many were indexed.
        ``metadata`` (JSON-able) is kept with the index and read back by ``metadata()``."""

    @abc.abstractmethod
    def metadata(self) -> dict:
        """What the last rebuild recorded, or {} (a new, missing or unreadable index)."""

    @abc.abstractmethod
    def delete(self, ids: list[str]) -> None:
        """Remove documents by id; unknown ids are ignored."""

    @abc.abstractmethod
    def search(self, query: SearchQuery) -> SearchResult:
        """Ranked hits for the query, restricted to the shared catalogue and the query's clinic."""

    @abc.abstractmethod
    def suggest(self, prefix: str, clinic_id: str = PUBLIC, limit: int = 8) -> list[Suggestion]:
        """Tool titles and problem names with a word starting with what was typed so far."""

    @abc.abstractmethod
    def similar(self, tool_id: str, clinic_id: str = PUBLIC, limit: int = 10) -> list[SearchHit]:
        """Tools sharing problems, technique and words with the given tool (not the tool itself);
        empty when the tool is unknown or not visible to the clinic."""

    @abc.abstractmethod
    def count(self) -> int:
        """How many documents the index holds."""

    @abc.abstractmethod
    def clear(self) -> None:
        """Remove every document."""

    @abc.abstractmethod
    def ping(self) -> None:
        """Raise if the engine does not answer."""


def validate_query(query: SearchQuery) -> None:
    """Raise ValueError for what no engine can answer (unknown filter field or sort)."""
    unknown = set(query.filters) - set(KEYWORD_FIELDS)
    if unknown:
        raise ValueError(f"cannot filter on {sorted(unknown)}")
    if query.sort not in SORTS:
        raise ValueError(f"cannot sort by {query.sort!r}: choose one of {list(SORTS)}")


# -- helpers every adapter shares, so that suggestions and similar tools read the same ----------
def word_start_pattern(prefix: str) -> re.Pattern | None:
    """Matches text holding the prefix's words at the start of words ("worry ti" in "Worry Time")."""
    words = re.findall(r"\w+", prefix.casefold())
    return re.compile(r"(?<!\w)" + r"\W+".join(map(re.escape, words)), re.I) if words else None


def pick_suggestions(prefix: str, problem_names: list[str], titles: list[tuple[str, str]],
                     limit: int) -> list[Suggestion]:
    """Problem names (most tools first) then titles (those starting with the prefix, then the
    shortest). The formats and ages of one exercise share its title: it is suggested once, with
    no tool id (it stands for all of them)."""
    pattern = word_start_pattern(prefix)
    if pattern is None:
        return []
    found = [Suggestion(text=name, kind="problem")
             for name in problem_names if pattern.search(name)][: limit // 2 + 1]
    starts = prefix.strip().casefold()
    ranked = sorted((not title.casefold().startswith(starts), len(title), title, tool_id)
                    for tool_id, title in titles if pattern.search(title))
    unique: dict[str, list[str]] = {}
    for _later, _length, title, tool_id in ranked:
        unique.setdefault(title, []).append(tool_id)
    # A title one tool has leads to that tool; a title several share (the worksheet, the audio,
    # the teen version) carries no id: it leads to the search for it, which lists them all.
    found += [Suggestion(text=title, kind="title", id=ids[0] if len(set(ids)) == 1 else "")
              for title, ids in list(unique.items())[: limit - len(found)]]
    return found


def distinct_tools(documents: list[tuple[dict, float]], limit: int) -> list[SearchHit]:
    """The same exercise in another format or for another age is a near copy: keep the first."""
    hits, seen = [], set()
    for document, score in documents:
        problems = document.get("problems") or []
        key = (tuple(problems if isinstance(problems, list) else [problems]),
               document.get("technique") or document["id"])
        if key not in seen:
            seen.add(key)
            hits.append(SearchHit(id=document["id"], score=float(score), document=document))
    return hits[:limit]
