"""A filled fillable PDF read back as the answers an online submission carries (plain Python).

The field names are the ones tool_html and measure_html give the PDF's form fields
(``pdf_field_name``): a worksheet field ``f<index>_<id>`` (a text field, or a radio group for
labelled answers), its boxes ``_<value>`` (0-10 scale) or ``_<n>`` (checklist), its table cells
``_r<row>_c<column>``; a measure item's radio group is named by the item's id. Values come back in
the shapes the portal's form posts: text, the chosen number as text, the ticked options joined by
"|", a table cell as ``<id>.r<row>c<column>``; a measure's answers as item id -> number.

The name and date line at the top of every tool is not read: the record knows the client by
pseudonym, and the date of a submission is when it is recorded.
"""
from __future__ import annotations

import re

from interlude.errors import InvalidInput
from services.catalog.domain.measures import Measure
from services.catalog.domain.tool_html import pdf_field_name

NOTHING_FILLED = ("No answer was found in this PDF's form fields. Fill the fields in a PDF reader that "
                  "saves forms (for example Adobe Acrobat Reader, or your browser's PDF viewer), save, and "
                  "upload it again. Answers written by hand on a printout are not read: type them in "
                  "instead.")
_CELL = re.compile(r"^_r(\d{1,2})_c(\d{1,2})$")


def _label(field: dict) -> str:
    return f"“{str(field.get('label') or field.get('id'))[:80]}”"


def _scale(field: dict, name: str, values: dict) -> str | None:
    options = field.get("options") or [{"value": v, "label": str(v)} for v in range(11)]
    if any(str(o["label"]) != str(o["value"]) for o in options):
        chosen = values.get(name)                       # a radio group: its export value is the option's
        return None if chosen is None else str(chosen)
    ticked = [str(o["value"]) for o in options if values.get(f"{name}_{o['value']}") is True]
    if len(ticked) > 1:
        raise InvalidInput(f"{_label(field)}: more than one number is ticked ({', '.join(ticked)}). Untick all "
                           "but one, save the PDF and upload it again.")
    return ticked[0] if ticked else None


def _checklist(field: dict, name: str, values: dict) -> str | None:
    options = [str(option) for option in field.get("options") or []]
    if field.get("single"):
        chosen = values.get(name)
        if chosen is None:
            return None
        if not str(chosen).isdigit() or int(chosen) >= len(options):
            raise InvalidInput(f"{_label(field)}: the PDF holds an answer this tool does not have. Download "
                               "this assignment's PDF again and fill that one.")
        return options[int(chosen)]
    ticked = [option for index, option in enumerate(options) if values.get(f"{name}_{index}") is True]
    return "|".join(ticked) or None


def _text(value) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def worksheet_fields(tool: dict, values: dict) -> dict[str, str]:
    """A worksheet's answers as field id -> text, from a filled PDF's field values."""
    fields: dict[str, str] = {}
    for index, field in enumerate(tool.get("fields") or []):
        name, field_id, kind = pdf_field_name(field, index), str(field.get("id", index)), field.get("kind")
        if kind == "scale":
            value = _scale(field, name, values)
        elif kind == "checklist":
            value = _checklist(field, name, values)
        elif kind == "table":
            for key, cell in values.items():
                found = _CELL.match(key[len(name):]) if key.startswith(name) else None
                if found and _text(cell):
                    fields[f"{field_id}.r{int(found[1])}c{int(found[2])}"] = cell
            continue
        else:
            value = _text(values.get(name))
        if value is not None:
            fields[field_id] = value
    if not fields:
        raise InvalidInput(NOTHING_FILLED)
    return fields


def measure_answers(measure: Measure, values: dict) -> tuple[dict[str, int], int | None]:
    """A measure's answers (item id -> the chosen number) and its unscored extra answer (an option's
    number), from a filled PDF's field values; the PDF's total box is not read (we score)."""
    allowed = {str(value) for value, _ in measure.options}
    answers = {}
    for item in measure.items:
        chosen = values.get(item.id)
        if chosen is None:
            continue
        if str(chosen) not in allowed:
            raise InvalidInput(f"Question {item.id}: the PDF holds an answer this measure does not have. "
                               "Download this assignment's PDF again and fill that one.")
        answers[item.id] = int(chosen)
    if not answers:
        raise InvalidInput(NOTHING_FILLED)
    extra = None
    extra_id = (measure.extra or {}).get("id")
    chosen = values.get(extra_id) if extra_id else None
    if chosen is not None and str(chosen).isdigit():
        extra = int(chosen)
    return answers, extra
