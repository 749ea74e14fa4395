"""Printable games: a drawn board, card decks made for the problem and age with blank cards,
bingo cards that differ, and teen games written for teens."""
import re

import pytest

from services.catalog.cli import load_and_build
from services.catalog.domain.game_decks import load_games
from services.catalog.domain.game_html import BLANK_CARD_TEXT, BINGO_CARDS, bingo_cards
from services.catalog.domain.tool_html import tool_html

# What a teen's game must never say: it is written for the teen, not about a child.
NOT_FOR_TEENS = re.compile(r"\byour child\b|aged about 6|child of about|\byour grown-up\b", re.IGNORECASE)
GAME_OWN_SECTIONS = {"players", "materials", "rules", "game_items", "caller", "game_safety", "cautions",
                     "looking_back"}


@pytest.fixture(scope="module")
def games():
    return [t for t in load_and_build()[1] if t["format"] == "game"]


def _section(tool, key, kind=None):
    return next(s for s in tool["sections"] if s["id"] == key and (kind is None or s.get("game_kind") == kind))


def test_a_board_game_has_a_drawn_winding_board_of_numbered_squares(games):
    boards = [t for t in games if _section(t, "game_items").get("game_kind") == "board"]
    assert boards
    for tool in boards:
        html = tool_html(tool)
        squares = _section(tool, "game_items", "board")["items"]
        svg = html[html.index("<svg viewBox"):html.index("</svg>", html.index("<svg viewBox"))]
        assert svg.count("<rect") == len(squares) >= 20, tool["slug"]
        numbers = re.findall(r'font-weight="bold"[^>]*>(\d+)</text>', svg)
        assert numbers == [str(n) for n in range(1, len(squares) + 1)], tool["slug"]
        assert "<path" in svg and " C" in svg   # a path that bends at each row's end
        # and the brave-step cards: examples for the problem, then blanks
        assert BLANK_CARD_TEXT in html


def test_card_decks_lead_with_cards_made_for_the_problem_and_end_with_blanks(games):
    decks = load_games()
    checked = 0
    for tool in games:
        items = _section(tool, "game_items")
        if items.get("game_kind") != "cards":
            continue
        assert items["blank_cards"] >= 3, tool["slug"]
        assert tool_html(tool).count(f'<td class="blank">{BLANK_CARD_TEXT}</td>') >= items["blank_cards"]
        own = ((decks.get(tool["technique"], {}).get("problems") or {}).get(tool["problems"][0]) or {}).get(
            tool["age_group"], [])
        if own:
            assert items["items"][:len(own)] == [" ".join(card.split()) for card in own], tool["slug"]
            checked += 1
    assert checked >= 40


def _teen_texts(games):
    """Every teen game's own text: the built teen games, and what games.yaml gives each game
    technique for a teen (whether or not the catalogue makes teen games of it today)."""
    from services.catalog.domain.content import load_content
    from services.catalog.domain.game_decks import game_for

    content = load_content("services/catalog/content")
    for tool in (t for t in games if t["age_group"] == "teen"):
        for section in tool["sections"]:
            if section["id"] in GAME_OWN_SECTIONS:
                yield tool["slug"], " ".join([section["text"], *section["items"]])
    for slug, entry in load_games().items():
        technique = content.techniques[slug]
        if "teen" not in (entry.get("ages") or {}):
            continue
        for problem in [*(entry.get("problems") or {}), "no-such-problem"]:
            text = game_for(slug, technique.game, problem, "teen")
            yield f"{slug} for a teen ({problem})", " ".join(
                [text["players"], text["materials"], text["safety"], *text["rules"], *text["items"],
                 text.get("cautions") or "", *(text.get("reflection") or ())])


def test_a_teens_switch_off_cards_are_not_a_childs_calm_down_deck():
    from services.catalog.domain.content import load_content
    from services.catalog.domain.game_decks import game_for

    technique = load_content("services/catalog/content").techniques["coping-skill-cards"]
    cards = " ".join(game_for("coping-skill-cards", technique.game, "gaming-screen-overuse", "teen")["items"])
    assert "switch-off card" in cards.lower() and "bubbles" not in cards and "play dough" not in cards


def test_teen_games_speak_to_the_teen(games):
    checked = 0
    for where, text in _teen_texts(games):
        assert not NOT_FOR_TEENS.search(text), (where, NOT_FOR_TEENS.search(text)[0])
        checked += 1
    assert checked >= 10


def test_bingo_cards_all_differ_and_hold_every_square(games):
    tool = next(t for t in games if _section(t, "game_items").get("game_kind") == "bingo")
    squares = _section(tool, "game_items")["items"]
    cards = bingo_cards(squares, tool["slug"])
    assert len(cards) == BINGO_CARDS == len({tuple(card) for card in cards})
    assert all(sorted(card) == sorted(squares) for card in cards)
    assert bingo_cards(squares, tool["slug"]) == cards   # a reprint gives the same cards
    html = tool_html(tool)
    assert html.count('<table class="bingo">') == BINGO_CARDS


def test_bingo_callers_ask_about_the_problem(games):
    tool = next(t for t in games if t["slug"] == "pet-loss--feelings-bingo--child--game")
    caller = _section(tool, "caller")["items"]
    assert "Sad: What do you miss most about your pet?" in caller


# Cards written for the problem and age that every printed deck leads with (a deck of the age
# group's general cards with one or two for the problem reads as generic).
MIN_OWN_CARDS = 6


def test_every_deck_and_board_has_enough_cards_made_for_its_problem_and_age(games):
    decks = load_games()
    thin = []
    for tool in games:
        items = _section(tool, "game_items")
        if items.get("game_kind") == "bingo":
            continue
        own = ((decks.get(tool["technique"], {}).get("problems") or {}).get(tool["problems"][0]) or {}).get(
            tool["age_group"], [])
        if len(own) < MIN_OWN_CARDS:
            thin.append(f"{tool['slug']}: {len(own)}")
        if items.get("game_kind") == "board":   # the brave-step cards printed below the board
            steps = next(s for s in tool["sections"] if s["id"] == "game_items" and s.get("game_kind") == "cards")
            assert steps["items"][:len(own)] == [" ".join(card.split()) for card in own], tool["slug"]
    assert not thin, thin


def test_a_feelings_deck_deals_each_feeling_once(games):
    decks = load_games()["emotion-naming"]["problems"]
    checked = 0
    for tool in (t for t in games if t["technique"] == "emotion-naming"):
        cards = _section(tool, "game_items")["items"]
        feelings = [card.split(": ", 1)[0].lower() for card in cards]
        assert len(feelings) == len(set(feelings)) >= 20, tool["slug"]
        # Most of the deck is about THIS problem: a deck of general feelings (Jealous, Bored,
        # Disgusted...) with a few of the problem's own reads as generic.
        own = {" ".join(card.split()) for card in (decks.get(tool["problems"][0]) or {}).get(tool["age_group"], [])}
        assert 2 * sum(card in own for card in cards) >= len(cards), (tool["slug"], len(own), len(cards))
        checked += 1
    assert checked >= 25


# Problems a young person may keep secret: acting their cards out in front of friends or siblings
# could give the secret away.
PRIVATE = {"skin-picking": "pick", "hair-pulling": "pull", "binge-eating": "binge", "bedwetting-worries": "wet"}


def test_a_private_problems_feelings_game_is_played_with_a_trusted_adult_and_ties_feelings_to_it(games):
    checked = 0
    for tool in (t for t in games if t["technique"] == "emotion-naming" and t["problems"][0] in PRIVATE):
        players = _section(tool, "players")["text"]
        assert "trust" in players and "practitioner" in players and "Not friends" in players.replace(
            "not with friends", "Not friends"), (tool["slug"], players)
        rules = " ".join(_section(tool, "rules")["items"])
        assert PRIVATE[tool["problems"][0]] in rules, (tool["slug"], rules)
        checked += 1
    assert checked >= 4


def test_every_childs_feelings_card_can_be_played_under_the_rules(games):
    for tool in (t for t in games if t["technique"] == "emotion-naming" and t["age_group"] == "child"):
        rules = " ".join(_section(tool, "rules")["items"])
        # The problem's cards give a situation, not a face: the rules let the actor act either.
        assert "act out what is happening on the card" in rules, tool["slug"]
        assert all(": " in card for card in _section(tool, "game_items")["items"]), tool["slug"]


def test_every_bingo_game_prints_cards_that_differ(games):
    bingo = [t for t in games if _section(t, "game_items").get("game_kind") == "bingo"]
    assert len(bingo) >= 5
    for tool in bingo:
        cards = bingo_cards(_section(tool, "game_items")["items"], tool["slug"])
        assert len({tuple(card) for card in cards}) == BINGO_CARDS, tool["slug"]
        # The caller's slips: one for every square, with the problem's own questions among them,
        # and no word of blank cards where none is printed.
        caller = _section(tool, "caller")["items"]
        own = (load_games()["feelings-bingo"]["problems"].get(tool["problems"][0]) or {}).get("child", [])
        assert len(own) >= 6 and all(" ".join(line.split()) in caller for line in own), tool["slug"]
        slips = tool_html(tool).split('class="section-caller', 1)[1]
        assert ("The last cards are blank" in slips.split("</section>")[0]) == (len(caller) % 3 != 0)


def test_what_to_print_counts_the_cards_and_blanks_printed(games):
    for tool in games:
        materials = _section(tool, "materials")["text"]
        for items in (s for s in tool["sections"] if s["id"] == "game_items" and s.get("game_kind") == "cards"):
            if items.get("blank_cards"):
                assert f"{items['blank_cards']} blank" in materials, (tool["slug"], materials)
