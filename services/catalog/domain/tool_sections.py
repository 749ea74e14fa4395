"""The sections, steps and fields of each catalogue tool, joined from the content's own text.

The shape follows shared/content-guide.md: why this helps, how to use it, a worked example, your
turn, looking back; handouts add what to remember, trackers a 7-day grid, games who plays and the
rules, audio its script. The only words written here are headings and the few fixed lines in
HANDOUT_STEPS and MEASURE_STEP, kept together so that a clinician can review them in one place.
"""
from __future__ import annotations

import re

from services.catalog.domain import audio_scripts, game_decks
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
    "step_cards": "Brave-step cards (examples, then blanks to fill in with your practitioner)",
}
GAME_ITEMS_HEADING = {"cards": "The cards", "bingo": "The bingo squares", "board": "The board squares"}
GRID_LABEL = "Day by day"
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
# Where a problem's own safety note points to emergency help, a technique's general caution need
# not point there too: each warning is given once, in "When to stop and get help".
CRISIS_POINTER = re.compile(r"emergency number|crisis line", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
TRACKER_DAYS = 7


def section(key: str, text: str = "", items=(), heading: str | None = None) -> dict:
    return {"id": key, "heading": heading or HEADINGS[key], "text": text, "items": list(items)}


def tracker_days(text: FitText) -> int:
    """The rows of a tracker's grid: what its steps ask for, two weeks where they say so."""
    words = " ".join((*text.steps("tracker"), text.tracker_summary())).lower()
    return 2 * TRACKER_DAYS if "two weeks" in words else TRACKER_DAYS


def fit_fields(text: FitText, fmt: str) -> list[dict]:
    if fmt == "worksheet":
        return [field.to_dict() for field in text.fields()]
    if fmt == "audio":
        # An audio tool shares its steps with the worksheet ("rate how tense you feel before and
        # after", "jot down what you noticed"), so it carries the worksheet's fields.
        return [field.to_dict() for field in audio_fields(text)]
    tracker = text.tracker()
    if fmt == "tracker" and tracker is not None:
        days = tracker_days(text)
        # The section's heading already says "Your 7-day log: <focus>": the grid's own label says
        # how it is filled, rather than the same words again right under it.
        grid = Field("log", "table", GRID_LABEL, columns=tracker.columns).to_dict()
        plan = [field.to_dict() for field in text.tracker_fields()]
        if plan:
            # The plan the rows tick off comes first; the legend then stays with the grid, under it.
            grid["legend"] = tracker.legend
        return [*plan, {**grid, "rows": days}]   # without a plan the legend is the section's text
    return []


# Steps that ask to bring a log: the recording's page must hold one.
_ASKS_FOR_LOG = re.compile(r"bring your (?:log|diary|chart)", re.I)


def audio_fields(text: FitText) -> list[Field]:
    """The worksheet's fields, all of them: the recording shares the worksheet's steps ("rate it
    before and after", "draw your safe place", "note each sense"), so whatever they ask for needs
    its place on the recording's page too; and the fit's log (the tracker's grid) where they ask
    to bring a log and the page has no table."""
    kept = list(text.fields())
    words = " ".join((*text.steps("audio"), *text.reflection()))
    tracker = text.tracker()
    if _ASKS_FOR_LOG.search(words) and tracker is not None and not any(field.kind == "table" for field in kept):
        kept.append(Field("log", "table", HEADINGS["log"], columns=tracker.columns))
    return kept


def fit_sections(text: FitText, problem: Problem, fmt: str) -> list[dict]:
    technique, age = text.technique, text.age
    # A game's own framing for this age (content/games.yaml) replaces the technique's general one
    # where the fit is not written for this age: a teen's card game must not speak of "your child".
    game = game_decks.game_for(technique.slug, technique.game, problem.slug, age) if fmt == "game" else {}
    own = {key: game.get(key) for key in ("why", "cautions", "reflection")} if not text.written else {}
    why = f'{" ".join(own["why"].split())}\n\n{text.fit.why}' if own.get("why") else text.why()
    cautions = " ".join(own["cautions"].split()) if own.get("cautions") else text.cautions()
    safety = problem.safety_for(age)
    cautions = cautions_given_once(cautions, safety, general=not own.get("cautions") and text.cautions_are_general())
    sections = [section("why", why)]
    sections += _optional(("for_adult", text.note_for_adult()), ("cautions", cautions), ("safety", safety))
    if not borrowed_steps(technique, fmt):
        sections.append(section("how", items=text.steps(fmt)))
    example = section("example", text.tracker_example() if fmt == "tracker"
                      else text.handout_example() if fmt == "handout" else text.example())
    focus = text.focus()
    if fmt == "worksheet":
        # The fields themselves are this section's content; renderers put them right after it.
        sections += [example, section("your_turn", heading=f"{HEADINGS['your_turn']}: {focus}")]
    elif fmt == "tracker":
        days = tracker_days(text)
        log = HEADINGS["log"] if days == TRACKER_DAYS else f"Your {days}-day log"
        legend = "" if text.tracker_fields() else text.tracker().legend
        sections += [example, section("your_turn", legend, heading=f"{log}: {focus}")]
    elif fmt == "audio":
        script = audio_scripts.script_for(technique.slug, technique.script, problem.slug, age)
        sections += [section("script", script), example]
        if audio_fields(text):
            sections.append(section("your_turn", heading=f"{HEADINGS['your_turn']}: {focus}"))
    elif fmt == "handout":
        heading, items = text.handout_list()
        if items:
            sections.append(section("list", items=items, heading=heading))
        sections += [example, *_optional(("remember", text.remember()))]
    elif fmt == "game":
        # A game that shares its technique with a worksheet is played by its rules: the worksheet's
        # steps and worked example (a 1-5 thermometer to draw) would contradict them.
        sections += [*_game_sections(technique, problem, age),
                     *([] if borrowed_steps(technique, fmt) else [example])]
    if fmt != "handout":
        reflection = list(own.get("reflection") or text.reflection(fmt))
        sections.append(section("looking_back", items=with_next_session(reflection, fmt, age)))
    return sections


# The guide's "Looking back" ends with what to bring to the next session; where a fit's prompts
# do not say it, the page does, in words that fit what the reader has in hand.
NEXT_SESSION = {
    ("page", "adult"): "Bring this page to your next session.",
    ("page", "teen"): "Bring this page to your next session.",
    ("page", "child"): "Bring this page to your next session with your grown-up.",
    ("practice", "adult"): "At your next session, say how the practice went.",
    ("practice", "teen"): "At your next session, say how the practice went.",
    ("practice", "child"): "At your next session, you and your grown-up can say how it went.",
}


def with_next_session(reflection: list[str], fmt: str, age: str) -> list[str]:
    if any("session" in prompt.lower() or "practitioner" in prompt.lower() for prompt in reflection):
        return reflection
    kind = "page" if fmt in ("worksheet", "tracker") else "practice"
    return [*reflection, NEXT_SESSION[(kind, age)]]


def borrowed_steps(technique: Technique, fmt: str) -> bool:
    """True for a game whose fit's steps and example were written for the technique's worksheet."""
    return fmt == "game" and len(technique.formats) > 1


def game_rules(sections: list[dict]) -> list[str]:
    return next((list(s["items"]) for s in sections if s["id"] == "rules"), [])


def cautions_given_once(cautions: str, safety: str, general: bool) -> str:
    """The cautions without what the problem's safety note already says: a sentence it repeats
    word for word or with words added, and, where the cautions are the technique's general ones and the safety note
    points to emergency help, the general pointer to emergency help."""
    if not cautions or not safety:
        return cautions
    said = [content_words(sentence) for sentence in _SENTENCE_END.split(safety)]
    points_to_help = general and CRISIS_POINTER.search(safety)
    sentences = _SENTENCE_END.split(cautions.strip())
    kept = [sentence for sentence in sentences if not repeats(content_words(sentence), said)
            and not (points_to_help and CRISIS_POINTER.search(sentence))]
    return cautions if len(kept) == len(sentences) else " ".join(kept)


_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


def content_words(sentence: str) -> frozenset[str]:
    """The words of four letters or more: what a sentence says, whatever its small words."""
    return frozenset(word for word in _WORD.findall(sentence.lower()) if len(word) >= 4)


def repeats(words: frozenset[str], said: list[frozenset[str]]) -> bool:
    """True where one sentence already said holds every content word of this one: the same
    warning word for word, or with a word added ("tell your doctor you are quitting [smoking]")."""
    return bool(words) and any(words <= other for other in said)


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
