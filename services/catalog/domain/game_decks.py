"""What a printable game holds for one problem and age group (content/games.yaml).

The technique's ``game`` gives the rules and the deck as first written; games.yaml replaces any
part of it per age group (a teen's game is written for a teen, never for "the child, aged about 6
to 11") and adds cards made for each problem, printed first, plus blank cards to fill in.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from services.catalog.domain.content import Game
from services.catalog.domain.content_reading import ContentError, Issues, read_yaml

GAMES_FILE = Path(__file__).resolve().parents[1] / "content" / "games.yaml"
TEXT_KEYS = ("players", "materials", "safety", "free_centre")
DEFAULT_BLANKS = 4


@lru_cache(maxsize=4)
def load_games(path: Path = GAMES_FILE) -> dict:
    issues = Issues()
    data = read_yaml(path, path.parent, issues) if path.exists() else {}
    issues.raise_if_any()
    data = data or {}
    problems = [f"{path.name}: '{slug}' must be a mapping" for slug, entry in data.items()
                if not isinstance(entry, dict)]
    if problems:
        raise ContentError(problems)
    return data


def game_for(technique_slug: str, game: Game, problem: str, age: str) -> dict:
    """The game's text and printable items for this problem and age group."""
    entry = load_games().get(technique_slug) or {}
    override = (entry.get("ages") or {}).get(age) or {}
    # How this problem changes the game: a private problem is played with a trusted adult, not
    # friends or siblings; a `link` rule ties each card back to the problem; `leave_out` drops the
    # age group's general cards that make no sense for it.
    setup = (entry.get("problem_setup") or {}).get(problem) or {}
    if setup.get("private"):
        override = {**override, **((entry.get("private") or {}).get(age) or {})}
    override = {**override, **(setup.get(age) or {})}
    text = {key: " ".join(str(override.get(key, getattr(game, key))).split()) for key in TEXT_KEYS}
    rules = [" ".join(str(rule).split()) for rule in override.get("rules", game.rules)]
    link = (setup.get("link") or {}).get(age) if isinstance(setup.get("link"), dict) else setup.get("link")
    if link:
        rules.insert(max(len(rules) - 1, 0), " ".join(str(link).split()))
    leave_out = {str(feeling).strip().lower() for feeling in setup.get("leave_out", [])}
    base_items = [" ".join(str(item).split()) for item in override.get("items", game.items)
                  if str(item).partition(": ")[0].strip().lower() not in leave_out]
    own = [" ".join(str(item).split()) for item in ((entry.get("problems") or {}).get(problem) or {}).get(age, [])]
    caller = list(game.caller_prompts)
    if game.kind == "bingo":
        # A problem's bingo lines replace the caller's question for their feeling.
        replaced = dict(line.split(": ", 1) for line in own if ": " in line)
        caller = [(feeling, replaced.get(feeling, prompt)) for feeling, prompt in caller]
        items, blanks = base_items, 0
    elif game.kind == "board":
        items, blanks = base_items, 0
    else:
        size = int(entry.get("deck_size", len(base_items)))
        by_feeling = entry.get("one_card_per") == "feeling"
        items = _first_of_each(own + base_items, by_feeling)[:max(size, len(own))]
        blanks = int(entry.get("blank_cards", DEFAULT_BLANKS))
    # The board game's brave-step cards: examples for the problem, then blanks to fill in.
    step_cards = own if game.kind == "board" else []
    blank_steps = int(entry.get("blank_cards", DEFAULT_BLANKS)) if game.kind == "board" else 0
    count = len(step_cards) if game.kind == "board" else len(items)
    materials = text["materials"].replace("{cards}", str(count)).replace(
        "{blanks}", str(blank_steps if game.kind == "board" else blanks))
    # A game written for another age keeps the technique's own framing unless the age group has
    # its own (a teen's card game must not speak of "your child").
    framing = {key: override.get(key) for key in ("why", "cautions", "reflection")}
    return {**text, **framing, "materials": materials, "rules": rules, "items": items, "blank_cards": blanks,
            "caller_prompts": caller, "step_cards": step_cards, "blank_steps": blank_steps}


def _card_key(card: str, by_feeling: bool) -> str:
    """What makes two cards the same card: its text, or in a feelings deck its feeling ("Worried")."""
    head, sep, _rest = card.partition(": ")
    return head.strip().lower() if by_feeling and sep else card


def _first_of_each(cards: list[str], by_feeling: bool) -> list[str]:
    """The cards in order, each card once. In a feelings deck (``one_card_per: feeling``) a
    problem's own "Worried: ..." replaces the age group's "Worried: ...", so a guessing game never
    deals the same feeling twice."""
    seen: set[str] = set()
    kept = []
    for card in cards:
        key = _card_key(card, by_feeling)
        if key not in seen:
            seen.add(key)
            kept.append(card)
    return kept
