"""One YAML item at a time into the content dataclasses, recording what is wrong with it.

Only checks that need a single item live here; links between files are checked in content.py.
"""
from __future__ import annotations

from services.catalog.domain.content import (
    AGE_GROUPS, APPROACHES, FIELD_KINDS, FORMATS, GAME_KINDS, PHASES, Adaptation, AgeText, Field, Fit, Game, Handout,
    Measure, Problem, Technique, Tracker,
)
from services.catalog.domain.content_reading import FIELD_ID, Issues, Item

# A technique comes in these formats; measures are their own files, never a technique's format.
TECHNIQUE_FORMATS = tuple(f for f in FORMATS if f != "measure")


def problems(data: dict, domain: str, file: str, issues: Issues) -> list[Problem]:
    top = Item(data, file, issues)
    if top.text("domain") and data["domain"] != domain:
        top.fail(f"`domain` is '{data['domain']}' but the file is named {domain}.yaml: make them match")
    domain_name = top.text("domain_name")
    found = []
    for index, raw in enumerate(top.items("problems")):
        item = Item(raw, f"{file}: problem {_label(raw, index)}", issues)
        ages = item.choices("ages", AGE_GROUPS)
        situations = item.mapping("situations")
        for age in ages:
            if not isinstance(situations.get(age), str) or not situations[age].strip():
                item.fail(f"`situations` has no text for '{age}': write one situation per age in `ages`")
        for age in situations:
            if age not in ages:
                item.fail(f"`situations` has '{age}', which is not in `ages`: remove it or add the age")
        about = _per_age(item, "psychoeducation", ages)
        safety = _per_age(item, "safety", ages)
        found.append(Problem(
            slug=item.slug(), name=item.text("name"), short_name=item.text("short_name"),
            domain=domain, domain_name=domain_name, ages=ages, lay_phrases=item.texts("lay_phrases"),
            psychoeducation=about.get("adult") or next(iter(about.values()), "") if about
            else item.text("psychoeducation"), psychoeducation_by_age=about,
            situations={age: situations[age].strip() for age in ages if isinstance(situations.get(age), str)},
            file=file, safety=item.text("safety", required=False) if not safety else "",
            safety_by_age=safety, remember=_remember(item, ages), handout_title=_handout_title(item, ages)))
    return found


def _handout_title(item: Item, ages: tuple[str, ...]) -> dict[str, str]:
    """`handout_title: ...` for every age, or `{child: ..., teen: ...}` for the ages given."""
    if "handout_title" not in item.raw:
        return {}
    written = _per_age(item, "handout_title", ages) if isinstance(item.raw["handout_title"], dict) else {}
    if written:
        return written
    title = item.text("handout_title")
    return {age: title for age in ages} if title else {}


def _remember(item: Item, ages: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """`remember: [...]` for every age, or `remember: {child: [...], ...}` for the ages given."""
    raw = item.raw.get("remember")
    if raw is None:
        return {}
    if isinstance(raw, dict):
        written = item.child("remember")
        for age in raw:
            if age not in ages:
                written.fail(f"'{age}' is not in this problem's `ages`: remove it or add the age")
        return {age: written.texts(age, at_least=2) for age in ages if age in raw}
    points = item.texts("remember", at_least=2)
    return {age: points for age in ages}


def _per_age(item: Item, key: str, ages: tuple[str, ...]) -> dict[str, str]:
    """`key: {child: ..., teen: ..., adult: ...}`, one text for each of the problem's ages (none may
    be forgotten: a safety note left out for one age would silently vanish), or {} for one text."""
    if not isinstance(item.raw.get(key), dict):
        return {}
    written = item.child(key)
    for age in written.raw:
        if age not in ages:
            written.fail(f"'{age}' is not in this problem's `ages`: remove it or add the age")
    return {age: written.text(age) for age in ages}


def techniques(data: dict, file: str, issues: Issues) -> list[Technique]:
    top = Item(data, file, issues)
    return [_technique(Item(raw, f"{file}: technique {_label(raw, i)}", issues), file)
            for i, raw in enumerate(top.items("techniques"))]


def _technique(item: Item, file: str) -> Technique:
    formats = item.choices("formats", TECHNIQUE_FORMATS)
    needs = {"audio": "script", "game": "game", "tracker": "tracker"}
    for fmt, key in needs.items():
        if fmt in formats and not item.has(key):
            item.fail(f"comes in '{fmt}' format but has no `{key}`: write the {key} or drop the format")
    fields = _fields(item)
    if "worksheet" in formats and not fields:
        item.fail("a worksheet needs `fields` (the \"Your turn\" part): add at least one")
    return Technique(
        slug=item.slug(), name=item.text("name"), approach=item.choice("approach", APPROACHES),
        phase=item.choice("phase", PHASES), formats=formats, minutes=item.integer("minutes", minimum=1),
        summary=item.text("summary"), why=item.text("why"), steps=item.texts("steps"), fields=fields,
        example=item.text("example"), reflection=item.texts("reflection"),
        adaptations=_adaptations(item), file=file,
        tracker=_technique_tracker(item) if "tracker" in formats and item.has("tracker") else None,
        script=item.text("script", required=False),
        game=_game(item.child("game")) if "game" in formats and item.has("game") else None,
        cautions=item.text("cautions", required=False),
        remember=item.texts("remember", required=False),
        handout=_handout(item.child("handout")) if item.has("handout") else None,
        lay_phrases=item.texts("lay_phrases", required=False))


def _fields(item: Item) -> tuple[Field, ...]:
    fields, seen = [], set()
    for index, raw in enumerate(item.items("fields", required=False)):
        entry = Item(raw, f"{item.where}, field {_label(raw, index, key='id')}", item.issues)
        field_id, kind = entry.text("id"), entry.choice("kind", FIELD_KINDS)
        if field_id and not FIELD_ID.match(field_id):
            entry.fail(f"`id` '{field_id}' must be lowercase letters, digits and underscores")
        if field_id in seen:
            entry.fail(f"`id` '{field_id}' is used twice in this technique: make each field id unique")
        seen.add(field_id)
        label = entry.text("label")
        if kind == "lines":
            fields.append(Field(field_id, kind, label, lines=entry.integer("lines", minimum=1)))
        elif kind == "scale":
            fields.append(Field(field_id, kind, label, low=entry.text("low"), high=entry.text("high")))
        elif kind == "checklist":
            fields.append(Field(field_id, kind, label, options=entry.texts("options", at_least=2)))
        elif kind == "table":
            rows = entry.integer("rows", minimum=1, required=False)
            if rows > 14:
                entry.fail(f"`rows` is {rows}: a table prints at most 14 rows")
            row_labels = entry.texts("row_labels", required=False)
            if row_labels and (len(row_labels) > 14 or (rows and rows != len(row_labels))):
                entry.fail(f"`row_labels` has {len(row_labels)} labels: give at most 14, one per row, "
                           "and leave out `rows` (the labels set the rows)")
            columns = entry.texts("columns", at_least=2 if row_labels else 1)
            fields.append(Field(field_id, kind, label, columns=columns, rows=len(row_labels) or rows,
                                row_labels=row_labels))
        elif kind == "drawing":
            fields.append(Field(field_id, kind, label))
    return tuple(fields)


def _adaptations(item: Item) -> dict[str, Adaptation]:
    found = {}
    for age, raw in item.mapping("adaptations", required=False).items():
        if age not in ("child", "teen"):
            item.fail(f"`adaptations` has '{age}': only child and teen are adapted (adult is the main text)")
            continue
        entry = Item(raw, f"{item.where}, {age} adaptation", item.issues)
        found[age] = Adaptation(steps=entry.texts("steps"), example=entry.text("example"),
                                note_for_adult=entry.text("note_for_adult", required=age == "child"),
                                cautions=entry.text("cautions", required=False) if "cautions" in entry.raw
                                else None,
                                handout=_handout(entry.child("handout")) if entry.has("handout") else None,
                                fields=_fields(entry) if "fields" in entry.raw else None,
                                tracker=_tracker(entry.child("tracker")) if entry.has("tracker") else None)
    return found


def _technique_tracker(item: Item) -> Tracker:
    """A technique's own grid: every fit without columns of its own falls back to it."""
    found = _tracker(item.child("tracker"))
    if not found.columns:
        item.fail("`tracker` needs `columns` and `legend`: it is the grid every fit falls back to")
    return found


_TRACKER_KEYS = {"columns", "legend", "steps", "summary", "example", "fields", "minutes"}


def _tracker(item: Item) -> Tracker:
    """A 7-day grid; a block without `columns` only words the tracker (summary, example, fields,
    minutes a day) and takes its grid from the next tracker along (the fit's, then the technique's)."""
    _unknown_keys(item, _TRACKER_KEYS, "a tracker")
    grid = "columns" in item.raw
    found = Tracker(columns=item.texts("columns", at_least=2) if grid else (),
                    legend=item.text("legend") if grid else item.text("legend", required=False),
                    steps=item.texts("steps", required=False), summary=item.text("summary", required=False),
                    example=item.text("example", required=False),
                    fields=_fields(item) if "fields" in item.raw else (),
                    minutes=item.integer("minutes", minimum=1, required=False))
    if not grid and found.steps:
        item.fail("gives `steps` without `columns`: steps ask for what its own grid holds, so give both")
    if not grid and not (found.summary or found.example or found.fields or found.minutes):
        item.fail("is empty: give `columns` and `legend`, or the tracker's own `summary`, `example`, "
                  "`fields` or `minutes`")
    if "log" in {field.id for field in found.fields}:
        item.fail("has a field with id `log`: that is the grid's own id, choose another")
    return found


def _handout(item: Item) -> Handout:
    """`handout: {summary: ..., steps: [...], example: ..., remember: [...], list: {heading: ..., items: [...]}}`,
    all optional."""
    listed = item.child("list") if item.has("list") else None
    found = Handout(steps=item.texts("steps", required=False), remember=item.texts("remember", required=False),
                    list_heading=listed.text("heading") if listed else "",
                    list_items=listed.texts("items", at_least=2) if listed else (),
                    summary=item.text("summary", required=False), example=item.text("example", required=False))
    if not (found.summary or found.steps or found.example or found.remember or found.list_items):
        item.fail("is empty: give it `summary`, `steps`, `example`, `remember` or a `list`")
    return found


def _game(item: Item) -> Game:
    prompts = []
    for index, raw in enumerate(item.items("caller_prompts", required=False)):
        entry = Item(raw, f"{item.where}, caller prompt {index + 1}", item.issues)
        prompts.append((entry.text("feeling"), entry.text("prompt")))
    return Game(kind=item.choice("kind", GAME_KINDS), players=item.text("players"),
                materials=item.text("materials"), rules=item.texts("rules"), safety=item.text("safety"),
                items=item.texts("items", at_least=4), caller_prompts=tuple(prompts),
                free_centre=item.text("free_centre", required=False),
                ages=item.choices("ages", AGE_GROUPS) if item.has("ages") else ("child",))


def fits(data: dict, file: str, issues: Issues) -> list[Fit]:
    top = Item(data, file, issues)
    found = []
    for index, raw in enumerate(top.items("fit")):
        pair = f"'{raw.get('problem')} × {raw.get('technique')}'" if isinstance(raw, dict) else ""
        item = Item(raw, f"{file}: fit #{index + 1} {pair}".rstrip(), issues)
        if isinstance(item.raw.get("ages"), dict):
            found.append(_written_fit(item, file))
            continue
        ages = item.choices("ages", AGE_GROUPS)
        found.append(Fit(problem=item.slug("problem"), technique=item.slug("technique"),
                         phase=item.choice("phase", PHASES), ages=ages,
                         title=item.text("title"), why=item.text("why"), focus=item.text("focus"),
                         example=item.text("example"), age_examples=_age_examples(item, ages), file=file))
    return found


# Keys a written fit may carry for all its ages, and (with steps, example, note_for_adult) per age.
_SHARED_KEYS = ("why", "summary", "focus", "cautions", "fields", "reflection", "handout", "tracker", "formats",
                "game_reflection", "game_summary", "audio_steps")
_FIT_KEYS = {"problem", "technique", "phase", "ages", "title", *_SHARED_KEYS}
_AGE_KEYS = {"steps", "example", "note_for_adult", *_SHARED_KEYS}
STEPS_PER_AGE = {"child": (3, 6), "teen": (3, 7), "adult": (4, 8)}


def _written_fit(item: Item, file: str) -> Fit:
    """A fit whose `ages` maps each age group to the text written for that reader."""
    _unknown_keys(item, _FIT_KEYS, "a written fit")
    ages_item = item.child("ages")
    written = {}
    for age in ages_item.raw:
        if age not in AGE_GROUPS:
            ages_item.fail(f"'{age}' is not an age group: use {', '.join(AGE_GROUPS)}")
    for age in (age for age in AGE_GROUPS if age in ages_item.raw):
        written[age] = _age_text(ages_item.child(age), age)
    if not written:
        item.fail("`ages` is empty: write the text for at least one age group")
    shared = _shared(item)
    if not item.text("why", required=False) and not all(text.why for text in written.values()):
        item.fail("`why` is missing: write it for the fit, or for every age")
    return Fit(problem=item.slug("problem"), technique=item.slug("technique"),
               phase=item.choice("phase", PHASES), ages=tuple(written), title=item.text("title"),
               why=shared["why"], focus=shared["focus"] or item.text("focus"),
               example=next(iter(written.values())).example if written else "", file=file, written=written,
               **{key: shared[key] for key in ("summary", "cautions", "fields", "reflection", "handout",
                                               "tracker", "formats", "game_reflection",
                                               "game_summary", "audio_steps")})


def _age_text(item: Item, age: str) -> AgeText:
    _unknown_keys(item, _AGE_KEYS, f"the {age} text")
    fewest, most = STEPS_PER_AGE[age]
    steps = item.texts("steps", at_least=fewest)
    if len(steps) > most:
        item.fail(f"`steps` has {len(steps)} steps: keep {fewest} to {most} for a {age}")
    if age != "child" and item.has("note_for_adult"):
        item.fail("`note_for_adult` is for the child's grown-up: only the child text has one")
    return AgeText(steps=steps, example=item.text("example"),
                   note_for_adult=item.text("note_for_adult", required=age == "child"), **_shared(item))


def _shared(item: Item) -> dict:
    """The optional pieces a fit, or one age of it, may write in place of the technique's."""
    return {
        "why": item.text("why", required=False), "summary": item.text("summary", required=False),
        "focus": item.text("focus", required=False),
        "cautions": item.text("cautions", required=False) if "cautions" in item.raw else None,
        "fields": _fields(item) if "fields" in item.raw else None,
        "reflection": item.texts("reflection", required=False),
        "game_reflection": item.texts("game_reflection", required=False),
        "game_summary": item.text("game_summary", required=False),
        "audio_steps": item.texts("audio_steps", required=False),
        "handout": _handout(item.child("handout")) if item.has("handout") else None,
        "tracker": _tracker(item.child("tracker")) if item.has("tracker") else None,
        "formats": item.choices("formats", TECHNIQUE_FORMATS) if item.has("formats") else (),
    }


def _unknown_keys(item: Item, allowed: set[str], what: str) -> None:
    unknown = sorted(key for key in item.raw if key not in allowed)
    if unknown:
        item.fail(f"{', '.join(map(repr, unknown))} not allowed in {what}: use only "
                  f"{', '.join(sorted(allowed))}")


def _age_examples(item: Item, ages: tuple[str, ...]) -> dict[str, str]:
    """Worked examples written for this problem at the fit's other ages (optional)."""
    if not item.has("age_examples"):
        return {}
    examples = item.child("age_examples", "age_examples")
    found = {}
    for age in examples.raw:
        if age not in ages[1:]:
            examples.fail(f"{age!r} is not one of this fit's other ages {list(ages[1:])}")
            continue
        found[age] = examples.text(age)
    return found


def measure(data: dict, file: str, issues: Issues) -> Measure:
    item = Item(data, file, issues)
    options = []
    for index, raw in enumerate(item.items("options")):
        entry = Item(raw, f"{file}, option {index + 1}", issues)
        options.append((entry.integer("value"), entry.text("label")))
    items = []
    for index, raw in enumerate(item.items("items")):
        entry = Item(raw, f"{file}, item {_label(raw, index, key='id')}", issues)
        items.append({**entry.raw, "id": entry.text("id"), "text": entry.text("text")})
    if not items or not options:
        item.fail("a measure needs `items` and `options` (the published questions and answers)")
    if len({i["id"] for i in items}) != len(items):
        item.fail("two items share an `id`: give each item its own")
    _check_scoring(item, [value for value, _ in options], len(items))
    return Measure(
        slug=item.slug(), name=item.text("name"), short_name=item.text("short_name"),
        measures=item.text("measures"), timeframe=item.text("timeframe"),
        instructions=item.text("instructions", required=False), source=item.text("source"),
        licence=item.text("licence"), options=tuple(options), items=tuple(items),
        problems=item.texts("problems", required=False), file=file, raw=dict(data))


def _check_scoring(item: Item, values: list[int], count: int) -> None:
    """A summed score must span what the published options allow, and the bands must tile it."""
    scoring = item.child("scoring")
    low, high = scoring.integer("min"), scoring.integer("max")
    if values and (low, high) != (min(values) * count, max(values) * count):
        scoring.fail(f"`min`/`max` are {low}/{high} but {count} items scored {min(values)}-{max(values)} "
                     f"give {min(values) * count}/{max(values) * count}: check the published scoring")
    expected = low
    for index, raw in enumerate(item.items("bands", required=False)):
        band = Item(raw, f"{item.where}, band {index + 1}", item.issues)
        if band.integer("min") != expected:
            band.fail(f"starts at {band.raw.get('min')} but should start at {expected}: bands must not "
                      "overlap or leave gaps")
        expected = band.integer("max") + 1
        band.text("label")
    if item.has("bands") and expected != high + 1:
        item.fail(f"the last band ends at {expected - 1}, not at the maximum score {high}")


def _label(raw, index: int, key: str = "slug") -> str:
    name = raw.get(key) if isinstance(raw, dict) else None
    return f"'{name}'" if isinstance(name, str) and name else f"#{index + 1}"
