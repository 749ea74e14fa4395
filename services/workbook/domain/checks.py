"""Checks on everything a person typed into a workbook: sizes, choices and plain text only.

Every text is reduced to plain text with the catalogue's ``plain_text`` (tags dropped, entities
decoded, control characters removed) and limited in length, because it is later laid out in a
PDF. Errors are InvalidInput with a message that says what to change.
"""
from __future__ import annotations

import re

from interlude.errors import InvalidInput
from interlude.text import plain_text

MAX_GOALS = 10
MAX_GOAL_CHARS = 300
MAX_NOTE_CHARS = 2_000
MAX_NAME_CHARS = 80
MAX_ID_CHARS = 100
PAPERS = ("a4", "letter")
DEFAULT_COLOUR = "#17324d"
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_MEDIA_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,99}$")


def text(value, what: str, *, max_len: int, required: bool = False) -> str:
    return plain_text(value, what, max_len=max_len, required=required)


def goals(value) -> list[str]:
    """The client's goals: at most 10, each at most 300 characters; blank ones are dropped."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidInput("goals must be a list of short texts.")
    if len(value) > MAX_GOALS:
        raise InvalidInput(f"Give at most {MAX_GOALS} goals, not {len(value)}.")
    cleaned = [text(goal, f"goal {number}", max_len=MAX_GOAL_CHARS)
               for number, goal in enumerate(value, start=1)]
    return [goal for goal in cleaned if goal]


def note(value, what: str) -> str:
    return text(value, what, max_len=MAX_NOTE_CHARS)


def name(value, what: str, *, required: bool = True) -> str:
    return text(value, what, max_len=MAX_NAME_CHARS, required=required)


def colour(value) -> str:
    if not isinstance(value, str) or not _COLOUR.match(value):
        raise InvalidInput("colour must be written #rrggbb, six hexadecimal digits (e.g. #17324d).")
    return value.lower()


def media_id(value) -> str | None:
    """A clinic logo's media id, or None for no logo."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not _MEDIA_ID.match(value):
        raise InvalidInput("logo_media_id must be the id of an uploaded image (letters, digits, "
                           "'.', '-' and '_'), or null for no logo.")
    return value


def paper(value) -> str:
    if not isinstance(value, str) or value.lower() not in PAPERS:
        raise InvalidInput(f"paper must be one of: {', '.join(PAPERS)}.")
    return value.lower()


def identifier(value, what: str) -> str:
    if not isinstance(value, str) or not value or len(value) > MAX_ID_CHARS:
        raise InvalidInput(f"{what} must be a non-empty id of at most {MAX_ID_CHARS} characters.")
    return value


def whole_number(value, what: str, *, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInput(f"{what} must be a whole number from {low} to {high}.")
    return value
