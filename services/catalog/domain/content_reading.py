"""Reading catalogue YAML into plain values, collecting every mistake instead of stopping at the first.

Content writers fix files in batches, so one load lists everything that is wrong, each message
naming the file, the item and what to change.
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from interlude.errors import InvalidInput

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FIELD_ID = re.compile(r"^[a-z][a-z0-9_]*$")
# The libyaml loader is several times faster than the pure-Python one; fall back where it is missing.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ContentError(InvalidInput):
    """The catalogue content has mistakes that must be fixed before a build."""

    def __init__(self, issues: list[str]):
        self.issues = list(issues)
        listing = "\n".join(f"- {issue}" for issue in self.issues)
        super().__init__(f"{len(self.issues)} problem(s) in the catalogue content:\n{listing}")


class Issues:
    def __init__(self):
        self.messages: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.messages.append(f"{where}: {message}")

    def raise_if_any(self) -> None:
        if self.messages:
            raise ContentError(self.messages)


def read_yaml(path: Path, root: Path, issues: Issues) -> dict | None:
    """The file's top-level mapping, or None (with an issue recorded) when it cannot be used."""
    name = path.relative_to(root).as_posix()
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except UnicodeDecodeError:
        issues.add(name, "is not UTF-8 text; save it as UTF-8")
        return None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        near = f" near line {mark.line + 1}" if mark else ""
        reason = getattr(error, "problem", None) or "unreadable"
        issues.add(name, f"is not valid YAML{near} ({reason}); check the indentation and quoting there")
        return None
    if not isinstance(data, dict):
        issues.add(name, "must hold a mapping at the top level (for example `problems:` or `fit:`)")
        return None
    return data


class Item:
    """One YAML mapping (a problem, technique, fit, field, measure) read with its place for messages."""

    def __init__(self, raw, where: str, issues: Issues):
        self.where, self.issues = where, issues
        self.raw = raw if isinstance(raw, dict) else {}
        if not isinstance(raw, dict):
            self.fail("must be a mapping of `key: value` lines, not a list or a bare value")

    def fail(self, message: str) -> None:
        self.issues.add(self.where, message)

    def child(self, key: str, label: str | None = None) -> "Item":
        return Item(self.raw.get(key), f"{self.where}, {label or key}", self.issues)

    def has(self, key: str) -> bool:
        return self.raw.get(key) not in (None, "", [], {})

    def text(self, key: str, *, required: bool = True) -> str:
        value = self.raw.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(f"`{key}` is missing or empty: write it")
            return ""
        if not isinstance(value, str):
            self.fail(f"`{key}` must be text, not {_kind(value)}: put it in quotes")
            return ""
        return value.strip()

    def texts(self, key: str, *, required: bool = True, at_least: int = 1) -> tuple[str, ...]:
        value = self.raw.get(key)
        if value is None or value == []:
            if required:
                self.fail(f"`{key}` is missing: give a list of at least {at_least}")
            return ()
        if not isinstance(value, list):
            self.fail(f"`{key}` must be a list (one `- item` per line), not {_kind(value)}")
            return ()
        bad = [i + 1 for i, entry in enumerate(value) if not isinstance(entry, str) or not entry.strip()]
        if bad:
            self.fail(f"`{key}` entries {bad} must be non-empty text: quote them or fill them in")
        result = tuple(entry.strip() for entry in value if isinstance(entry, str) and entry.strip())
        if len(result) < at_least:
            self.fail(f"`{key}` needs at least {at_least} entries, has {len(result)}")
        return result

    def slug(self, key: str = "slug") -> str:
        value = self.text(key)
        if value and not SLUG.match(value):
            self.fail(f"`{key}` '{value}' is not a slug: use lowercase letters, digits and single hyphens")
        return value

    def choice(self, key: str, allowed: tuple[str, ...]) -> str:
        value = self.text(key)
        if value and value not in allowed:
            self.fail(f"`{key}` '{value}' is not allowed: use one of {', '.join(allowed)}")
            return ""
        return value

    def choices(self, key: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
        values = self.texts(key)
        unknown = [v for v in values if v not in allowed]
        if unknown:
            self.fail(f"`{key}` has {', '.join(map(repr, unknown))}: use only {', '.join(allowed)}")
        if len(set(values)) != len(values):
            self.fail(f"`{key}` lists the same value twice: keep each once")
        return tuple(dict.fromkeys(v for v in values if v in allowed))

    def integer(self, key: str, *, minimum: int | None = None, required: bool = True) -> int:
        value = self.raw.get(key)
        if value is None and not required:
            return 0
        if not isinstance(value, int) or isinstance(value, bool):
            self.fail(f"`{key}` must be a whole number, not {_kind(value)}")
            return 0
        if minimum is not None and value < minimum:
            self.fail(f"`{key}` is {value}: it must be at least {minimum}")
        return value

    def mapping(self, key: str, *, required: bool = True) -> dict:
        value = self.raw.get(key)
        if value is None:
            if required:
                self.fail(f"`{key}` is missing: add it as a mapping of `key: value` lines")
            return {}
        if not isinstance(value, dict):
            self.fail(f"`{key}` must be a mapping of `key: value` lines, not {_kind(value)}")
            return {}
        return value

    def items(self, key: str, *, required: bool = True) -> list:
        value = self.raw.get(key)
        if value is None:
            if required:
                self.fail(f"`{key}` is missing: add it as a list")
            return []
        if not isinstance(value, list):
            self.fail(f"`{key}` must be a list, not {_kind(value)}")
            return []
        return value


def _kind(value) -> str:
    if value is None:
        return "nothing"
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false"}.get(type(value), "a number")
