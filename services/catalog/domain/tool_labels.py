"""How a tool is told apart from the others sharing its title, and when its summary is worth
showing: the one rule for the PDF (tool_html), the web app and the client portal (the gateway
reads it through the catalogue's contract).

All formats and ages of one exercise share one title ("Stepping Down the Fear Ladder:
Contamination" is the adult worksheet, the teen worksheet, the audio and the handout); a list of
tools by title says which one each entry is by its format and age group beside the title.
"""
from __future__ import annotations

AGE_LABELS = {"child": "for children, with a grown-up", "teen": "for teens", "adult": "for adults"}
# In a list, shorter: the age beside a title (the PDF's subtitle line keeps the long form above).
SHORT_AGE_LABELS = {"child": "for children", "teen": "for teens", "adult": "for adults"}
SEPARATOR = " · "


def tool_kind(tool: dict) -> str:
    """"audio · for teens": the format and the age group (a measure has no age group of its own)."""
    fmt = str(tool.get("format") or "")
    age = "" if fmt == "measure" else SHORT_AGE_LABELS.get(str(tool.get("age_group") or ""), "")
    return SEPARATOR.join(part for part in (fmt, age) if part)


def tool_label(tool: dict) -> str:
    """"Stepping Down the Fear Ladder · audio · for teens": the title with its kind beside it."""
    return SEPARATOR.join(part for part in (str(tool.get("title") or ""), tool_kind(tool)) if part)


def _words(text) -> str:
    return " ".join(str(text or "").split())


def summary_to_show(tool: dict) -> str:
    """The one-line summary, or "" where the first section opens with the same words (a problem
    handout's summary is the start of its "What is going on"): said once, not twice."""
    summary = _words(tool.get("summary"))
    sections = tool.get("sections") or []
    opening = _words(sections[0].get("text")) if sections else ""
    if not summary or opening.startswith(summary.rstrip(".")):
        return ""
    return summary
