"""A built tool as print-ready HTML for the shared renderer (plain Python, no framework).

Every piece of text is escaped here; the renderer adds the page size, the footer with the clinic's
name and page numbers. Fields become form inputs, which WeasyPrint turns into fillable PDF fields
(text lines, checkboxes); on paper they read as lines and boxes to fill by hand.
"""
from __future__ import annotations

from html import escape

from services.catalog.domain import audio_script

AGE_LABELS = {"child": "for children, with a grown-up", "teen": "for teens", "adult": "for adults"}
ORDERED_SECTIONS = {"how", "rules"}
CARD_SECTIONS = {"game_items"}

TOOL_CSS = """
.tool-title { font-size: 20pt; margin: 0 0 4pt; line-height: 1.2; }
.tool-meta { color: #555; font-size: 9pt; margin: 0 0 10pt; }
.tool-summary { font-size: 11.5pt; margin: 0 0 12pt; }
h2 { font-size: 13pt; margin: 14pt 0 4pt; border-bottom: 1pt solid #9bb; break-after: avoid; }
.field { margin: 8pt 0 10pt; break-inside: avoid; }
.field-label { font-weight: bold; margin-bottom: 4pt; }
.write-line { display: block; width: 100%; border: none; border-bottom: 0.8pt solid #777; height: 18pt; }
textarea.write-lines { width: 100%; border: 0.8pt solid #999; }
.scale { display: flex; gap: 3pt; align-items: center; }
.scale label { text-align: center; font-size: 9pt; width: 22pt; }
.anchors { display: flex; justify-content: space-between; font-size: 8.5pt; color: #444; }
.check { display: block; margin: 2pt 0; }
input[type="checkbox"] { display: inline-block; }  /* WeasyPrint's form stylesheet makes inputs blocks */
table.grid { width: 100%; border-collapse: collapse; font-size: 9pt; }
table.grid th, table.grid td { border: 0.8pt solid #888; padding: 3pt; vertical-align: top; }
table.grid td { height: 22pt; }
table.grid input { width: 95%; border: none; }
.legend { font-size: 8.5pt; color: #444; margin-top: 3pt; }
.cards { display: flex; flex-wrap: wrap; gap: 0; }
.card { width: 33.33%; min-height: 70pt; border: 1pt dashed #666; padding: 8pt; font-size: 10pt;
        box-sizing: border-box; break-inside: avoid; }
.source { font-size: 8.5pt; color: #444; }
"""


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{escape(p.strip())}</p>" for p in text.split("\n\n") if p.strip())


def _section(section: dict) -> str:
    parts = [f'<section class="section-{escape(section["id"])}"><h2>{escape(section["heading"])}</h2>']
    text = section.get("text") or ""
    if section["id"] == "script":
        # On paper an audio script is its transcript: the pause markers are for the voice.
        text = audio_script.parse(text).transcript()
    parts.append(_paragraphs(text))
    items = section.get("items") or []
    if items and section["id"] in CARD_SECTIONS:
        parts.append('<div class="cards">' + "".join(f'<div class="card">{escape(i)}</div>' for i in items) + "</div>")
    elif items:
        tag = "ol" if section["id"] in ORDERED_SECTIONS else "ul"
        parts.append(f"<{tag}>" + "".join(f"<li>{escape(i)}</li>" for i in items) + f"</{tag}>")
    parts.append("</section>")
    return "".join(parts)


def _lines(field: dict, name: str) -> str:
    count = max(1, min(int(field.get("lines") or 3), 12))
    return f'<textarea class="write-lines" name="{name}" rows="{count}"></textarea>'


def _scale(field: dict, name: str) -> str:
    options = field.get("options") or [{"value": v, "label": str(v)} for v in range(11)]
    if any(str(o["label"]) != str(o["value"]) for o in options):
        # A published measure: each answer is a labelled box, as on the original form.
        return "".join(f'<label class="check"><input type="checkbox" name="{name}_{escape(str(o["value"]))}"> '
                       f'{escape(str(o["label"]))} ({escape(str(o["value"]))})</label>' for o in options)
    boxes = "".join(
        f'<label><input type="checkbox" name="{name}_{escape(str(o["value"]))}"><br>{escape(str(o["value"]))}</label>'
        for o in options)
    anchors = ""
    if field.get("low") or field.get("high"):
        anchors = (f'<div class="anchors"><span>{escape(field.get("low", ""))}</span>'
                   f'<span>{escape(field.get("high", ""))}</span></div>')
    return f'<div class="scale">{boxes}</div>{anchors}'


def _checklist(field: dict, name: str) -> str:
    return "".join(f'<label class="check"><input type="checkbox" name="{name}_{i}"> {escape(str(option))}</label>'
                   for i, option in enumerate(field.get("options") or []))


def _table(field: dict, name: str) -> str:
    columns = field.get("columns") or ["Notes"]
    rows = max(1, min(int(field.get("rows") or 5), 14))
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f'<td><input type="text" name="{name}_r{r}_c{c}"></td>'
                                    for c in range(len(columns))) + "</tr>" for r in range(rows))
    legend = f'<div class="legend">{escape(field["legend"])}</div>' if field.get("legend") else ""
    return f'<table class="grid"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{legend}'


FIELD_WRITERS = {"lines": _lines, "scale": _scale, "checklist": _checklist, "table": _table}


def _field(field: dict, index: int, prefix: str = "") -> str:
    name = f"{prefix}f{index}_{field.get('id', index)}"
    writer = FIELD_WRITERS.get(field.get("kind"), _lines)
    return (f'<div class="field"><div class="field-label">{escape(field.get("label", ""))}</div>'
            f"{writer(field, escape(name))}</div>")


def tool_body_html(tool: dict, *, field_prefix: str = "") -> str:
    """The tool's body (title, meta, summary, sections, fields) without the document around it,
    for books that lay out many tools in one document. ``field_prefix`` keeps the form field
    names of one tool apart from another's (PDF fields with the same name share one value)."""
    meta = " · ".join(p for p in (
        AGE_LABELS.get(tool.get("age_group"), ""), tool.get("approach", ""), tool.get("format", ""),
        f"about {tool['minutes']} minutes" if tool.get("minutes") else "") if p)
    body = [f'<h1 class="tool-title">{escape(tool["title"])}</h1>',
            f'<p class="tool-meta">{escape(meta)}</p>',
            f'<p class="tool-summary">{escape(tool.get("summary", ""))}</p>']
    sections = list(tool.get("sections", []))
    if tool.get("instructions") and not any(s["id"] == "how" for s in sections):
        # Clinic-authored tools carry their steps as instructions rather than a section.
        sections.insert(0, {"id": "how", "heading": "How to use it", "text": "", "items": tool["instructions"]})
    fields_written = False
    for section in sections:
        body.append(_section(section))
        if section["id"] in ("your_turn", "questions") and not fields_written:
            body.extend(_field(f, i, field_prefix) for i, f in enumerate(tool.get("fields", [])))
            fields_written = True
    if not fields_written and tool.get("fields"):
        body.append("<section><h2>Your turn</h2>")
        body.extend(_field(f, i, field_prefix) for i, f in enumerate(tool["fields"]))
        body.append("</section>")
    return "".join(body)


def field_html(field: dict, index: int, prefix: str = "") -> str:
    """One "Your turn" field as form inputs (public wrapper for other layouts, e.g. workbooks)."""
    return _field(field, index, prefix)


def tool_html(tool: dict) -> str:
    """The whole tool as one HTML document, sections in order, fields under "Your turn"."""
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(tool["title"])}</title>'
            f"<style>{TOOL_CSS}</style></head><body>{tool_body_html(tool)}</body></html>")
