"""A workbook plan proposed from the practitioner's request (plain Python, deterministic).

``propose_plan(content, tools, request)`` gives a chapter per problem, each with tools of the
client's age group ordered by phase (understand → skills → practice → maintain), a published
measure at the start, tracking pages and one line per tool saying why it was chosen.
``apply_edits`` (edits.py, re-exported here) applies the practitioner's changes.

The same content, tools and request always give the same plan, whatever order ``tools`` comes in:
choices are ranked by the content's own order (fit files, technique formats), never by the list.

Request: ``problems`` (1-5 slugs), ``age_group``, optional ``goals`` (≤ 10 × 300 characters),
``formats`` (preferred first), ``length`` ("short" ~8 tools, "standard" ~15, "full" ~25, a number
of tools up to 40, or ``{"pages": n}``) and ``paper``. The plan (JSON-ready) holds: age_group,
goals, formats, problems [{slug, name, clinical_name}], length {requested, tools}, measure
(a tool entry plus slug and short_name, or None), chapters [{problem, title, clinical_name, note,
tools}], tracking [{kind, title[, measure]}], cover {logo_media_id, colour} and paper. A tool
entry is {tool_id, title, format, phase, source, version, why}.
"""
from __future__ import annotations

from collections import Counter

from interlude.errors import InvalidInput
from services.catalog.contract import AGE_GROUPS, FORMATS, PSYCHOEDUCATION, Content, Fit, Problem
from services.workbook.domain import checks, selection

MAX_PROBLEMS = 5
MAX_TOOLS = 40
LENGTHS = {"short": 8, "standard": 15, "full": 25}
DEFAULT_LENGTH = "standard"
# For a length in pages: the pages around the tools (cover, plan, contents, measure, three
# tracking pages), a title page per chapter, and pages per tool, as measured on rendered books.
FIXED_PAGES, PAGES_PER_CHAPTER, PAGES_PER_TOOL = 9, 1, 2.4
AGE_NAMES = {"child": "children", "teen": "teens", "adult": "adults"}
PHASE_LABELS = {"understand": "Understand", "skills": "Skills", "practice": "Practice",
                "maintain": "Keep it going"}

# The measure that opens the book, by the problem's domain (shared/content-guide.md, Measures).
MEASURE_BY_DOMAIN = {
    "mood": "phq9", "grief": "phq9",                            # PHQ-9: mood and loss
    "anxiety": "gad7", "ocd-related": "gad7", "sleep": "gad7",  # GAD-7: anxiety, OCD, worry, sleep
    "trauma": "pcl5",                                           # PCL-5: trauma
    "health-pain": "phq15",                                     # PHQ-15: health and pain
}
DEFAULT_MEASURE = "k10"                                         # K10: general distress otherwise
MEASURES = (*dict.fromkeys(MEASURE_BY_DOMAIN.values()), DEFAULT_MEASURE)


def propose_plan(content: Content, tools: list[dict], request: dict) -> dict:
    if not isinstance(request, dict):
        raise InvalidInput("The plan request must be an object with problems and age_group.")
    problems = _problems(content, request.get("problems"))
    age = _age_group(request.get("age_group"))
    unfit = [p for p in problems if age not in p.ages]
    if unfit:
        p = unfit[0]
        raise InvalidInput(f"Problem '{p.slug}' ({p.name}) has no tools for {AGE_NAMES[age]}; it is written "
                           f"for {', '.join(AGE_NAMES[a] for a in p.ages)}. Choose another problem or age group.")
    goals = checks.goals(request.get("goals"))
    formats = _formats(request.get("formats"))
    budget = _budget(request.get("length", DEFAULT_LENGTH), len(problems))
    live = [t for t in tools if t.get("status", "published") == "published" and t.get("source") != "clinic"]
    ranks = selection.Ranks(content, formats)
    queues = [selection.queue([t for t in live if p.slug in t.get("problems", ()) and t.get("age_group") == age
                               and t.get("format") != "measure"], ranks)
              for p in problems]
    chosen = selection.share(queues, budget)
    chapters = [{"problem": p.slug, "title": p.short_name, "clinical_name": p.name, "note": "",
                 "tools": [plan_entry(t, why_line(t, p, ranks.fit_of(t)))
                           for t in sorted(picked, key=ranks.order_key)]}
                for p, picked in zip(problems, chosen)]
    if not any(chapter["tools"] for chapter in chapters):
        raise InvalidInput("No tools match these problems at this age group, so the workbook would be "
                           "empty: choose other problems or another age group.")
    measure = measure_entry(_measure_tool(live, choose_measure(problems, age, content)), age)
    return {
        "age_group": age, "goals": goals, "formats": list(formats),
        "problems": [{"slug": p.slug, "name": p.short_name, "clinical_name": p.name} for p in problems],
        "length": {"requested": request.get("length", DEFAULT_LENGTH), "tools": budget},
        "measure": measure, "chapters": chapters, "tracking": tracking_pages(measure),
        "cover": {"logo_media_id": None, "colour": checks.DEFAULT_COLOUR},
        "paper": checks.paper(request.get("paper", "a4")),
    }


def choose_measure(problems: list[Problem], age: str = "adult", content: Content | None = None) -> str | None:
    """The measure most of the problems point to; a tie goes to the earliest problem's.

    Only a measure validated at the client's age counts (its ``validated_ages``, with the study that
    shows it): for a child or teen an adult questionnaire is left out, and where none fits the
    book opens with no measure rather than one made for adults."""
    votes, first = Counter(), {}
    for index, problem in enumerate(problems):
        slug = MEASURE_BY_DOMAIN.get(problem.domain, DEFAULT_MEASURE)
        if not validated_at(slug, age, content):
            continue
        votes[slug] += 1
        first.setdefault(slug, index)
    return min(votes, key=lambda slug: (-votes[slug], first[slug])) if votes else None


def validated_at(slug: str, age: str, content: Content | None) -> bool:
    """Whether the measure's file lists ``age`` among the ages it was validated with. Without the
    content (older callers) only adults get a measure."""
    measure = content.measures.get(slug) if content is not None else None
    if measure is None:
        return age == "adult"
    return age in (measure.raw.get("validated_ages") or {"adult": ""})


def tracking_pages(measure: dict | None) -> list[dict]:
    pages = [{"kind": "homework_log", "title": "Homework log"}, {"kind": "mood_chart", "title": "Mood chart"}]
    if measure:
        pages.append({"kind": "measure_chart", "title": f"My {measure['short_name']} chart",
                      "measure": measure["slug"]})
    return pages


def plan_entry(tool: dict, why: str) -> dict:
    return {"tool_id": tool["id"], "title": tool["title"], "format": tool.get("format", ""),
            "phase": tool.get("phase", ""), "source": tool.get("source", "catalogue"),
            "version": tool.get("version"), "why": why}


def measure_entry(tool: dict | None, age: str = "adult") -> dict | None:
    if tool is None:
        return None
    raw = tool.get("measure") or {}
    short = raw.get("short_name") or tool["title"]
    why = (f"Starting point: the {short} gives you a score to compare with later, so you and your "
           "practitioner can see what changes.")
    if age != "adult":
        # Say which study checked it at this age (the measure file's validated_ages).
        evidence = ((raw.get("validated_ages") or {}).get(age) or {}).get("cite", "")
        if evidence:
            why += f" It has been checked with {AGE_NAMES[age]} ({evidence})."
    return {**plan_entry(tool, why), "slug": raw.get("slug", ""), "short_name": short}


def why_line(tool: dict, problem: Problem | None = None, fit: Fit | None = None) -> str:
    """One line: the phase, and why the technique serves this problem (the fit's own words)."""
    phase = PHASE_LABELS.get(tool.get("phase", ""), "")
    if tool.get("technique") == PSYCHOEDUCATION:
        name = problem.short_name if problem else "this problem"
        return f"{phase}: {name} explained in plain words, the ground the other tools build on."
    reason = " ".join(fit_reason(fit, tool.get("age_group", "")).split()) if fit else tool_reason(tool)
    reason = reason or tool_reason(tool)
    return f"{phase}: {reason}" if phase and reason else reason or phase


def fit_reason(fit: Fit, age: str) -> str:
    """Why the technique serves this problem: the text written for this reader where the fit is
    written per age (its own ``why`` is then often empty), else the fit's ``why``."""
    written = fit.written.get(age)
    return (written.why if written is not None and written.why else "") or fit.why


def tool_reason(tool: dict) -> str:
    """The fit's why as the build put it: the last paragraph of the tool's "why" section."""
    section = next((s for s in tool.get("sections", ()) if s.get("id") == "why"), None)
    paragraphs = [p for p in (section or {}).get("text", "").split("\n\n") if p.strip()]
    return " ".join(paragraphs[-1].split()) if paragraphs else ""


def _problems(content: Content, value) -> list[Problem]:
    if not value:
        raise InvalidInput("Choose at least one problem for the workbook (problems: a list of 1 to "
                           f"{MAX_PROBLEMS} problem slugs).")
    if not isinstance(value, list) or not all(isinstance(slug, str) for slug in value):
        raise InvalidInput("problems must be a list of problem slugs.")
    slugs = list(dict.fromkeys(value))
    if len(slugs) > MAX_PROBLEMS:
        raise InvalidInput(f"A workbook covers at most {MAX_PROBLEMS} problems, not {len(slugs)}: "
                           "choose the ones that matter most now.")
    unknown = [slug for slug in slugs if slug not in content.problems]
    if unknown:
        raise InvalidInput(f"problems: unknown problem {unknown[0][:60]!r}; use a problem slug as "
                           "GET /api/v1/taxonomy lists them.")
    return [content.problems[slug] for slug in slugs]


def _age_group(value) -> str:
    if value not in AGE_GROUPS:
        raise InvalidInput(f"age_group must be one of: {', '.join(AGE_GROUPS)}.")
    return value


def _formats(value) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or any(fmt not in FORMATS for fmt in value):
        raise InvalidInput(f"formats must be a list of: {', '.join(FORMATS)}.")
    return tuple(dict.fromkeys(value))


def _budget(value, chapters: int) -> int:
    """How many tools the chapters hold: a named length, a number of tools, or {"pages": n}."""
    if isinstance(value, str) and value in LENGTHS:
        return LENGTHS[value]
    if isinstance(value, dict) and set(value) == {"pages"}:
        pages = checks.whole_number(value["pages"], "length.pages", low=10, high=120)
        spare = pages - FIXED_PAGES - PAGES_PER_CHAPTER * chapters
        return max(chapters, min(MAX_TOOLS, int(spare / PAGES_PER_TOOL)))
    if isinstance(value, dict) and set(value) == {"tools"}:
        value = value["tools"]
    if isinstance(value, int) and not isinstance(value, bool):
        return checks.whole_number(value, "length", low=1, high=MAX_TOOLS)
    raise InvalidInput(f"length must be one of {', '.join(LENGTHS)}, a number of tools from 1 to "
                       f"{MAX_TOOLS}, or {{\"pages\": n}}.")


def _measure_tool(tools: list[dict], slug: str | None) -> dict | None:
    if slug is None:
        return None
    return next((t for t in tools if t.get("format") == "measure"
                 and (t.get("measure") or {}).get("slug") == slug), None)


def apply_edits(plan: dict, edits: list, **options) -> dict:
    """The practitioner's changes to a plan: see edits.apply_edits (imported late: it uses this module)."""
    from services.workbook.domain.edits import apply_edits as apply
    return apply(plan, edits, **options)

__all__ = ["MEASURE_BY_DOMAIN", "apply_edits", "choose_measure", "propose_plan"]
