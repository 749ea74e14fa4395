"""Published measures (PHQ-9, GAD-7, PHQ-15, PCL-5, K10): loading them and scoring answers.

Each file in content/measures is kept word for word as published. This module checks that a file can
be scored (unique item ids, whole-number options, bands tiling the score range) and scores one set of
answers. Plain Python: it imports no framework.
"""
from __future__ import annotations

import operator
import re
from dataclasses import dataclass, field
from pathlib import Path

from interlude.errors import InvalidInput
from services.catalog.domain.content_reading import ContentError, Issues, Item, read_yaml

MEASURES = Path(__file__).resolve().parents[1] / "content" / "measures"
_WHEN = re.compile(r"^\s*(>=|<=|==|>|<)\s*(-?\d+)\s*$")
_COMPARE = {">": operator.gt, ">=": operator.ge, "==": operator.eq, "<": operator.lt, "<=": operator.le}
# PCL-5 provisional DSM-5 pattern: an item rated 2 ("Moderately") or higher counts as a symptom
# endorsed (Weathers et al. 2013; the file's `dsm5_rule` says so in words, with no key for it).
ENDORSED_AT = 2


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    applies_to: str | None = None   # e.g. PHQ-15 q4 "women": may be left unanswered, scoring 0


@dataclass(frozen=True)
class Band:
    min: int
    max: int
    label: str


@dataclass(frozen=True)
class Flag:
    item: str
    op: str
    threshold: int
    name: str
    message: str


@dataclass(frozen=True)
class Cluster:
    id: str
    name: str
    items: tuple[str, ...]
    min_endorsed: int | None


@dataclass(frozen=True)
class Measure:
    slug: str
    short_name: str
    file: str
    options: tuple[tuple[int, str], ...]           # (value, label), as published
    items: tuple[Question, ...]
    min: int
    max: int
    bands: tuple[Band, ...] = ()
    flags: tuple[Flag, ...] = ()
    cutoff: tuple[int, int] | None = None          # published cut-off range, e.g. PCL-5 (31, 33)
    clusters: tuple[Cluster, ...] = ()
    dsm5_rule: str | None = None
    examples: tuple[dict, ...] = field(default=(), compare=False)
    extra: dict | None = field(default=None, compare=False)   # unscored extra question (PHQ-9)
    timeframe: str = field(default="", compare=False)         # the published question stem


@dataclass(frozen=True)
class Score:
    measure: str
    total: int
    band: str | None
    band_index: int | None
    max_possible: int
    flags: list[str]
    clusters: dict[str, int] | None = None
    cutoff_met: bool | None = None
    dsm5_pattern: bool | None = None

    def to_dict(self) -> dict:
        extras = {"clusters": self.clusters, "cutoff_met": self.cutoff_met, "dsm5_pattern": self.dsm5_pattern}
        return {"measure": self.measure, "total": self.total, "band": self.band,
                "band_index": self.band_index, "max_possible": self.max_possible, "flags": list(self.flags),
                **{key: value for key, value in extras.items() if value is not None}}


def load_measures(folder: Path | str | None = None) -> dict[str, Measure]:
    """Every measure file in ``folder`` by slug; raises ContentError listing each file's problems."""
    folder = Path(folder) if folder is not None else MEASURES
    paths = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    if not paths:
        raise ContentError([f"{folder}: no measure files (*.yaml) found"])
    issues, measures = Issues(), {}
    for path in paths:
        data = read_yaml(path, folder, issues)
        measure = _parse(data, path.name, issues) if data is not None else None
        if measure and measure.slug in measures:
            issues.add(path.name, f"slug '{measure.slug}' is already used by {measures[measure.slug].file}")
        elif measure:
            measures[measure.slug] = measure
    issues.raise_if_any()
    return measures


def _parse(data: dict, name: str, issues: Issues) -> Measure | None:
    before, top = len(issues.messages), Item(data, name, issues)
    slug, short_name = top.slug(), top.text("short_name")
    options = [(entry.integer("value"), entry.text("label")) for entry in _entries(top, "options", name)]
    items = [Question(entry.text("id"), entry.text("text"), entry.raw.get("applies_to"))
             for entry in _entries(top, "items", name)]
    ids, values = [item.id for item in items], [value for value, _ in options]

    def clean() -> bool:  # later checks only make sense while the earlier parts read without a mistake
        return len(issues.messages) == before

    if clean() and not (options and items):
        top.fail("needs non-empty `options` and `items` lists")
    if repeated := sorted({i for i in ids if ids.count(i) > 1}):
        top.fail(f"item id(s) {', '.join(repeated)} are used more than once: give each item its own id")
    if clean() and len(set(values)) != len(values):
        top.fail("two options share a `value`: each answer needs its own value")
    scoring = top.child("scoring")
    low, high = scoring.integer("min"), scoring.integer("max")
    if scoring.raw.get("method", "sum") != "sum":
        scoring.fail("`method` must be `sum`, the only scoring supported")
    span = (min(values) * len(items), max(values) * len(items)) if values else (low, high)
    if clean() and (low, high) != span:
        scoring.fail(f"`min`/`max` are {low}/{high} but {len(items)} items scored "
                     f"{min(values)}-{max(values)} give {span[0]}/{span[1]}")
    bands, expected, scored = [], low, clean()
    for entry in _entries(top, "bands", name, required=False):
        band = Band(entry.integer("min"), entry.integer("max"), entry.text("label"))
        if (scored and band.min != expected) or band.max < band.min:
            why = "ends before it starts" if band.max < band.min else f"should start at {expected}"
            entry.fail(f"covers {band.min}-{band.max} but {why}: bands must run from {low} to {high} in "
                       "order, with no gaps or overlaps")
        bands.append(band)
        expected = band.max + 1
    if bands and scored and expected != high + 1:
        top.fail(f"the last band ends at {expected - 1}, not at the scoring maximum {high}")
    flags = []
    for entry in _entries(top, "flags", name, required=False):
        when = _WHEN.match(str(entry.raw.get("when", "")))
        if entry.raw.get("item") not in ids or not when:
            entry.fail("needs an `item` id of this measure and `when` like '> 0'")
        else:
            flags.append(Flag(entry.raw["item"], when[1], int(when[2]), entry.text("flag"),
                              entry.text("message", required=False)))
    clusters = []
    for entry in _entries(top, "clusters", name, required=False):
        members = entry.texts("items")
        if unknown := [m for m in members if m not in ids]:
            entry.fail(f"`items` {', '.join(unknown)} are not item ids of this measure")
        needed = entry.integer("min_endorsed", minimum=0) if "min_endorsed" in entry.raw else None
        clusters.append(Cluster(entry.text("id"), entry.text("name", required=False), members, needed))
    limits = top.child("cutoff") if top.has("cutoff") else None
    cutoff = (limits.integer("min"), limits.integer("max")) if limits else None
    if len(issues.messages) > before:
        return None
    return Measure(slug, short_name, name, tuple(options), tuple(items), low, high, tuple(bands),
                   tuple(flags), cutoff, tuple(clusters), top.text("dsm5_rule", required=False) or None,
                   tuple(top.items("examples", required=False)), data.get("extra"),
                   " ".join(str(data.get("timeframe") or "").split()))


def _entries(top: Item, key: str, name: str, required: bool = True) -> list[Item]:
    return [Item(raw, f"{name}, {key[:-1]} {index + 1}", top.issues)   # "options" -> "option 2"
            for index, raw in enumerate(top.items(key, required=required))]


def score(measure: Measure, answers) -> Score:
    """Score ``answers``: a list in item order, or a dict of item id to value. Raises InvalidInput."""
    values = _check_answers(measure, answers)
    by_id = {item.id: value or 0 for item, value in zip(measure.items, values)}
    total = sum(by_id.values())
    top = max(value for value, _ in measure.options)
    # An item that does not apply (PHQ-15 q4) is left out of the highest possible total.
    max_possible = sum(top for item, value in zip(measure.items, values)
                       if value is not None or not item.applies_to)
    index = next((i for i, band in enumerate(measure.bands) if band.min <= total <= band.max), None)
    flags = [flag.name for flag in measure.flags if _COMPARE[flag.op](by_id[flag.item], flag.threshold)]
    clusters = {c.id: sum(by_id[i] for i in c.items) for c in measure.clusters} or None
    # The PCL-5 cut-off is published as a range (31-33); we use its lower bound, so
    # `cutoff_met` means "at or above 31" and errs towards a full clinical assessment.
    cutoff_met = total >= measure.cutoff[0] if measure.cutoff else None
    pattern = None
    if measure.dsm5_rule and measure.clusters and all(c.min_endorsed is not None for c in measure.clusters):
        pattern = all(sum(by_id[i] >= ENDORSED_AT for i in c.items) >= c.min_endorsed
                      for c in measure.clusters)
    band = measure.bands[index].label if index is not None else None
    return Score(measure.slug, total, band, index, max_possible, list(dict.fromkeys(flags)), clusters,
                 cutoff_met, pattern)


def _check_answers(measure: Measure, answers) -> list[int | None]:
    name, items = measure.short_name, measure.items
    optional = [item.id for item in items if item.applies_to]
    if isinstance(answers, dict):
        known = {item.id for item in items}
        extra_id = (measure.extra or {}).get("id")
        if extra_id in answers:
            raise InvalidInput(f"{name} '{extra_id}' is an unscored extra question: record it apart from the "
                               "scored answers.")
        if unknown := [repr(key)[:40] for key in answers if key not in known]:
            raise InvalidInput(f"{name} has no item {', '.join(unknown[:5])}: its item ids are "
                               f"{', '.join(item.id for item in items)}.")
        if missing := [item.id for item in items if item.id not in answers and not item.applies_to]:
            raise InvalidInput(f"{name} needs an answer for every item; missing: {', '.join(missing)}.")
        values = [answers.get(item.id) for item in items]
    elif isinstance(answers, (list, tuple)):
        if len(answers) != len(items):
            hint = f" (where {', '.join(optional)} does not apply, put None in its place)" if optional else ""
            raise InvalidInput(f"{name} needs {len(items)} answers, one per item in order, "
                               f"not {len(answers)}{hint}.")
        values = list(answers)
    else:
        raise InvalidInput(f"{name} answers must be a list in item order, or an object of item id to "
                           "value.")
    allowed = {value for value, _ in measure.options}
    listing = ", ".join(str(value) for value, _ in measure.options)
    for item, value in zip(items, values):
        if value is None and item.applies_to:
            continue
        if value is None:
            raise InvalidInput(f"{name} item {item.id} is unanswered: answer it with one of {listing}.")
        if not isinstance(value, int) or isinstance(value, bool) or value not in allowed:
            raise InvalidInput(f"{name} item {item.id} must be a whole number, one of {listing}.")
    return values
