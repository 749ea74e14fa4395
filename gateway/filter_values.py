"""Search filters with a closed set of values are checked before the search runs (issue #11,
finding 8): ``age=teenager`` or ``format=pdf`` answer 400 naming the allowed values instead of
200 with no hits. Several values may be given, comma-separated or repeated."""
from __future__ import annotations

from interlude.errors import InvalidInput
from services.catalog.contract import AGE_GROUPS, APPROACHES, FORMATS, PHASES

CLOSED = {"age": AGE_GROUPS, "format": FORMATS, "phase": PHASES, "approach": APPROACHES,
          "source": ("shared", "clinic")}


def check(params: dict) -> None:
    for name, allowed in CLOSED.items():
        for value in filter(None, (part.strip() for part in str(params.get(name) or "").split(","))):
            if value not in allowed:
                raise InvalidInput(f"{name}: {value[:40]!r} is not a known value; use one of: {', '.join(allowed)}.")
