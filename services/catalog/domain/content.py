"""The catalogue content (services/catalog/content) loaded and checked into frozen dataclasses.

``load_content(root)`` reads every problem, fit, technique and measure file that exists, checks
each item and the links between them, and raises one ContentError listing every mistake (file,
item, what to fix). A domain whose files are not written yet is simply absent; a file that exists
but is malformed is an error. The rules come from content/SCHEMA.md.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from services.catalog.domain.content_reading import ContentError, Issues, read_yaml

AGE_GROUPS = ("child", "teen", "adult")
PHASES = ("understand", "skills", "practice", "maintain")
FORMATS = ("worksheet", "handout", "tracker", "audio", "game", "measure")
APPROACHES = ("CBT", "DBT", "ACT", "MI", "CFT", "mindfulness", "behavioural", "relaxation", "grief",
              "parenting", "positive-psychology", "CBT-I", "trauma-informed")
FIELD_KINDS = ("lines", "scale", "checklist", "table", "drawing")
GAME_KINDS = ("cards", "bingo", "board")
# The build files each problem's psychoeducation handout under this technique slug.
PSYCHOEDUCATION = "psychoeducation"

__all__ = ["AGE_GROUPS", "APPROACHES", "FIELD_KINDS", "FORMATS", "GAME_KINDS", "PHASES", "Adaptation", "AgeText",
           "Content", "ContentError", "Field", "Fit", "Game", "Handout", "Measure", "Problem", "Technique",
           "Tracker", "load_content"]


@dataclass(frozen=True)
class Field:
    """One "Your turn" entry: lines to write on, a 0-10 scale, a checklist, a table or a box to draw in."""
    id: str
    kind: str
    label: str
    lines: int = 0
    low: str = ""
    high: str = ""
    options: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()
    # A table's rows where its example needs more (or fewer) than the printed default.
    rows: int = 0
    # A table's first column printed, one row per label (a plan's steps), where the reader fills the rest.
    row_labels: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        table = {"columns": list(self.columns), **({"rows": self.rows} if self.rows else {}),
                 **({"row_labels": list(self.row_labels)} if self.row_labels else {})}
        extra = {"lines": {"lines": self.lines}, "scale": {"low": self.low, "high": self.high},
                 "checklist": {"options": list(self.options)}, "table": table, "drawing": {}}
        return {"id": self.id, "kind": self.kind, "label": self.label, **extra[self.kind]}


@dataclass(frozen=True)
class Handout:
    """What a technique or fit says when it is printed as a handout, with nothing to fill in:
    its own summary and steps, the list its text points to, and what to remember."""
    steps: tuple[str, ...] = ()
    remember: tuple[str, ...] = ()
    list_heading: str = ""
    list_items: tuple[str, ...] = ()
    # What the reader will read and try: a page to read has no room to plan or write.
    summary: str = ""
    # A worked example for the page to read, where the worksheet's ticks or writes in fields it lacks.
    example: str = ""


@dataclass(frozen=True)
class Adaptation:
    """How a technique changes for children (done with a grown-up) or teens."""
    steps: tuple[str, ...]
    example: str
    note_for_adult: str = ""
    # Cautions worded for this reader; a child gets these or none, never the adult ones.
    cautions: str | None = None
    handout: Handout | None = None
    # Fields and a 7-day grid worded for this reader, in place of the adult ones.
    fields: tuple[Field, ...] | None = None
    tracker: "Tracker | None" = None


@dataclass(frozen=True)
class Tracker:
    columns: tuple[str, ...]
    legend: str
    # Steps that ask for exactly what the grid holds; without them the tool's steps are used.
    steps: tuple[str, ...] = ()
    # A tracker's own words where the worksheet's would promise what a grid does not hold: the
    # summary, a worked example that logs only the grid's columns for the grid's days, fields printed
    # above the grid (the plan the rows tick off), and the minutes it takes a day.
    summary: str = ""
    example: str = ""
    fields: tuple["Field", ...] = ()
    minutes: int = 0


@dataclass(frozen=True)
class Game:
    kind: str
    players: str
    materials: str
    rules: tuple[str, ...]
    safety: str
    items: tuple[str, ...]
    caller_prompts: tuple[tuple[str, str], ...] = ()   # bingo: (feeling, what the caller asks)
    free_centre: str = ""
    # The age groups the game's text is written for: a child's game (rules and cards for a child
    # and a grown-up) is not given to a teen, who would be spoken to as a young child.
    ages: tuple[str, ...] = ("child",)


@dataclass(frozen=True)
class Technique:
    slug: str
    name: str
    approach: str
    phase: str
    formats: tuple[str, ...]
    minutes: int
    summary: str
    why: str
    steps: tuple[str, ...]
    fields: tuple[Field, ...]
    example: str
    reflection: tuple[str, ...]
    adaptations: dict[str, Adaptation]
    file: str
    tracker: Tracker | None = None
    script: str = ""
    game: Game | None = None
    cautions: str = ""
    remember: tuple[str, ...] = ()
    handout: Handout | None = None
    # Words people search with for this technique ("guided meditation", "relaxation audio").
    lay_phrases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Problem:
    slug: str
    name: str
    short_name: str
    domain: str
    domain_name: str
    ages: tuple[str, ...]
    lay_phrases: tuple[str, ...]
    psychoeducation: str
    situations: dict[str, str]
    file: str
    safety: str = ""
    # "What is going on", written for a child (with a grown-up) or a teen; else `psychoeducation`.
    psychoeducation_by_age: dict[str, str] = field(default_factory=dict, compare=False)
    # When to stop and get help, worded per age where it differs; else `safety`.
    safety_by_age: dict[str, str] = field(default_factory=dict, compare=False)
    # The handout's "What to remember": one list for every age, or one per age.
    remember: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)
    # The "what is going on" handout's own title, per age; else "Understanding <short name>".
    handout_title: dict[str, str] = field(default_factory=dict, compare=False)

    def about(self, age: str) -> str:
        return self.psychoeducation_by_age.get(age) or self.psychoeducation

    def safety_for(self, age: str) -> str:
        return self.safety_by_age.get(age) or self.safety


@dataclass(frozen=True)
class AgeText:
    """A fit's text written for one reader: a child with a grown-up, a teen, or an adult.

    ``steps`` and ``example`` are always written for the fit; the rest is optional and, where
    given, wins over the fit's shared text (see fit_text.py for the order). ``None`` means "not
    written here"; an empty ``cautions`` means "no cautions for this reader".
    """
    steps: tuple[str, ...]
    example: str
    note_for_adult: str = ""
    why: str = ""
    summary: str = ""
    focus: str = ""
    cautions: str | None = None
    fields: tuple[Field, ...] | None = None
    reflection: tuple[str, ...] = ()
    handout: Handout | None = None
    tracker: Tracker | None = None
    formats: tuple[str, ...] = ()
    # "Looking back" for the game, where the worksheet's prompts ask about what the game does not do.
    game_reflection: tuple[str, ...] = ()
    # The game's own one sentence, where the worksheet's summary describes the worksheet.
    game_summary: str = ""
    # The recording's own steps, where the worksheet's describe the exercise otherwise than its script.
    audio_steps: tuple[str, ...] = ()


@dataclass(frozen=True)
class Fit:
    """A technique that really serves a problem, with the text that changes for that problem.

    A fit is *written* when ``ages`` in its YAML is a mapping of age group to that reader's text
    (``written``): its steps, example, fields, cautions and reflection are then the fit's own, and
    the technique's general text is used only where the fit leaves a piece out. An older fit lists
    its ages and borrows everything but ``why``, ``focus`` and ``example`` from the technique.
    """
    problem: str
    technique: str
    phase: str
    ages: tuple[str, ...]
    title: str
    why: str
    focus: str
    example: str
    file: str
    # Examples for this problem at the fit's other ages; without one, the technique's own is used.
    age_examples: dict[str, str] = field(default_factory=dict, compare=False)
    written: dict[str, AgeText] = field(default_factory=dict, compare=False)
    summary: str = ""
    cautions: str | None = None
    fields: tuple[Field, ...] | None = None
    reflection: tuple[str, ...] = ()
    handout: Handout | None = None
    tracker: Tracker | None = None
    formats: tuple[str, ...] = ()
    # "Looking back" for the game, where the worksheet's prompts ask about what the game does not do.
    game_reflection: tuple[str, ...] = ()
    # The game's own one sentence, where the worksheet's summary describes the worksheet.
    game_summary: str = ""
    # The recording's own steps, where the worksheet's describe the exercise otherwise than its script.
    audio_steps: tuple[str, ...] = ()


@dataclass(frozen=True)
class Measure:
    """A published questionnaire, kept word for word; ``raw`` holds every published detail."""
    slug: str
    name: str
    short_name: str
    measures: str
    timeframe: str
    instructions: str
    source: str
    licence: str
    options: tuple[tuple[int, str], ...]
    items: tuple[dict, ...]
    problems: tuple[str, ...]
    file: str
    raw: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Content:
    """Everything loaded. Frozen, and its dicts are shared rather than copied: treat as read-only."""
    problems: dict[str, Problem]
    techniques: dict[str, Technique]
    fits: tuple[Fit, ...]
    measures: dict[str, Measure]
    problem_files: tuple[str, ...]   # domains whose problems/<domain>.yaml is present


# Content loaded in this process, by a digest of its files' names and bytes: the embedded
# platform's services (and the tests) each ask for it, and parsing ~80,000 lines of YAML takes a
# second or more, hashing them milliseconds. Content is frozen; an edited file changes the digest.
_LOADED: dict[tuple, Content] = {}
_LOADED_KEPT = 4


def _files_key(root: Path) -> tuple:
    digest = hashlib.blake2b(digest_size=20)
    for folder in ("problems", "techniques", "measures"):
        for path in sorted((root / folder).glob("*.yaml")):
            digest.update(f"{folder}/{path.name}\0".encode())
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return str(root.resolve()), digest.hexdigest()


def load_content(root: Path | str, *, cached: bool = True) -> Content:
    """The content under ``root``; ``cached=False`` reads and checks every file again (to time it)."""
    root = Path(root)
    if not cached:
        return _load_content(root)
    key = _files_key(root)
    if key not in _LOADED:
        content = _load_content(root)   # raises ContentError, and then nothing is kept
        if len(_LOADED) >= _LOADED_KEPT:
            _LOADED.pop(next(iter(_LOADED)))
        _LOADED[key] = content
    return _LOADED[key]


def _load_content(root: Path) -> Content:
    # Imported here because the parsers need the dataclasses above.
    from services.catalog.domain import content_parsing as parse

    issues = Issues()
    problems: dict[str, Problem] = {}
    domains = []
    for path in sorted((root / "problems").glob("*.yaml")):
        if path.name.endswith(".fit.yaml") or (data := read_yaml(path, root, issues)) is None:
            continue
        domains.append(path.stem)
        for problem in parse.problems(data, path.stem, _name(path, root), issues):
            _add_unique(problems, problem.slug, problem, "problem", issues)
    techniques: dict[str, Technique] = {}
    for path in sorted((root / "techniques").glob("*.yaml")):
        if (data := read_yaml(path, root, issues)) is not None:
            for technique in parse.techniques(data, _name(path, root), issues):
                _add_unique(techniques, technique.slug, technique, "technique", issues)
    fits: list[Fit] = []
    for path in sorted((root / "problems").glob("*.fit.yaml")):
        domain = path.name[: -len(".fit.yaml")]
        if not (root / "problems" / f"{domain}.yaml").exists():
            # Its fits could only point at unknown problems: one message says it all.
            issues.add(_name(path, root), f"has no problems/{domain}.yaml beside it: write that file first")
            continue
        if (data := read_yaml(path, root, issues)) is not None:
            fits.extend(parse.fits(data, _name(path, root), issues))
    measures: dict[str, Measure] = {}
    for path in sorted((root / "measures").glob("*.yaml")):
        if (data := read_yaml(path, root, issues)) is not None:
            measure = parse.measure(data, _name(path, root), issues)
            _add_unique(measures, measure.slug, measure, "measure", issues)
    _check_links(problems, techniques, fits, measures, issues)
    issues.raise_if_any()
    return Content(problems, techniques, tuple(fits), measures, tuple(domains))


def _name(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def _add_unique(found: dict, slug: str, item, what: str, issues: Issues) -> None:
    if not slug:
        return
    if slug in found:
        issues.add(item.file, f"{what} '{slug}' is also defined in {found[slug].file}: "
                              "slugs must be unique, rename one")
        return
    found[slug] = item


def _check_links(problems, techniques, fits, measures, issues: Issues) -> None:
    """Checks that need every file: the references between fits, problems and techniques."""
    if PSYCHOEDUCATION in techniques:
        issues.add(techniques[PSYCHOEDUCATION].file, f"technique slug '{PSYCHOEDUCATION}' is reserved "
                   "for the problems' handouts: choose another slug")
    pairs, titles = {}, {}
    for fit in fits:
        where = f"{fit.file}: fit '{fit.problem} × {fit.technique}'"
        problem, technique = problems.get(fit.problem), techniques.get(fit.technique)
        if fit.problem and problem is None:
            issues.add(where, f"problem '{fit.problem}' is not in any problems/*.yaml: "
                              "check the spelling or add the problem")
        if fit.technique and technique is None:
            issues.add(where, f"technique '{fit.technique}' is not in any techniques/*.yaml: "
                              "check the spelling or add the technique")
        if problem is not None:
            outside = [age for age in fit.ages if age not in problem.ages]
            if outside:
                issues.add(where, f"ages {outside} are not among the problem's ages "
                                  f"{list(problem.ages)}: remove them or add them to the problem")
        if technique is not None:
            _check_written(fit, technique, where, issues)
            missing = [age for age in fit.ages if age != "adult" and age not in technique.adaptations
                       and age not in fit.written]
            if missing:
                issues.add(where, f"technique '{technique.slug}' has no adaptation for {missing}: "
                                  f"add `adaptations: {missing[0]}:` in {technique.file} or drop the age")
        key = (fit.problem, fit.technique)
        if key in pairs:
            issues.add(where, f"this problem and technique are already paired in {pairs[key]}: "
                              "keep one fit per pair")
        pairs.setdefault(key, fit.file)
        if fit.title and fit.title in titles:
            issues.add(where, f"title '{fit.title}' is already used by the fit "
                              f"'{titles[fit.title]}': give each fit its own title")
        titles.setdefault(fit.title, f"{fit.problem} × {fit.technique}")
    for measure in measures.values():
        unknown = [slug for slug in measure.problems if slug not in problems]
        if unknown:
            issues.add(measure.file, f"`problems` {unknown} are not in any problems/*.yaml: "
                                     "check the spelling")


def _check_written(fit: Fit, technique: Technique, where: str, issues: Issues) -> None:
    """A written fit may narrow the technique's formats, never add one it has no text for."""
    for age, text in [("", fit), *fit.written.items()]:
        extra = [fmt for fmt in text.formats if fmt not in technique.formats]
        if extra:
            issues.add(where, f"{'`' + age + '`: ' if age else ''}`formats` {extra} are not among the "
                              f"technique's formats {list(technique.formats)}: remove them")
