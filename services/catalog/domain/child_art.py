"""Simple drawings made for Interlude's children's tools: one small icon per kind of section and a
friendly sun by the title. Plain SVG written here (no external files, nothing fetched), a few
shapes each, so that WeasyPrint draws them quickly and they print clearly in black and white.
"""
from __future__ import annotations

_STROKE = 'fill="none" stroke="#17324d" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"'


def _icon(body: str, fill: str) -> str:
    return (f'<svg class="kid-icon" viewBox="0 0 32 32" width="22pt" height="22pt" aria-hidden="true">'
            f'<circle cx="16" cy="16" r="15" fill="{fill}"/>{body}</svg>')


ICONS = {
    # A light bulb: why this helps.
    "why": _icon(f'<path d="M12 19c-2-2-3-4-3-6a7 7 0 0 1 14 0c0 2-1 4-3 6v2h-8z" {_STROKE}/>'
                 f'<path d="M13 24h6M14 27h4" {_STROKE}/>', "#ffe8a3"),
    # Footprints: the steps.
    "how": _icon('<ellipse cx="12" cy="19" rx="3" ry="5" fill="#17324d"/>'
                 '<ellipse cx="20" cy="12" rx="3" ry="5" fill="#17324d"/>', "#cdeccf"),
    # A star: a worked example.
    "example": _icon('<path d="M16 6l3 6.5 7 .8-5.2 4.8 1.5 7L16 21.6 9.7 25l1.5-7L6 13.3l7-.8z" '
                     'fill="#ffd34d" stroke="#17324d" stroke-width="1.5" stroke-linejoin="round"/>', "#fff3c4"),
    # A pencil: your turn.
    "your_turn": _icon(f'<path d="M9 23l2-6 10-10 4 4-10 10z" {_STROKE}/><path d="M9 23l6-2" {_STROKE}/>',
                       "#d7e8fb"),
    # A heart: looking back.
    "looking_back": _icon('<path d="M16 25s-8-5-8-11a4.5 4.5 0 0 1 8-2.5A4.5 4.5 0 0 1 24 14c0 6-8 11-8 11z" '
                          'fill="#f7a1a1" stroke="#17324d" stroke-width="1.5"/>', "#fde0e0"),
    # Two people, a big one and a small one: for the grown-up.
    "for_adult": _icon(f'<circle cx="12" cy="10" r="3" {_STROKE}/><path d="M7 24v-5a5 5 0 0 1 10 0v5" {_STROKE}/>'
                       f'<circle cx="22" cy="15" r="2.2" {_STROKE}/><path d="M19 24v-3a3 3 0 0 1 6 0v3" {_STROKE}/>',
                       "#e6dcf7"),
    # A shield: staying safe.
    "safety": _icon(f'<path d="M16 6l8 3v6c0 5-4 9-8 11-4-2-8-6-8-11V9z" {_STROKE}/>', "#ffd9b3"),
    # A die: the rules of a game.
    "rules": _icon('<rect x="8" y="8" width="16" height="16" rx="3" fill="#fff" stroke="#17324d" stroke-width="2"/>'
                   '<circle cx="12.5" cy="12.5" r="1.6" fill="#17324d"/><circle cx="19.5" cy="19.5" r="1.6" '
                   'fill="#17324d"/><circle cx="16" cy="16" r="1.6" fill="#17324d"/>', "#cdeccf"),
    # Scissors: what to print and cut.
    "materials": _icon(f'<circle cx="11" cy="21" r="3" {_STROKE}/><circle cx="21" cy="21" r="3" {_STROKE}/>'
                       f'<path d="M13 19l9-11M19 19l-9-11" {_STROKE}/>', "#d7e8fb"),
}
ICONS["cautions"] = ICONS["safety"]
ICONS["game_safety"] = ICONS["safety"]
ICONS["players"] = ICONS["for_adult"]
ICONS["log"] = ICONS["your_turn"]
ICONS["script"] = ICONS["why"]
ICONS["remember"] = ICONS["example"]
ICONS["about"] = ICONS["why"]
ICONS["situation"] = ICONS["example"]

# A smiling sun beside a child's title.
SUN = ('<svg class="kid-sun" viewBox="0 0 64 64" width="40pt" height="40pt" aria-hidden="true">'
       '<g stroke="#f2a516" stroke-width="4" stroke-linecap="round">'
       '<path d="M32 4v8M32 52v8M4 32h8M52 32h8M12 12l6 6M46 46l6 6M12 52l6-6M46 18l6-6"/></g>'
       '<circle cx="32" cy="32" r="15" fill="#ffd34d" stroke="#f2a516" stroke-width="2"/>'
       '<circle cx="27" cy="29" r="1.8" fill="#17324d"/><circle cx="37" cy="29" r="1.8" fill="#17324d"/>'
       f'<path d="M26 36c3 3 9 3 12 0" {_STROKE}/></svg>')


def icon_for(section_id: str) -> str:
    return ICONS.get(section_id, "")
