"""The sections, steps and fields of each catalogue tool, joined from the content's own text.

The shape follows shared/content-guide.md: why this helps, how to use it, a worked example, your
turn, looking back; handouts add what to remember, trackers a 7-day grid, games who plays and the
rules, audio its script. The only words written here are headings and the few fixed lines in
HANDOUT_STEPS and MEASURE_STEP, kept together so that a clinician can review them in one place.
"""
from __future__ import annotations

from services.catalog.domain import audio_scripts, game_decks
from services.catalog.domain.content import Field, Fit, Measure, Problem, Technique

HEADINGS = {
    "why": "Why this helps", "for_adult": "For the grown-up", "cautions": "Before you start",
    "safety": "When to stop and get help", "how": "How to use it", "example": "A worked example",
    "your_turn": "Your turn", "log": "Your 7-day log", "script": "The audio script",
    "remember": "What to remember", "players": "Who plays", "materials": "What to print and cut",
    "rules": "How to play", "caller": "What the caller asks", "game_safety": "Keeping it safe and kind",
    "looking_back": "Looking back", "about": "What is going on", "situation": "It can look like this",
    "questions": "The questions", "source": "Source and licence",
    "step_cards": "Brave-step cards (examples, then blanks to fill in with your practitioner)",
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


def steps_for(technique: Technique, age: str) -> tuple[str, ...]:
    return technique.steps if age == "adult" else technique.adaptations[age].steps


def example_for(fit: Fit, technique: Technique, age: str) -> str:
    """The fit's own example is written for its first age, ``age_examples`` for the others;
    where neither exists the technique's general example is used."""
    if age == fit.ages[0]:
        return fit.example
    if age in fit.age_examples:
        return fit.age_examples[age]
    return technique.example if age == "adult" else technique.adaptations[age].example


def tracker_days(technique: Technique, age: str = "adult") -> int:
    """The rows of a tracker's grid: what its steps ask for, two weeks where they say so."""
    words = " ".join((*steps_for(technique, age), technique.summary)).lower()
    return 2 * TRACKER_DAYS if "two weeks" in words else TRACKER_DAYS


def fit_fields(technique: Technique, fmt: str, age: str = "adult") -> list[dict]:
    if fmt == "worksheet":
        return [field.to_dict() for field in technique.fields]
    if fmt == "tracker" and technique.tracker is not None:
        days = tracker_days(technique, age)
        label = HEADINGS["log"] if days == TRACKER_DAYS else f"Your {days}-day log"
        grid = Field("log", "table", label, columns=technique.tracker.columns).to_dict()
        return [{**grid, "rows": days}]   # the legend is the section's text
    return []


def fit_sections(fit: Fit, technique: Technique, problem: Problem, age: str, fmt: str) -> list[dict]:
    game = game_decks.game_for(technique.slug, technique.game, problem.slug, age) if fmt == "game" else {}
    why = " ".join(game["why"].split()) if game.get("why") else technique.why
    sections = [section("why", f"{why}\n\n{fit.why}")]
    note = technique.adaptations["child"].note_for_adult if age == "child" else ""
    cautions = " ".join(game["cautions"].split()) if game.get("cautions") else technique.cautions
    sections += _optional(("for_adult", note), ("cautions", cautions),
                          ("safety", problem.safety))
    sections.append(section("how", items=steps_for(technique, age)))
    example = section("example", example_for(fit, technique, age))
    if fmt == "worksheet":
        # The fields themselves are this section's content; renderers put them right after it.
        sections += [example, section("your_turn", heading=f"{HEADINGS['your_turn']}: {fit.focus}")]
    elif fmt == "tracker":
        days = tracker_days(technique, age)
        log = HEADINGS["log"] if days == TRACKER_DAYS else f"Your {days}-day log"
        sections += [example, section("your_turn", technique.tracker.legend, heading=f"{log}: {fit.focus}")]
    elif fmt == "audio":
        script = audio_scripts.script_for(technique.slug, technique.script, problem.slug, age)
        sections += [section("script", script), example]
    elif fmt == "handout":
        sections += [example, *_optional(("remember", technique.remember))]
    elif fmt == "game":
        sections += [*_game_sections(technique, problem, age), example]
    if fmt != "handout":
        sections.append(section("looking_back", items=game.get("reflection") or technique.reflection))
    return sections


def _game_sections(technique: Technique, problem: Problem, age: str) -> list[dict]:
    game = technique.game
    text = game_decks.game_for(technique.slug, game, problem.slug, age)
    sections = [section("players", text["players"]), section("materials", text["materials"]),
                section("rules", items=text["rules"])]
    if text["free_centre"]:
        sections[-1]["items"].append(text["free_centre"])
    items = section("game_items", items=text["items"], heading=GAME_ITEMS_HEADING[game.kind])
    items.update(game_kind=game.kind, blank_cards=text["blank_cards"], free_centre=text["free_centre"])
    sections.append(items)
    if game.kind == "board":
        cards = section("game_items", items=text["step_cards"], heading=HEADINGS["step_cards"])
        cards.update(game_kind="cards", blank_cards=text["blank_steps"])
        sections.append(cards)
    if text["caller_prompts"]:
        sections.append(section("caller", items=[f"{feeling}: {prompt}" for feeling, prompt in
                                                 text["caller_prompts"]]))
    sections.append(section("game_safety", text["safety"]))
    return sections


def handout_sections(problem: Problem, age: str) -> list[dict]:
    return [section("about", problem.psychoeducation), section("situation", problem.situations[age]),
            *_optional(("safety", problem.safety))]


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
