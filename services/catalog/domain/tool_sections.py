"""The sections, steps and fields of each catalogue tool, joined from the content's own text.

The shape follows shared/content-guide.md: why this helps, how to use it, a worked example, your
turn, looking back; handouts add what to remember, trackers a 7-day grid, games who plays and the
rules, audio its script. The only words written here are headings and the few fixed lines in
HANDOUT_STEPS and MEASURE_STEP, kept together so that a clinician can review them in one place.
"""
from __future__ import annotations

from services.catalog.domain.content import Field, Measure, Problem, Technique
from services.catalog.domain.fit_text import FitText

HEADINGS = {
    "why": "Why this helps", "for_adult": "For the grown-up", "cautions": "Before you start",
    "safety": "When to stop and get help", "how": "How to use it", "example": "A worked example",
    "your_turn": "Your turn", "log": "Your 7-day log", "script": "The audio script",
    "remember": "What to remember", "players": "Who plays", "materials": "What to print and cut",
    "rules": "How to play", "caller": "What the caller asks", "game_safety": "Keeping it safe and kind",
    "looking_back": "Looking back", "about": "What is going on", "situation": "It can look like this",
    "questions": "The questions", "source": "Source and licence",
}
GAME_ITEMS_HEADING = {"cards": "The cards", "bingo": "The bingo squares", "board": "The board squares"}
HANDOUT_STEPS = {
    "adult": ("Read this through in a quiet moment. It takes about five minutes.",
              "Mark anything that sounds like you, and anything you want to ask about.",
              "Bring your questions to your next session."),
    "teen": ("Read this on your own or with someone you trust.",
             "Mark anything that sounds like you.",
             "Bring your questions to your next session."),
    "child": ("Read this together with your grown-up.",
              "Talk about the parts that sound like you.",
              "Take your questions to your next session."),
}
MEASURE_STEP = "Choose one answer for each question."
TRACKER_DAYS = 7


def section(key: str, text: str = "", items=(), heading: str | None = None) -> dict:
    return {"id": key, "heading": heading or HEADINGS[key], "text": text, "items": list(items)}


def fit_fields(text: FitText, fmt: str) -> list[dict]:
    if fmt == "worksheet":
        return [field.to_dict() for field in text.fields()]
    tracker = text.tracker()
    if fmt == "tracker" and tracker is not None:
        grid = Field("log", "table", HEADINGS["log"], columns=tracker.columns).to_dict()
        return [{**grid, "rows": TRACKER_DAYS}]   # the legend is the section's text
    return []


def fit_sections(text: FitText, problem: Problem, fmt: str) -> list[dict]:
    technique = text.technique
    sections = [section("why", text.why())]
    sections += _optional(("for_adult", text.note_for_adult()), ("cautions", text.cautions()),
                          ("safety", problem.safety_for(text.age)))
    sections.append(section("how", items=text.steps(fmt)))
    example = section("example", text.example())
    focus = text.focus()
    if fmt == "worksheet":
        # The fields themselves are this section's content; renderers put them right after it.
        sections += [example, section("your_turn", heading=f"{HEADINGS['your_turn']}: {focus}")]
    elif fmt == "tracker":
        sections += [example, section("your_turn", text.tracker().legend,
                                      heading=f"{HEADINGS['log']}: {focus}")]
    elif fmt == "audio":
        sections += [section("script", technique.script), example]
    elif fmt == "handout":
        heading, items = text.handout_list()
        if items:
            sections.append(section("list", items=items, heading=heading))
        sections += [example, *_optional(("remember", text.remember()))]
    elif fmt == "game":
        sections += [*_game_sections(technique), example]
    if fmt != "handout":
        sections.append(section("looking_back", items=text.reflection()))
    return sections


def _game_sections(technique: Technique) -> list[dict]:
    game = technique.game
    sections = [section("players", game.players), section("materials", game.materials),
                section("rules", items=game.rules)]
    if game.free_centre:
        sections[-1]["items"].append(game.free_centre)
    sections.append(section("game_items", items=game.items, heading=GAME_ITEMS_HEADING[game.kind]))
    if game.caller_prompts:
        sections.append(section("caller", items=[f"{feeling}: {prompt}" for feeling, prompt in
                                                 game.caller_prompts]))
    sections.append(section("game_safety", game.safety))
    return sections


def handout_sections(problem: Problem, age: str) -> list[dict]:
    return [section("about", problem.about(age)), section("situation", problem.situations[age]),
            *_optional(("safety", problem.safety_for(age)), ("remember", problem.remember.get(age, ())))]


def measure_sections(measure: Measure) -> list[dict]:
    return [section("questions", measure.timeframe),
            section("source", f"{measure.source}\n\n{measure.licence}")]


def measure_fields(measure: Measure) -> list[dict]:
    """Every item word for word, answered on the published options."""
    options = [{"value": value, "label": label} for value, label in measure.options]
    low, high = options[0], options[-1]
    fields = [{**{k: v for k, v in item.items() if k not in ("id", "text")}, "id": item["id"],
               "kind": "scale", "label": item["text"], "options": options,
               "low": f"{low['value']} = {low['label']}", "high": f"{high['value']} = {high['label']}"}
              for item in measure.items]
    extra = measure.raw.get("extra")
    if isinstance(extra, dict) and extra.get("text"):
        # The published follow-up question: one answer, not part of the score.
        fields.append({"id": extra.get("id", "extra"), "kind": "checklist", "label": extra["text"].strip(),
                       "options": list(extra.get("options", [])), "single": True, "scored": False})
    return fields


def _optional(*pairs) -> list[dict]:
    """Sections for the pieces the content has; a missing caution or safety note adds nothing."""
    return [section(key, value) if isinstance(value, str) else section(key, items=value)
            for key, value in pairs if value]
