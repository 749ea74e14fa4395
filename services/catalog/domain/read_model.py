"""The catalogue's reads (list, filters, taxonomy, one tool) answered from precomputed structures.

The shared catalogue changes only when a build is published, and a clinic's own tools only when
the clinic edits them; both bump a version stamp (``versions``). A read costs two point reads of
those stamps, then dictionary look-ups: the catalogue is indexed once per catalogue version
(summaries in title order, a posting list per filter value, facet counts), each clinic's tools
once per clinic version, and each answer (a filtered, merged listing; a taxonomy) is kept with its
ETag, keyed by the versions it was computed from, in a bounded LRU. A stale entry is never served:
its key names versions that are no longer current, and it falls out of the LRU.
"""
from __future__ import annotations

import hashlib
import heapq
from collections import Counter, OrderedDict
from dataclasses import dataclass
from typing import Any

from interlude.errors import InvalidInput, NotFound
from interlude.paging import parse_paging
from interlude.ports.documents import DocumentStore
from services.catalog.domain import versions
from services.catalog.domain.catalogue import LIST_FILTERS, TAXONOMY_FIELDS, summary

VIEWS = ("list", "taxonomy", "tool")
MAX_ANSWERS = 512        # filtered listings and taxonomies kept, over all clinics
MAX_CLINICS = 1024       # clinics whose own tools are kept indexed


@dataclass(frozen=True)
class View:
    etag: str
    data: Any


def etag_of(*parts) -> str:
    return '"' + hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest() + '"'


def _values(tool: dict, field: str) -> list:
    value = tool.get(field)
    return [v for v in value if v] if isinstance(value, list) else ([value] if value else [])


def _order(item: dict) -> tuple:
    return item["title"], item["id"]


def clinic_summary(tool: dict) -> dict:
    """A clinic's own tool as a catalogue listing shows it (its id is its slug)."""
    return {"id": tool["id"], "slug": tool["id"], "title": tool["title"], "summary": tool["summary"],
            "problems": list(tool.get("problems") or []), "technique": "", "approach": tool.get("approach", ""),
            "format": tool["format"], "age_group": tool["age_group"], "phase": "", "minutes": None,
            "version": str(tool["version"]), "source": "clinic"}


class _Indexed:
    """Summaries in title order, the positions of those matching each filter value, facet counts."""

    def __init__(self, summaries: list[dict], tools: list[dict]):
        self.summaries = summaries
        self.postings: dict[tuple[str, str], list[int]] = {}
        self.counts = {name: Counter() for name in TAXONOMY_FIELDS}
        for position, tool in enumerate(tools):
            for param, field in LIST_FILTERS.items():
                for value in _values(tool, field):
                    self.postings.setdefault((param, value), []).append(position)
            for name in TAXONOMY_FIELDS:
                self.counts[name].update(_values(tool, name))

    def matching(self, filters: tuple) -> list[dict]:
        if not filters:
            return self.summaries
        lists = sorted((self.postings.get(f, []) for f in filters), key=len)
        allowed = [set(other) for other in lists[1:]]
        return [self.summaries[p] for p in lists[0] if all(p in other for other in allowed)]


class _CatalogueSnapshot(_Indexed):
    def __init__(self, version: str, docs: list[dict]):
        self.version = version
        self.by_id = {doc["id"]: doc for doc in docs}
        self.by_slug = {doc["slug"]: doc for doc in docs if doc.get("slug")}
        published = sorted((doc for doc in docs if doc.get("status") == "published"), key=_order)
        super().__init__([{**summary(doc), "source": "catalogue"} for doc in published], published)


class _ClinicSnapshot(_Indexed):
    def __init__(self, version: str, docs: list[dict]):
        self.version = version
        published = sorted((doc for doc in docs if doc.get("status") == "published"), key=_order)
        super().__init__([clinic_summary(doc) for doc in published], published)


class _Lru(OrderedDict):
    def __init__(self, limit: int):
        super().__init__()
        self.limit = limit

    def lookup(self, key):
        value = self.get(key)
        if value is not None:
            self.move_to_end(key)
        return value

    def keep(self, key, value):
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.limit:
            self.popitem(last=False)
        return value


class CatalogueReads:
    """One per catalog service process; safe to share between its workers (green threads)."""

    def __init__(self, store: DocumentStore, *, max_answers: int = MAX_ANSWERS, max_clinics: int = MAX_CLINICS):
        self.store = store
        self.catalogue: _CatalogueSnapshot | None = None
        self.clinics = _Lru(max_clinics)
        self.answers = _Lru(max_answers)
        self.announced_version: str | None = None    # the service's watcher's (service.py)

    def catalogue_version(self) -> str:
        return versions.current(self.store, versions.CATALOGUE)

    # the precomputed structures, current as of the stamps ------------------------------
    def _current_catalogue(self) -> _CatalogueSnapshot:
        version = versions.current(self.store, versions.CATALOGUE)   # stamp first, then data
        if self.catalogue is None or self.catalogue.version != version:
            self.catalogue = _CatalogueSnapshot(version, self.store.collection("tools").find())
        return self.catalogue

    def _current_clinic(self, clinic_id: str) -> _ClinicSnapshot:
        version = versions.current(self.store, versions.clinic_key(clinic_id))
        snapshot = self.clinics.lookup(clinic_id)
        if snapshot is None or snapshot.version != version:
            docs = self.store.collection("clinic_tools").find({"clinic_id": clinic_id})
            snapshot = self.clinics.keep(clinic_id, _ClinicSnapshot(version, docs))
        return snapshot

    def _answer(self, key: tuple, compute) -> View:
        found = self.answers.lookup(key)
        return found if found is not None else self.answers.keep(key, View(etag_of(*key), compute()))

    # the reads -------------------------------------------------------------------------
    def list(self, clinic_id: str, params: dict) -> View:
        page, per_page = parse_paging(params)
        filters = tuple(sorted((param, str(params[param])) for param in LIST_FILTERS if params.get(param)))
        catalogue, clinic = self._current_catalogue(), self._current_clinic(clinic_id)
        matching = self._answer(("matching", catalogue.version, clinic_id, clinic.version, filters),
                                lambda: self._merged(catalogue, clinic, filters)).data

        def page_of():
            start = (page - 1) * per_page
            return {"total": len(matching), "page": page, "per_page": per_page,
                    "items": matching[start:start + per_page]}
        return self._answer(("list", catalogue.version, clinic_id, clinic.version, filters, page, per_page), page_of)

    @staticmethod
    def _merged(catalogue: _CatalogueSnapshot, clinic: _ClinicSnapshot, filters: tuple) -> list[dict]:
        ours = clinic.matching(filters)
        shared = catalogue.matching(filters)
        return list(heapq.merge(shared, ours, key=_order)) if ours else shared

    def taxonomy(self, clinic_id: str, problems: dict, techniques: dict) -> View:
        """Counts of published tools (the catalogue's and the clinic's) per value of each facet."""
        catalogue, clinic = self._current_catalogue(), self._current_clinic(clinic_id)

        def compute():
            counts = {name: catalogue.counts[name] + clinic.counts[name] for name in TAXONOMY_FIELDS}
            return {
                "problems": [{"slug": slug, "name": problem.name, "domain": problem.domain,
                              "tools": counts["problems"][slug]} for slug, problem in sorted(problems.items())],
                "techniques": [{"slug": slug, "name": technique.name, "approach": technique.approach,
                                "tools": counts["technique"][slug]}
                               for slug, technique in sorted(techniques.items())],
                # every key plural, as the lists above (the same shape as Catalogue.taxonomy)
                **{plural: dict(sorted(counts[name].items())) for name, plural in
                   (("approach", "approaches"), ("format", "formats"), ("age_group", "age_groups"),
                    ("phase", "phases"))},
            }
        return self._answer(("taxonomy", catalogue.version, clinic_id, clinic.version), compute)

    def tool(self, id_or_slug: str) -> View:
        catalogue = self._current_catalogue()
        tool = catalogue.by_id.get(id_or_slug) or catalogue.by_slug.get(id_or_slug)
        if tool is None:
            raise NotFound(f"No tool {id_or_slug!r} in the catalogue: check the id or slug.")
        return View(etag_of("tool", tool["id"], tool.get("version"), tool.get("status")), tool)

    def read(self, clinic_id: str, view: str, args, content) -> View:
        """One of VIEWS by name: what the gateway's conditional requests ask for."""
        if view == "list":
            return self.list(clinic_id, dict(args or {}))
        if view == "taxonomy":
            return self.taxonomy(clinic_id, content.problems, content.techniques)
        if view == "tool":
            return self.tool(str(args))
        raise InvalidInput(f"view must be one of: {', '.join(VIEWS)}.")
