"""The catalogue build: every tool composed deterministically from the loaded content.

A tool is made for each fit × age group × technique format, plus one psychoeducation handout per
problem and age group, plus one tool per published measure. The same content always gives the
same tools in the same order. A tool's ``id`` hashes only what it is (problem, technique, age,
format), so it never changes between builds and saved assignments keep pointing at it; its
``version`` hashes its text, so any change in wording gives a new version.
"""
from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Mapping
from functools import partial

from services.catalog.domain.content import PSYCHOEDUCATION, Content, Fit, Measure, Problem, Technique
from services.catalog.domain.content_reading import ContentError
from services.catalog.domain import audio_scripts
from services.catalog.domain.fit_text import FitText
from services.catalog.domain import tool_sections as parts

# progress(done, total): called after each fit, problem and measure is composed.
Progress = Callable[[int, int], None]

HANDOUT_MINUTES = 5


def tool_id(problem: str, technique: str, age: str, fmt: str) -> str:
    key = "\x1f".join((problem, technique, age, fmt))
    return "cat_" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def tool_slug(problem: str, technique: str, age: str, fmt: str) -> str:
    # Content slugs never hold a double hyphen, so "--" keeps the parts apart unambiguously.
    return "--".join(part for part in (problem, technique, age, fmt) if part)


def build_catalogue(content: Content, progress: Progress | None = None) -> list[dict]:
    units: list[Callable[[], list[dict]]] = [
        *(partial(_fit_tools, fit, content) for fit in content.fits),
        *(partial(_handouts, problem) for problem in content.problems.values()),
        *(partial(_measure_tools, measure) for measure in content.measures.values())]
    tools: list[dict] = []
    for done, make in enumerate(units, start=1):
        tools.extend(make())
        if progress is not None:
            progress(done, len(units))
    _check_unique(tools)
    return tools


def formats_for(age: str, formats: tuple[str, ...], game_ages: tuple[str, ...] = ("child",)) -> tuple[str, ...]:
    """The technique's formats made for an age group.

    A game is made only for the ages its text is written for (``game: ages:``, a child by
    default), except that an adult gets a game when the technique comes in no other format.
    """
    if age == "adult" and any(fmt != "game" for fmt in formats):
        return tuple(fmt for fmt in formats if fmt != "game")
    if age == "teen" and "teen" not in game_ages:
        return tuple(fmt for fmt in formats if fmt != "game")
    return formats


def _fit_tools(fit: Fit, content: Content) -> list[dict]:
    technique, problem = content.techniques[fit.technique], content.problems[fit.problem]
    tools = []
    for age in fit.ages:
        text = FitText(fit, technique, age)
        formats = formats_for(age, text.formats(), technique.game.ages if technique.game else ())
        for fmt in formats:
            # Every format and age of a fit carries the fit's own title, as a clinician would name
            # it; the line under the title ("for teens · CBT · audio") says which one this is.
            title = fit.title
            sections = parts.fit_sections(text, problem, fmt)
            # A handout is read, not practised: its header gives the reading time its steps state.
            timing = {"minutes": HANDOUT_MINUTES if fmt == "handout" else technique.minutes}
            if fmt == "tracker":
                # A log is filled in a row a day: it states the minutes a day, not a worksheet's sitting.
                timing = {"minutes": text.tracker_minutes()}
            if fmt == "audio":
                # An audio tool states the length of its recording, not of the whole practice.
                script = next(s["text"] for s in sections if s["id"] == "script")
                seconds = round(audio_scripts.recording_seconds(script))
                timing = {"minutes": max(1, round(seconds / 60)), "audio_seconds": seconds}
            tools.append(_tool(
                (problem.slug, technique.slug, age, fmt), kind="exercise", title=title,
                summary=text.tracker_summary() if fmt == "tracker" else text.summary(fmt), sections=sections,
                # A game played by its rules has them as its steps.
                instructions=parts.game_rules(sections) if parts.borrowed_steps(technique, fmt) else text.steps(fmt),
                fields=parts.fit_fields(text, fmt), approach=technique.approach, phase=fit.phase,
                focus=text.focus(), **timing))
    return tools


def _handouts(problem: Problem) -> list[dict]:
    name = problem.short_name
    # Lower the first letter of "Panic attacks" but not of "OCD checking".
    if name[:2] != name[:2].upper():
        name = name[0].lower() + name[1:]
    return [_tool((problem.slug, PSYCHOEDUCATION, age, "handout"), kind="psychoeducation",
                  title=problem.handout_title.get(age) or f"Understanding {name}",
                  summary=_first_sentences(problem.about(age)),
                  instructions=parts.HANDOUT_STEPS[age], sections=parts.handout_sections(problem, age),
                  fields=[], approach=PSYCHOEDUCATION, phase="understand", minutes=HANDOUT_MINUTES)
            for age in problem.ages]


def _measure_tools(measure: Measure) -> list[dict]:
    # The id keys on the measure's slug; the tool itself names no technique.
    tool = _tool(
        ("", measure.slug, "adult", "measure"), kind="measure", title=measure.name,
        summary=f"{measure.short_name}: {len(measure.items)} questions about {measure.measures}.",
        instructions=[measure.instructions or parts.MEASURE_STEP], sections=parts.measure_sections(measure),
        fields=parts.measure_fields(measure), approach="assessment", phase="understand",
        minutes=max(2, math.ceil(len(measure.items) / 4)), problems=list(measure.problems), technique="",
        measure=measure.raw)
    return [tool]


def _tool(key: tuple[str, str, str, str], *, problems: list[str] | None = None,
          technique: str | None = None, **details) -> dict:
    """A tool keyed by (problem, technique, age, format); the key alone gives its id and slug."""
    problem, key_technique, age, fmt = key
    tool = {"id": tool_id(*key), "slug": tool_slug(*key),
            "title": details.pop("title"), "summary": details.pop("summary"),
            "instructions": list(details.pop("instructions")), "sections": details.pop("sections"),
            "fields": details.pop("fields"),
            "problems": problems if problems is not None else [problem],
            "technique": key_technique if technique is None else technique, "format": fmt, "age_group": age,
            **details, "source": "catalogue", "clinic_id": ""}
    text = json.dumps({k: v for k, v in tool.items() if k not in ("id", "version")}, sort_keys=True,
                      ensure_ascii=False, separators=(",", ":"))
    tool["version"] = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    return tool


def _first_sentences(text: str, limit: int = 240) -> str:
    """Whole sentences from the start of the text, as many as fit within ``limit`` characters."""
    summary = ""
    for sentence in text.replace("\n", " ").split(". "):
        candidate = f"{summary} {sentence.rstrip('.')}.".strip()
        if summary and len(candidate) > limit:
            break
        summary = candidate
    return summary


def _check_unique(tools: list[dict]) -> None:
    """No two tools share an id, and no two exercises share a title.

    An exercise is a fit, a problem's handout or a measure: its formats and ages share its title
    (the page's subtitle line, "for teens · CBT · audio", says which one a page is)."""
    issues, seen = [], {}
    for tool in tools:
        for key, value, owner in (("id", tool["id"], tool["slug"]),
                                  ("title", tool["title"], exercise_of(tool))):
            other = seen.setdefault((key, value), (owner, tool["slug"]))
            if other[0] != owner:
                issues.append(f"tools '{other[1]}' and '{tool['slug']}' share the {key} '{value}': "
                              "change the fit or problem text so that they differ")
    if issues:
        raise ContentError(issues)


def exercise_of(tool: dict) -> str:
    """The exercise a tool is one format and age of: its slug without the age and format."""
    return tool["slug"].rsplit("--", 2)[0]


def search_document(tool: dict, problems: Mapping[str, Problem],
                    techniques: Mapping[str, Technique] | None = None) -> dict:
    """What the search service indexes for a catalogue tool (see interlude/ports/search.py).

    Its lay phrases are its problems' and its technique's: "guided meditation" finds a body scan."""
    known = [problems[slug] for slug in tool["problems"] if slug in problems]
    technique = (techniques or {}).get(tool["technique"])
    body = [*tool["instructions"]]
    for sec in tool["sections"]:
        body += [sec["heading"], sec["text"], *sec["items"]]
    body += [field["label"] for field in tool["fields"]]
    return {
        "id": tool["id"], "clinic_id": "", "title": tool["title"], "summary": tool["summary"],
        "body": " ".join(part for part in body if part),
        "problem_names": [name for p in known for name in dict.fromkeys((p.name, p.short_name))],
        "lay_phrases": [phrase for p in known for phrase in p.lay_phrases]
                       + list(technique.lay_phrases if technique else ()),
        "problems": list(tool["problems"]), "technique": tool["technique"], "approach": tool["approach"],
        "format": tool["format"], "age_group": tool["age_group"], "phase": tool["phase"],
        "source": "catalogue",
    }
