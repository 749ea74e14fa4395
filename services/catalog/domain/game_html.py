"""Printable games as things to cut and play: card sheets with blank cards to fill, bingo cards
that all differ, and a drawn board (a winding path of numbered squares) for board games.

Plain Python writing escaped HTML and SVG drawn here for Interlude. The cards and squares come
from the tool's "game_items" section (content/games.yaml, per problem and age); this module only
lays them out.
"""
from __future__ import annotations

import hashlib
import random
from html import escape

BINGO_CARDS = 4          # one per player: "Print one 5 by 5 card for each player"
BINGO_SIZE = 5
BLANK_CARD_TEXT = "My own card:"
BOARD_COLUMNS = 6
# Square colours by the word before the colon: what kind of square it is.
SQUARE_COLOURS = {"start": "#ffe08a", "finish": "#ffe08a", "brave step": "#ffc9a3",
                  "calm skill": "#c8ecc9", "rest": "#cfe3fa"}
DEFAULT_SQUARE = "#eeeeee"

GAME_CSS = """
table.cut-cards { width: 100%; border-collapse: collapse; table-layout: fixed; margin: 2mm 0; }
table.cut-cards td { border: 1pt dashed #666; height: 30mm; padding: 3mm; vertical-align: middle;
                     text-align: center; font-size: 10.5pt; }
table.cut-cards tr { break-inside: avoid; }
table.cut-cards td.blank { text-align: left; vertical-align: top; color: #555; font-size: 9pt; }
.age-child table.cut-cards td { font-size: 12pt; }
.cut-note { font-size: 9pt; color: #444; break-after: avoid; }
/* The board and the bingo cards start a page of their own, ready to print and cut. */
section.kind-board, section.kind-bingo { break-before: page; }
.bingo-card { display: inline-block; width: 49%; vertical-align: top; margin: 0 0 4mm; break-inside: avoid; }
.bingo-card h3 { font-size: 10pt; margin: 0 0 1mm; text-align: center; }
table.bingo { width: 96%; border-collapse: collapse; table-layout: fixed; }
table.bingo td { border: 1pt solid #17324d; height: 15mm; text-align: center; vertical-align: middle;
                 font-size: 8pt; padding: 0.5mm; hyphens: auto; }
table.bingo td.free { background: #fff3c4; font-weight: bold; }
table.bingo th { background: #17324d; color: #fff; font-size: 11pt; padding: 1mm; }
.board { margin: 2mm 0; break-inside: avoid; }
.board svg { width: 100%; height: auto; }
ol.square-key { columns: 2; column-gap: 6mm; font-size: 9pt; padding-left: 6mm; }
ol.square-key li { break-inside: avoid; margin-bottom: 1.5pt; }
"""


def game_items_html(section: dict, seed: str, age: str) -> str:
    """The printable part of a game, by its kind (cards, bingo or board)."""
    kind = section.get("game_kind", "cards")
    items = [str(i) for i in section.get("items") or []]
    if kind == "board":
        return board_html(items)
    if kind == "bingo":
        return bingo_html(items, seed, section.get("free_centre", ""))
    return cards_html(items, int(section.get("blank_cards", 0)))


def cards_html(cards: list[str], blanks: int) -> str:
    cells = [f"<td>{escape(card)}</td>" for card in cards]
    cells += [f'<td class="blank">{escape(BLANK_CARD_TEXT)}</td>'] * blanks
    while len(cells) % 3:
        cells.append(f'<td class="blank">{escape(BLANK_CARD_TEXT)}</td>')
    rows = "".join("<tr>" + "".join(cells[i:i + 3]) + "</tr>" for i in range(0, len(cells), 3))
    # Only a sheet that ends with blank cards says so (the bingo caller's slips have none).
    note = " The last cards are blank: write your own." if len(cells) > len(cards) else ""
    return (f'<p class="cut-note">Cut along the dashed lines.{note}</p>'
            f'<table class="cut-cards"><tbody>{rows}</tbody></table>')


def bingo_cards(squares: list[str], seed: str, count: int = BINGO_CARDS) -> list[list[str]]:
    """``count`` different 5 x 5 cards: the same squares in a different order on each, shuffled
    from the tool's own seed so that a reprint gives the same cards."""
    needed = BINGO_SIZE * BINGO_SIZE - 1
    pool = (squares * (needed // max(1, len(squares)) + 1))[:needed] if squares else [""] * needed
    cards, seen = [], set()
    rng = random.Random(int(hashlib.sha256(seed.encode("utf-8")).hexdigest()[:16], 16))
    while len(cards) < count:
        order = pool[:]
        rng.shuffle(order)
        if tuple(order) in seen:
            continue
        seen.add(tuple(order))
        cards.append(order)
    return cards


def bingo_html(squares: list[str], seed: str, free_centre: str) -> str:
    centre = BINGO_SIZE * BINGO_SIZE // 2
    free = escape(free_centre.split(":")[0] if free_centre else "Free space")
    out = []
    for number, order in enumerate(bingo_cards(squares, seed), start=1):
        cells = order[:centre] + [None] + order[centre:]
        rows = "".join("<tr>" + "".join(
            f'<td class="free">{free}</td>' if cell is None else f"<td>{escape(cell)}</td>"
            for cell in cells[r * BINGO_SIZE:(r + 1) * BINGO_SIZE]) + "</tr>" for r in range(BINGO_SIZE))
        out.append(f'<div class="bingo-card"><h3>Player card {number}</h3><table class="bingo"><thead><tr>'
                   + "".join(f"<th>{letter}</th>" for letter in "FEELS")
                   + f"</tr></thead><tbody>{rows}</tbody></table></div>")
    return ('<p class="cut-note">One card for each player: every card has the same feelings in a '
            'different order.</p>' + "".join(out))


def _square_kind(text: str) -> str:
    head = text.split(":", 1)[0].strip().lower() if ":" in text else ""
    return head if head in SQUARE_COLOURS else ""


def board_svg(squares: list[str]) -> str:
    """A winding path: rows of numbered squares running left to right, then right to left,
    joined by a curve at each end, coloured by kind of square."""
    size, gap, row_gap, margin = 24.0, 5.0, 10.0, 8.0
    columns = BOARD_COLUMNS
    rows = (len(squares) + columns - 1) // columns
    width = margin * 2 + columns * size + (columns - 1) * gap
    height = margin * 2 + rows * size + (rows - 1) * row_gap
    centres = []
    for index in range(len(squares)):
        row, col = divmod(index, columns)
        if row % 2:
            col = columns - 1 - col
        centres.append((margin + col * (size + gap) + size / 2, margin + row * (size + row_gap) + size / 2))
    path = [f"M{centres[0][0]:.1f},{centres[0][1]:.1f}"] if centres else []
    for (x0, y0), (x1, y1) in zip(centres, centres[1:]):
        if y0 == y1:
            path.append(f"L{x1:.1f},{y1:.1f}")
        else:   # the bend at the end of a row
            bulge = size * 0.9 * (1 if x0 > width / 2 else -1)
            path.append(f"C{x0 + bulge:.1f},{y0:.1f} {x1 + bulge:.1f},{y1:.1f} {x1:.1f},{y1:.1f}")
    parts = [f'<svg viewBox="0 0 {width:.0f} {height:.0f}" xmlns="http://www.w3.org/2000/svg" '
             'role="img" aria-label="Game board: a winding path of numbered squares">',
             f'<path d="{" ".join(path)}" fill="none" stroke="#b9c6d3" stroke-width="9" stroke-linecap="round"/>']
    for number, ((cx, cy), text) in enumerate(zip(centres, squares), start=1):
        kind = _square_kind(text)
        colour = SQUARE_COLOURS.get(kind, DEFAULT_SQUARE)
        label = kind.capitalize() if kind else ""
        parts.append(f'<rect x="{cx - size / 2:.1f}" y="{cy - size / 2:.1f}" width="{size}" height="{size}" '
                     f'rx="4" fill="{colour}" stroke="#17324d" stroke-width="0.8"/>'
                     f'<text x="{cx:.1f}" y="{cy + 1:.1f}" text-anchor="middle" font-size="9" font-weight="bold" '
                     f'font-family="DejaVu Sans" fill="#17324d">{number}</text>')
        if label:
            parts.append(f'<text x="{cx:.1f}" y="{cy + 8.5:.1f}" text-anchor="middle" font-size="3.6" '
                         f'font-family="DejaVu Sans" fill="#17324d">{escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def board_html(squares: list[str]) -> str:
    key = "".join(f"<li>{escape(text)}</li>" for text in squares)
    return (f'<div class="board">{board_svg(squares)}</div>'
            '<p class="cut-note">Land on a square, find its number below and do what it says.</p>'
            f'<ol class="square-key">{key}</ol>')
