"""A built tool as print-ready HTML for the shared renderer (plain Python, no framework).

Every piece of text is escaped here; the renderer adds the page size, the footer with the clinic's
name and page numbers. Fields become form inputs, which WeasyPrint turns into fillable PDF fields
(text lines, checkboxes); on paper they read as lines and boxes to fill by hand.
"""
from __future__ import annotations

from html import escape

from services.catalog.domain import audio_script, audio_scripts, child_art, game_html
from services.catalog.domain.measure_html import measure_body_html
from services.catalog.domain.tool_labels import AGE_LABELS, summary_to_show
ORDERED_SECTIONS = {"how", "rules"}
CARD_SECTIONS = {"game_items"}

MAX_LINES = 12
TOOL_CSS = """
.tool-title { font-size: 20pt; margin: 0 0 4pt; line-height: 1.2; }
.tool-meta { color: #555; font-size: 9pt; margin: 0 0 6pt; }
.tool-summary { font-size: 11.5pt; margin: 0 0 10pt; }
/* A printed audio script: a small grey "(pause)" wherever the voice stops. */
.script-lines { line-height: 1.55; }
.script-lines .pause { color: #7b8794; font-size: 8.5pt; font-style: italic; white-space: nowrap; }
/* The name and date line at the top of every tool, fillable or written by hand. */
.name-date { display: block; margin: 0 0 8pt; font-size: 10pt; white-space: nowrap; }
.name-date span { display: inline-block; margin-right: 2mm; }
.name-date input { display: inline-block; width: 62%; min-height: 6mm; margin-right: 5mm; }
.name-date input + span + input { width: 22%; margin-right: 0; }
h2 { font-size: 13pt; margin: 12pt 0 4pt; border-bottom: 1pt solid #9bb; break-after: avoid; }
section { orphans: 3; widows: 3; }
section p:last-child { margin-bottom: 4pt; }
.section-how li, .section-rules li { margin-bottom: 2pt; }
/* A heading stays with the start of what it introduces; short sections stay whole. */
h2 + p, h2 + ul, h2 + ol { break-before: avoid; }
/* A log's legend stays with its grid, and a field's label with what it labels. */
.section-your_turn > p:last-of-type { break-after: avoid; }
.field { margin: 6pt 0 8pt; break-inside: avoid; }
.field-label { font-weight: bold; margin-bottom: 3pt; break-after: avoid; }
/* Scales that come in pairs (before and after, now and later) stay on one page together. */
.field-scale + .field-scale { break-before: avoid; }
/* A tool's closing section (looking back, what to remember) is never stranded on a page of its own:
   it stays whole and takes the block before it along, on its own and in a workbook alike. */
.tool-body > section:last-of-type,
.tool-body > section:nth-last-of-type(2) > :last-child { break-inside: avoid; break-before: avoid; }
.write-line { display: block; width: 100%; border: none; border-bottom: 0.8pt solid #777; height: 18pt; }
ol.write-list { margin: 0; padding-left: 16pt; }
ol.write-list li { margin: 0 0 2pt; }
/* Room to write by hand: one ruled 8 mm line per line the field asks for (WeasyPrint ignores a
   textarea's rows, so the height is set by a class per line count). */
textarea.write-lines { display: block; width: 100%; border: 0.8pt solid #999; min-height: 0; box-sizing: border-box;
                       background: repeating-linear-gradient(to bottom, transparent 0, transparent 7.6mm,
                                                             #c9d3dc 7.6mm, #c9d3dc 8mm); }
/* A child writes bigger: 10 mm lines. */
.age-child textarea.write-lines { background: repeating-linear-gradient(to bottom, transparent 0, transparent 9.6mm,
                                                                        #c9d3dc 9.6mm, #c9d3dc 10mm); }
/* 0-10 scales: eleven numbered boxes in a row, with the two anchors underneath at either end.
   Block layout, not flex: the same look, and WeasyPrint lays flex boxes out several times slower. */
.scale { display: block; white-space: nowrap; }
.scale label { display: inline-block; text-align: center; font-size: 9pt; width: 22pt; margin: 0;
               font-weight: normal; }
.anchors { display: block; line-height: 12pt; font-size: 8.5pt; color: #444; }
.anchors span { display: block; }
.anchors span:last-child { text-align: right; margin-top: -12pt; }
label.check { display: block; margin: 1.5pt 0; font-weight: normal; }
input[type="checkbox"], input[type="radio"] { display: inline-block; }  /* the UA sheet makes inputs blocks */
table.grid { width: 100%; border-collapse: collapse; font-size: 9pt; table-layout: fixed; }
table.grid th, table.grid td { border: 0.8pt solid #888; padding: 3pt; vertical-align: top; }
table.grid td { height: 26pt; }   /* a row tall enough to write a thought by hand */
table.grid th.day { font-weight: normal; background: #f4f7fa; white-space: nowrap; }
table.grid th.row-label { font-weight: normal; background: #f4f7fa; text-align: left; }
/* A printed label needs less room than what is written beside it. */
table.grid.labelled thead th:first-child { width: 28%; }
/* A box to draw in: tall enough for a picture, kept whole with its label. */
.draw-box { border: 0.8pt solid #999; border-radius: 2mm; height: 80mm; break-inside: avoid; }
.age-child .draw-box { height: 95mm; }
table.grid.days thead th:first-child { width: 15mm; }
/* A two-week log: a table a week, each whole; the page may turn between the weeks. */
.tool-body > section > .field.field-weeks, .field.field-weeks { break-inside: auto; }
div.week, table.grid.week { break-inside: avoid; }
table.grid.week { margin-bottom: 4pt; }
table.grid.week caption { caption-side: top; text-align: left; font-weight: bold; font-size: 9.5pt; padding: 2pt 0; }
/* A log's legend printed under its grid (a plan above it) reads at the page's own size. */
.format-tracker .legend { font-size: 10pt; color: #333; }
.age-child.format-tracker .legend { font-size: 12pt; }
table.grid input { width: 95%; border: none; min-height: 0; }
.legend { font-size: 8.5pt; color: #444; margin-top: 3pt; }
.source { font-size: 8.5pt; color: #444; }
.section-source p, .section-key p { font-size: 8.5pt; line-height: 1.3; color: #333; }

/* Published measures: numbered items, the answers in columns to the right with their numbers. */
.measure-instructions { font-size: 10.5pt; }
table.measure-grid { width: 100%; border-collapse: collapse; table-layout: fixed; font-size: 9.5pt; margin: 2mm 0; }
table.measure-grid th, table.measure-grid td { border: 0.6pt solid #9aa5b1; padding: 1.2pt 3pt; vertical-align: middle; }
table.measure-grid th { background: #eef2f6; font-size: 8pt; font-weight: normal; text-align: center; }
table.measure-grid th.item-text { text-align: left; font-size: 9pt; font-weight: bold; width: 46%; }
table.measure-grid .item-number { width: 6mm; text-align: right; font-weight: bold; padding-right: 1mm; }
table.measure-grid tr { break-inside: avoid; }
td.answer { text-align: center; white-space: nowrap; }
td.answer label { display: inline; margin: 0; font-weight: normal; }
.answer-value { display: block; font-weight: bold; font-size: 9pt; }
.answer-number { margin-left: 1mm; }
.item-mark { display: inline-block; margin-left: 2mm; padding: 0 1.5mm; border: 0.6pt solid #555;
             font-size: 7.5pt; font-weight: bold; text-transform: uppercase; }
.item-note { display: block; font-size: 8pt; color: #444; }
tr.flag-row td { border-top: none; }
td.flag-note { font-size: 8.5pt; background: #fff4e5; border-left: 2pt solid #b35c00; }
.total-box { display: block; margin: 2mm 0 1mm; break-inside: avoid; }
.total-label { font-weight: bold; font-size: 11pt; margin-right: 2mm; }
input.total-input { display: inline-block; width: 20mm; min-height: 8mm; border: 1pt solid #333; }
.total-help { font-size: 9pt; color: #444; margin-left: 2mm; }
.measure-extra { break-inside: avoid; margin-top: 2mm; font-size: 9.5pt; }
.measure-extra .field-label { margin: 0 0 1mm; }
.extra-choice { display: inline-block; margin: 0 4mm 1mm 0; font-weight: normal; }
.extra-note { font-size: 8.5pt; color: #444; }
table.key-table { width: auto; font-size: 9pt; margin: 1mm 0 2mm; }
table.key-table td { padding: 1pt 4mm 1pt 2mm; }
/* Children's tools: larger type, rounded coloured headings with a drawing, a sun by the title. */
.age-child { font-size: 12.5pt; line-height: 1.45; }
.age-child .tool-title { font-size: 22pt; color: #1d5f8a; }
.age-child .tool-summary { font-size: 13pt; }
.age-child h2 { font-size: 14pt; border: none; background: #eef6fb; border-radius: 8pt; padding: 3pt 8pt 3pt 4pt;
                margin-top: 12pt; }
.age-child li { margin-bottom: 3pt; }
.age-child .field-label { font-size: 12.5pt; }
.age-child table.grid { font-size: 10.5pt; }
.age-child table.grid td { height: 28pt; }
.age-child .scale label { width: 26pt; font-size: 11pt; }
.kid-icon { vertical-align: middle; margin-right: 5pt; }
.kid-sun { float: right; margin: -4pt 0 4pt 8pt; }
/* Printable games: see game_html.GAME_CSS. */
.section-key h2, .section-source h2 { font-size: 11pt; margin-top: 8pt; }
/* A measure's scoring key is read whole, with the question before it. */
.section-key { break-inside: avoid; break-before: avoid; }
.section-key p, .section-source p { margin: 0 0 3pt; }
"""


# The write-in boxes' heights, one class per line count (see "Room to write by hand" above).
TOOL_CSS += "".join(f"textarea.write-lines.lines-{n} {{ height: {8 * n + 1}mm; }}\n"
                    f".age-child textarea.write-lines.lines-{n} {{ height: {10 * n + 1}mm; }}\n"
                    for n in range(1, MAX_LINES + 1))
TOOL_CSS += game_html.GAME_CSS


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{escape(p.strip())}</p>" for p in text.split("\n\n") if p.strip())


# A pause this long or longer also ends the printed line: the listener is given time to do something.
LONG_PAUSE_SECONDS = 5


def _script_html(text: str) -> str:
    """The script's paragraphs with a small "(pause)" where the voice stops, and a new line after a
    long pause: a dense block read as a lecture, not as something to follow at a slow pace."""
    html = []
    for paragraph in audio_script.parse(text).paragraphs():
        pieces = [escape(segment.text) if isinstance(segment, audio_script.Speech)
                  else '<span class="pause">(pause)</span>' + ("<br>" if segment.seconds >= LONG_PAUSE_SECONDS else "")
                  for segment in paragraph]
        body = " ".join(pieces)
        while body.endswith("<br>"):
            body = body[:-4]
        html.append(f'<p class="script-lines">{body}</p>')
    return "".join(html)


def _section(section: dict, age: str = "adult", seed: str = "") -> str:
    icon = child_art.icon_for(section["id"]) if age == "child" else ""
    kind = f' kind-{escape(str(section["game_kind"]))}' if section.get("game_kind") else ""
    parts = [f'<section class="section-{escape(section["id"])}{kind}"><h2>{icon}{escape(section["heading"])}</h2>']
    text = section.get("text") or ""
    # On paper an audio script reads as a guided script: its pauses show where the voice stops.
    parts.append(_script_html(text) if section["id"] == "script" else _paragraphs(text))
    items = section.get("items") or []
    if section["id"] in CARD_SECTIONS:
        parts.append(game_html.game_items_html(section, seed, age))
    elif items and section["id"] == "caller":
        parts.append(game_html.cards_html([str(i) for i in items], 0))   # calling slips to cut out
    elif items:
        tag = "ol" if section["id"] in ORDERED_SECTIONS else "ul"
        parts.append(f"<{tag}>" + "".join(f"<li>{escape(i)}</li>" for i in items) + f"</{tag}>")
    parts.append("</section>")
    return "".join(parts)


def _lines(field: dict, name: str) -> str:
    count = max(1, min(int(field.get("lines") or 3), MAX_LINES))
    return f'<textarea class="write-lines lines-{count}" name="{name}" rows="{count}"></textarea>'


def _list(field: dict, name: str) -> str:
    """A numbered list to fill in, one line per entry (a clinic tool's "list of N")."""
    count = max(1, min(int(field.get("count") or 5), 12))
    return ('<ol class="write-list">' + "".join(f'<li><input class="write-line" type="text" name="{name}_{i}"></li>'
                                               for i in range(count)) + "</ol>")


def _scale(field: dict, name: str) -> str:
    options = field.get("options") or [{"value": v, "label": str(v)} for v in range(11)]
    if any(str(o["label"]) != str(o["value"]) for o in options):
        # Labelled answers (a published measure's): one radio group, so only one can be chosen.
        return "".join(f'<label class="check"><input type="radio" name="{name}" value="{escape(str(o["value"]))}"> '
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
    if field.get("single"):
        # One answer only (a published follow-up question): a radio group.
        return "".join(f'<label class="check"><input type="radio" name="{name}" value="{i}"> {escape(str(option))}'
                       "</label>" for i, option in enumerate(field.get("options") or []))
    return "".join(f'<label class="check"><input type="checkbox" name="{name}_{i}"> {escape(str(option))}</label>'
                   for i, option in enumerate(field.get("options") or []))


WEEK = 7


def _table(field: dict, name: str) -> str:
    columns = field.get("columns") or ["Notes"]
    labels = [str(label) for label in field.get("row_labels") or []]
    # A first column named "Day" is printed, not left empty: each row is one day, a week by default.
    numbered = not labels and str(columns[0]).strip().lower() == "day"
    rows = len(labels) or max(1, min(int(field.get("rows") or (7 if numbered else 5)), 14))
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)

    def first_cell(r: int) -> list[str]:
        # A printed first column: the day, or the row's own label (a plan's step), never a blank to fill.
        if labels:
            return [f'<th class="row-label" scope="row">{escape(labels[r])}</th>']
        return [f'<th class="day" scope="row">Day {r + 1}</th>'] if numbered else []

    def row(r: int) -> str:
        cells = first_cell(r)
        cells += [f'<td><input type="text" name="{name}_r{r}_c{c}"></td>'
                  for c in range(1 if (numbered or labels) else 0, len(columns))]
        return "<tr>" + "".join(cells) + "</tr>"

    legend = f'<div class="legend">{escape(field["legend"])}</div>' if field.get("legend") else ""
    # The day column needs only "Day 7": the rest of the width goes to what is written.
    kind = "grid days" if numbered else "grid labelled" if labels else "grid"
    if numbered and rows > WEEK:
        # Two weeks print as a table a week, each kept whole, so the second may start a new page
        # rather than pushing the whole log (and leaving the page before it nearly empty).
        weeks = [range(start, min(start + WEEK, rows)) for start in range(0, rows, WEEK)]
        # Each week sits in a block kept whole: a table's caption is laid out outside the table
        # box, so "Week 2" could otherwise be left alone at the foot of a page.
        return "".join(f'<div class="week"><table class="{kind} week"><caption>Week {n}</caption>'
                       f'<thead><tr>{head}</tr></thead><tbody>{"".join(row(r) for r in week)}</tbody></table></div>'
                       for n, week in enumerate(weeks, start=1)) + legend
    body = "".join(row(r) for r in range(rows))
    return f'<table class="{kind}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{legend}'


def _drawing(field: dict, name: str) -> str:
    """A framed blank box to draw in (a body outline, a safe place): no form field, as a PDF
    viewer cannot draw; the portal asks the client to draw on paper or say what they drew."""
    return '<div class="draw-box" role="img" aria-label="Space to draw"></div>'


FIELD_WRITERS = {"lines": _lines, "list": _list, "scale": _scale, "checklist": _checklist, "table": _table,
                 "drawing": _drawing}


def pdf_field_name(field: dict, index: int, prefix: str = "") -> str:
    """The form field name of a tool's field in its fillable PDF: ``f<index>_<field id>``, then
    ``_<n>`` for a box of a scale or checklist and ``_r<row>_c<column>`` for a table cell
    (paper_answers.py reads them back)."""
    return f"{prefix}f{index}_{field.get('id', index)}"


def _field(field: dict, index: int, prefix: str = "") -> str:
    name = pdf_field_name(field, index, prefix)
    writer = FIELD_WRITERS.get(field.get("kind"), _lines)
    kind = escape(str(field.get("kind") or "lines"))
    weeks = " field-weeks" if kind == "table" and int(field.get("rows") or 0) > WEEK else ""
    return (f'<div class="field field-{kind}{weeks}"><div class="field-label">{escape(field.get("label", ""))}</div>'
            f"{writer(field, escape(name))}</div>")


def duration_text(tool: dict) -> str:
    """What the tool says about its length: an audio tool, its recording's; others, the practice's."""
    if tool.get("audio_seconds"):
        return "recording: " + audio_scripts.stated_minutes(tool["audio_seconds"])
    if not tool.get("minutes"):
        return ""
    # A tracker is filled in a row a day for a week: its time is a day's.
    return f"about {tool['minutes']} minutes" + (" a day" if tool.get("format") == "tracker" else "")


NAME_DATE = ('<div class="name-date"><span>Name</span><input type="text" name="{prefix}name" aria-label="Name">'
             '<span>Date</span><input type="text" name="{prefix}date" aria-label="Date">'
             "</div>")


def _summary_html(tool: dict) -> str:
    """The one-line summary under the title, unless the first section opens with the same words
    (``tool_labels.summary_to_show``, the rule the web app and the portal use too)."""
    summary = summary_to_show(tool)
    return f'<p class="tool-summary">{escape(summary)}</p>' if summary else ""


def tool_body_html(tool: dict, *, field_prefix: str = "") -> str:
    """The tool's body (title, meta, summary, sections, fields) without the document around it,
    for books that lay out many tools in one document. ``field_prefix`` keeps the form field
    names of one tool apart from another's (PDF fields with the same name share one value)."""
    meta = " · ".join(p for p in (
        "" if tool.get("format") == "measure" else AGE_LABELS.get(tool.get("age_group"), ""),
        tool.get("approach", ""), tool.get("format", ""),
        duration_text(tool)) if p)
    age = escape(str(tool.get("age_group") or "adult"))
    fmt = escape(str(tool.get("format") or ""))
    body = [f'<div class="tool-body age-{age} format-{fmt}">',
            child_art.SUN if tool.get("age_group") == "child" else "",
            f'<h1 class="tool-title">{escape(tool["title"])}</h1>',
            f'<p class="tool-meta">{escape(meta)}</p>',
            NAME_DATE.format(prefix=escape(field_prefix)),
            _summary_html(tool)]
    if tool.get("format") == "measure" and tool.get("measure"):
        sections = [s for s in tool.get("sections", []) if s["id"] != "questions"]
        body.append(measure_body_html(tool, escape(field_prefix)))
        body.extend(_section(section, tool.get('age_group', 'adult'), tool.get('slug', '')) for section in sections)
        body.append("</div>")
        return "".join(body)
    sections = list(tool.get("sections", []))
    if tool.get("instructions") and not any(s["id"] in ("how", "rules") for s in sections):
        # Clinic-authored tools carry their steps as instructions rather than a section.
        sections.insert(0, {"id": "how", "heading": "How to use it", "text": "", "items": tool["instructions"]})
    fields_written = False
    for section in sections:
        html = _section(section, tool.get("age_group", "adult"), tool.get("slug", tool.get("id", "")))
        if section["id"] in ("your_turn", "questions") and not fields_written:
            # The fields inside their section, so that its heading and text stay with the first one.
            fields = "".join(_field(f, i, field_prefix) for i, f in enumerate(tool.get("fields", [])))
            html = html[: -len("</section>")] + fields + "</section>"
            fields_written = True
        body.append(html)
    if not fields_written and tool.get("fields"):
        body.append("<section><h2>Your turn</h2>")
        body.extend(_field(f, i, field_prefix) for i, f in enumerate(tool["fields"]))
        body.append("</section>")
    body.append("</div>")
    return "".join(body)


def field_html(field: dict, index: int, prefix: str = "") -> str:
    """One "Your turn" field as form inputs (public wrapper for other layouts, e.g. workbooks)."""
    return _field(field, index, prefix)


def tool_html(tool: dict) -> str:
    """The whole tool as one HTML document, sections in order, fields under "Your turn"."""
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(tool["title"])}</title>'
            f"<style>{TOOL_CSS}</style></head><body>{tool_body_html(tool)}</body></html>")
