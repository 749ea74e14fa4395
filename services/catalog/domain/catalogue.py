"""The shared catalogue as stored in the documents store, and the queries the API needs.

``publish`` stores a build: new tools are added, tools whose text changed get their new version,
tools the content no longer produces are retired (kept, so earlier assignments stay readable,
but no longer listed). Publishing the same build twice changes nothing.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from interlude import clock
from interlude.errors import NotFound
from interlude.paging import parse_paging
from interlude.ports.documents import DocumentStore
from services.catalog.domain import versions

LIST_FILTERS = {"problem": "problems", "technique": "technique", "approach": "approach",
                "format": "format", "age": "age_group", "phase": "phase"}
SUMMARY_FIELDS = ("id", "slug", "title", "summary", "problems", "technique", "approach", "format",
                  "age_group", "phase", "minutes", "version")
TAXONOMY_FIELDS = ("problems", "technique", "approach", "format", "age_group", "phase")


@dataclass
class PublishReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    unchanged: int = 0

    def to_dict(self) -> dict:
        return {"added": len(self.added), "updated": len(self.updated), "retired": len(self.retired),
                "unchanged": self.unchanged}


def summary(tool: dict) -> dict:
    return {key: tool.get(key) for key in SUMMARY_FIELDS}


def ensure_indexes(store: DocumentStore) -> None:
    """The catalog service's indexes, made once when it starts (and by ``catalog build``)."""
    tools = store.collection("tools")
    tools.ensure_index(["slug"], unique=True)
    for name in ("status", "format", "age_group", "technique"):
        tools.ensure_index([name])
    store.collection("clinic_tools").ensure_index(["clinic_id"])
    store.collection("clinic_media").ensure_index(["clinic_id"])


class Catalogue:
    def __init__(self, store: DocumentStore):
        self.store = store
        self.tools = store.collection("tools")

    def publish(self, built: list[dict], progress=None) -> PublishReport:
        report = PublishReport()
        now = clock.iso()
        current = {doc["id"]: doc for doc in self.tools.find()}
        for done, tool in enumerate(built, start=1):
            stored = current.pop(tool["id"], None)
            if stored is None:
                self.tools.insert({**tool, "status": "published", "published_at": now})
                report.added.append(tool["id"])
            elif stored.get("version") != tool["version"] or stored.get("status") != "published":
                self.tools.update(tool["id"], {**tool, "status": "published", "published_at": now})
                report.updated.append(tool["id"])
            else:
                report.unchanged += 1
            if progress:
                progress(done, len(built))
        for tool_id, stored in current.items():
            if stored.get("status") != "retired":
                self.tools.update(tool_id, {"status": "retired", "retired_at": now})
                report.retired.append(tool_id)
        if report.added or report.updated or report.retired:
            versions.bump(self.store, versions.CATALOGUE)   # after the writes: readers re-read
        return report

    def count(self) -> int:
        return self.tools.count({"status": "published"})

    def get(self, id_or_slug: str) -> dict:
        tool = self.tools.get(id_or_slug)
        if tool is None:
            found = self.tools.find({"slug": id_or_slug}, limit=1)
            tool = found[0] if found else None
        if tool is None:
            raise NotFound(f"No tool {id_or_slug!r} in the catalogue: check the id or slug.")
        return tool

    def list(self, params: dict) -> dict:
        page, per_page = parse_paging(params)
        where: dict = {"status": "published"}
        for param, stored in LIST_FILTERS.items():
            value = params.get(param)
            if value:
                where[stored] = {"$contains": value} if stored == "problems" else value
        total = self.tools.count(where)
        items = self.tools.find(where, sort=[("title", 1)], limit=per_page, skip=(page - 1) * per_page)
        return {"total": total, "page": page, "per_page": per_page, "items": [summary(t) for t in items]}

    def all_published(self) -> list[dict]:
        return self.tools.find({"status": "published"})

    def taxonomy(self, problems: dict, techniques: dict) -> dict:
        """Counts of published tools per value of each facet, with the names a person reads."""
        counts = {name: Counter() for name in TAXONOMY_FIELDS}
        for tool in self.all_published():
            for name in TAXONOMY_FIELDS:
                values = tool.get(name)
                for value in values if isinstance(values, list) else [values]:
                    if value:
                        counts[name][value] += 1
        return {
            "problems": [{"slug": slug, "name": problem.name, "domain": problem.domain,
                          "tools": counts["problems"][slug]} for slug, problem in sorted(problems.items())],
            "techniques": [{"slug": slug, "name": technique.name, "approach": technique.approach,
                            "tools": counts["technique"][slug]} for slug, technique in sorted(techniques.items())],
            # every key plural, as the lists above (issue #11, finding 8: they mixed plural and singular)
            **{plural: dict(sorted(counts[name].items())) for name, plural in
               (("approach", "approaches"), ("format", "formats"), ("age_group", "age_groups"), ("phase", "phases"))},
        }
