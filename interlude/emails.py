"""E-mail addresses in one form, by one rule, wherever they are kept (users' logins, clients'
contact details): trimmed and lower-cased, so the same address is always the same text."""
from __future__ import annotations

import re

MAX_LENGTH = 254
_ADDRESS = re.compile(r"^[^@\s<>\"']{1,64}@[A-Za-z0-9-]{1,63}(\.[A-Za-z0-9-]{1,63})*\.[A-Za-z0-9-]{2,63}$")


def normalise_email(value) -> str | None:
    """The address in its one stored form, or None when ``value`` is not an address (the caller
    says what was wrong in its own words)."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if len(text) > MAX_LENGTH or not _ADDRESS.match(text):
        return None
    return text.lower()
