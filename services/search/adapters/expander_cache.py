"""The query expander of one-off commands (`interlude search "..."`), kept in the data folder.

Building the expander composes the whole catalogue to learn its words (about a second), yet it
depends only on the catalogue the index was built from, whose fingerprint the index records. So a
command reads the index's fingerprint and, when the kept expander has the same, builds the
expander from the kept concepts and words (tens of milliseconds) instead of from the content.
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path

from services.search.adapters.expansion import Concept, QueryExpander

FILE_NAME = "query-expander.json"


def cache_path(data_dir: Path) -> Path:
    return Path(data_dir) / "cache" / FILE_NAME


def load(path: Path, fingerprint: str) -> QueryExpander | None:
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not fingerprint or kept.get("fingerprint") != fingerprint:
        return None
    concepts = [Concept(c["kind"], c["slug"], tuple(c["names"]), tuple(c["lay_phrases"]), c["domain"])
                for c in kept["concepts"]]
    return QueryExpander(concepts, extra_words=frozenset(kept["extra_words"]),
                         approaches={name: tuple(slugs) for name, slugs in kept.get("approaches", {}).items()})


def save(path: Path, fingerprint: str, expander: QueryExpander) -> None:
    """Best effort: a folder that cannot be written only means the next command builds again."""
    data = {"fingerprint": fingerprint, "concepts": [asdict(c) for c in expander.concepts],
            "extra_words": sorted(expander.extra_words),
            "approaches": {name: list(slugs) for name, slugs in expander.approaches.items()}}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        temporary.replace(path)
    except OSError:
        pass


def expander_for(data_dir: Path, indexed_fingerprint: str | None, catalogue) -> QueryExpander:
    """The expander for an index built from ``indexed_fingerprint``: kept, or built and kept."""
    path = cache_path(data_dir)
    kept = load(path, indexed_fingerprint or "")
    if kept is not None:
        return kept
    expander = catalogue.expander
    if indexed_fingerprint and indexed_fingerprint == catalogue.fingerprint:
        save(path, indexed_fingerprint, expander)
    return expander
