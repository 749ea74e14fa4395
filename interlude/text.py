"""Plain text from user input: markup and control characters removed, with a length limit.
Everything a person types is reduced to it, because it is later laid out in PDFs and web pages."""
from __future__ import annotations

import html
import re

from interlude.errors import InvalidInput

_TAG = re.compile(r"<[^>]*>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def plain_text(value, what: str, *, max_len: int, required: bool = True) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(f"{what} must be text.")
    # entities are decoded before tags are removed: "&lt;b&gt;" must not come back as a tag
    # (stored decoded, it made every workbook render with that name fail; issue #11, finding 6)
    text = _CONTROL.sub("", _TAG.sub("", html.unescape(value))).strip()
    if required and not text:
        raise InvalidInput(f"{what} is required.")
    if len(text) > max_len:
        raise InvalidInput(f"{what} is too long: at most {max_len} characters.")
    return text
