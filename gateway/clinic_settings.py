"""The values a clinic admin may give the clinic's profile, checked the same way for the web form
and the JSON API: a colour, up to five crisis lines, whole numbers within bounds. Each error names
the field."""
from __future__ import annotations

import re

from interlude.errors import InvalidInput

MAX_CRISIS_LINES = 5
MAX_CRISIS_LINE = 160
REMINDER_HOURS = (1, 14 * 24)
LINK_DAYS = (1, 366)
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def colour_value(value, field: str = "colour") -> str:
    value = str(value or "").strip()
    if not _COLOUR.match(value):
        raise InvalidInput(f"{field}: give a colour as #rrggbb, e.g. #1d5c8c.")
    return value.lower()


def crisis_lines_value(value, field: str = "crisis_lines") -> list[str]:
    """Lines from a text (one a line) or a list; blank lines dropped."""
    lines = value.splitlines() if isinstance(value, str) else value
    if not isinstance(lines, list) or not all(isinstance(line, str) for line in lines):
        raise InvalidInput(f"{field}: give the crisis numbers as lines of text.")
    lines = [" ".join(line.split()) for line in lines if line.strip()]
    if len(lines) > MAX_CRISIS_LINES:
        raise InvalidInput(f"{field}: at most {MAX_CRISIS_LINES} lines.")
    if any(len(line) > MAX_CRISIS_LINE for line in lines):
        raise InvalidInput(f"{field}: each line at most {MAX_CRISIS_LINE} characters.")
    return lines


def whole_number(value, field: str, bounds: tuple[int, int]) -> int:
    low, high = bounds
    try:
        number = int(str(value).strip()) if not isinstance(value, bool) else None
    except ValueError:
        number = None
    if number is None or not low <= number <= high:
        raise InvalidInput(f"{field}: a whole number from {low} to {high}.")
    return number


def settings_changes(form: dict) -> dict:
    """The ``settings`` part of a profile change: only the keys given, each checked."""
    changes = {}
    if "reminder_hours" in form:
        changes["reminder_hours"] = whole_number(form["reminder_hours"], "reminder_hours", REMINDER_HOURS)
    if "link_days" in form:
        changes["link_days"] = whole_number(form["link_days"], "link_days", LINK_DAYS)
    if "crisis_lines" in form:
        changes["crisis_lines"] = crisis_lines_value(form["crisis_lines"])
    return changes
