"""What a request that does not match the OpenAPI document is told: the field and the problem,
never the rejected value (jsonschema's own messages quote the instance: a 900 KB body came back
whole, a password included; issue #11, finding 6)."""
from __future__ import annotations

import re


def _short(value, limit: int = 60) -> str:
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"


_LIST_PATTERN = re.compile(r"^\^\(([^()]+)\)\(,\(\1\)\)\*\$$")


def _pattern(expected: str) -> str:
    listed = _LIST_PATTERN.match(str(expected))
    if listed:   # a comma-separated list of known values
        return f"use one or more of: {', '.join(listed.group(1).split('|'))} (comma-separated)"
    return f"does not have the expected form ({_short(expected)})"


def describe(error, where: str = "") -> str:
    path = where or "/".join(str(part) for part in error.absolute_path) or "the body"
    kind, expected = error.validator, error.validator_value
    if kind == "required":
        present = error.instance if isinstance(error.instance, dict) else {}
        missing = [name for name in expected if name not in present]
        field = f"{path}/{missing[0]}" if where or error.absolute_path else (missing[0] if missing else path)
        return f"{_short(field)}: required"
    if kind == "additionalProperties":
        extra = sorted(set(error.instance) - set((error.schema.get("properties") or {}))) if isinstance(
            error.instance, dict) else []
        return f"{path}: unexpected field {_short(extra[0]) if extra else ''}; see the API document".replace(
            " ;", ";")
    messages = {
        "type": lambda: f"must be of type {expected}",
        "maxLength": lambda: f"at most {expected} characters",
        "minLength": lambda: f"at least {expected} character{'s' if expected != 1 else ''}",
        "pattern": lambda: _pattern(expected),
        "enum": lambda: f"must be one of: {', '.join(_short(v, 40) for v in expected)}",
        "const": lambda: f"must be {_short(expected, 40)}",
        "maximum": lambda: f"at most {expected}",
        "minimum": lambda: f"at least {expected}",
        "exclusiveMaximum": lambda: f"below {expected}",
        "exclusiveMinimum": lambda: f"above {expected}",
        "maxItems": lambda: f"at most {expected} items",
        "minItems": lambda: f"at least {expected} item{'s' if expected != 1 else ''}",
        "uniqueItems": lambda: "items must not repeat",
        "maxProperties": lambda: f"at most {expected} fields",
        "minProperties": lambda: f"at least {expected} field{'s' if expected != 1 else ''}",
        "format": lambda: f"must be a valid {expected}",
        "oneOf": lambda: "matches none (or more than one) of the allowed forms",
        "anyOf": lambda: "matches none of the allowed forms",
    }
    problem = messages.get(kind, lambda: f"is not valid ({kind})")()
    return f"{_short(path)}: {problem}"
