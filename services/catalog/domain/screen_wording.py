"""A tool's words for a screen: the catalogue's text is written for paper (the PDF is the tool),
so instructions to mark the page with a pen ("Circle the thought...", "Tick each day...") are
turned into ones a web form can follow. Only an imperative followed by what it acts on changes;
the same word as a noun ("Circle (inner, middle, outer)") or in a title stays as written.

Applied to every text a portal page shows (section text and items, field labels and hints), never
to the catalogue itself: the PDF keeps its paper wording.
"""
from __future__ import annotations

import re

_THINGS = r"the|a|an|one|two|three|any|each|every|all|it|them|this|that|your|which|what|items?|days?|boxes?|words?"
_ACTS_ON = rf"(?=\s+(?:{_THINGS})\b)"
_AFTER_AND = r"(\b(?:and|or|then) |, )"
# (pattern, screen wording): a paper verb that starts an instruction, or follows "and", "or", "then" or a comma.
_PAPER_VERBS = [
    (re.compile(rf"\b(?:Circle|Underline|Highlight|Colou?r in){_ACTS_ON}"), "Pick out"),
    (re.compile(rf"{_AFTER_AND}(?:circle|underline|highlight|colou?r in){_ACTS_ON}"), r"\1pick out"),
    (re.compile(rf"\bTick(?=\s+(?:off|or|{_THINGS})\b)"), "Mark"),
    (re.compile(rf"{_AFTER_AND}tick(?=\s+(?:off|{_THINGS})\b)"), r"\1mark"),
    (re.compile(rf"\bCross out{_ACTS_ON}"), "Drop"),
    (re.compile(rf"{_AFTER_AND}cross out{_ACTS_ON}"), r"\1drop"),
]


def for_screen(text: str) -> str:
    """``text`` with its pen-and-paper instructions worded for a form on a screen."""
    if not isinstance(text, str) or not text:
        return text
    for pattern, replacement in _PAPER_VERBS:
        text = pattern.sub(replacement, text)
    return text


def tool_for_screen(tool: dict) -> dict:
    """A copy of a catalogue tool whose shown text is worded for the screen (see ``for_screen``)."""
    sections = [{**section, "text": for_screen(section.get("text") or ""),
                 "items": [for_screen(item) if isinstance(item, str) else item for item in section.get("items") or []],
                 "heading": for_screen(section.get("heading") or "")}
                for section in tool.get("sections") or []]
    fields = [{**field, **{key: for_screen(field[key]) for key in ("label", "hint", "help") if
                           isinstance(field.get(key), str)}} for field in tool.get("fields") or []]
    return {**tool, "summary": for_screen(tool.get("summary") or ""), "sections": sections, "fields": fields}
