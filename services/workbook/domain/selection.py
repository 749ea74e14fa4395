"""Which tools a proposed plan takes, and in what order (used by plan.propose_plan).

Every choice is ranked by the content's own order (the fit files, each technique's formats),
never by the order of the tools given, so the same request always gives the same plan.
"""
from __future__ import annotations

from services.catalog.contract import FORMATS, PHASES, PSYCHOEDUCATION, Content, Fit


class Ranks:
    """Sort keys from the content's own order, so that the input order of tools never matters."""

    def __init__(self, content: Content, formats: tuple[str, ...]):
        self.content, self.formats = content, formats
        self.fits = {(f.problem, f.technique): (index, f) for index, f in enumerate(content.fits)}

    def fit_of(self, tool: dict) -> Fit | None:
        found = self.fits.get((next(iter(tool.get("problems") or [""])), tool.get("technique")))
        return found[1] if found else None

    def fit_index(self, tool: dict) -> int:
        found = self.fits.get((next(iter(tool.get("problems") or [""])), tool.get("technique")))
        return found[0] if found else -1   # the problem's handout comes before every fit

    def preference(self, tool: dict) -> int:
        fmt = tool.get("format")
        return self.formats.index(fmt) if fmt in self.formats else len(self.formats)

    def default_format(self, tool: dict) -> int:
        technique = self.content.techniques.get(tool.get("technique", ""))
        fmt = tool.get("format")
        if technique is not None and fmt in technique.formats:
            return technique.formats.index(fmt)
        return len(FORMATS) + FORMATS.index(fmt) if fmt in FORMATS else 2 * len(FORMATS)

    def phase(self, tool: dict) -> int:
        return PHASES.index(tool["phase"]) if tool.get("phase") in PHASES else len(PHASES)

    def order_key(self, tool: dict) -> tuple:
        return (self.phase(tool), tool.get("technique") != PSYCHOEDUCATION, self.preference(tool),
                self.fit_index(tool), self.default_format(tool), tool["id"])


def queue(tools: list[dict], ranks: Ranks) -> list[dict]:
    """One chapter's tools in the order they are taken: the problem's handout, then one tool per
    technique taking the phases in turn (so a short book still has every phase), then the other
    formats of those techniques."""
    by_technique: dict[str, list[dict]] = {}
    for tool in tools:
        by_technique.setdefault(tool.get("technique", ""), []).append(tool)
    mains, extras = [], []
    for group in by_technique.values():
        group.sort(key=lambda t: (ranks.preference(t), ranks.default_format(t), t["id"]))
        mains.append(group[0])
        extras.extend(group[1:])
    buckets = [sorted((t for t in mains if ranks.phase(t) == index), key=ranks.order_key)
               for index in range(len(PHASES) + 1)]
    queue = []
    while any(buckets):
        queue.extend(bucket.pop(0) for bucket in buckets if bucket)
    extras.sort(key=lambda t: (ranks.preference(t), ranks.phase(t), ranks.fit_index(t),
                               ranks.default_format(t), t["id"]))
    return queue + extras


def share(queues: list[list[dict]], budget: int) -> list[list[dict]]:
    """Take from each chapter's queue in turn, so chapters get an even share; a chapter that runs
    out leaves its share to the others."""
    chosen: list[list[dict]] = [[] for _ in queues]
    taken = 0
    while taken < budget and any(len(c) < len(q) for c, q in zip(chosen, queues)):
        for picked, queue in zip(chosen, queues):
            if taken < budget and len(picked) < len(queue):
                picked.append(queue[len(picked)])
                taken += 1
    return chosen
