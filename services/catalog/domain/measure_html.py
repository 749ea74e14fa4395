"""A published measure laid out as on its paper form: numbered items, the answers in columns to
the right with their numbers, one answer per item, a total box and the scoring key.

Each item's answers are one radio group, so the fillable PDF lets only one be chosen (WeasyPrint
makes ``<input type="radio">`` sharing a name into one AcroForm radio field); on paper the reader
circles or ticks one number, as the PCL-5's own instructions ask ("circle one of the numbers to
the right"). The items and answers are printed word for word; the only words added are the marks
the published forms carry themselves (PHQ-15's "Women only") and the lines in PAPER_TEXT.
"""
from __future__ import annotations

from html import escape

# The few fixed lines this layout adds around a published measure, in one place for review.
PAPER_TEXT = {
    "total": "Total score",
    "add_up": "Add up the numbers you chose.",
    "key": "Scoring key",
    "range": "Scores run from {low} to {high}.",
    "not_scored": "This question is not part of the score.",
    "applies_to": {"women": "Women only"},
    "optional_item": "If this does not apply to you, leave it blank: it counts as 0.",
    "for_practitioner": "For you and your practitioner: a score is a starting point for a conversation, "
                        "not a diagnosis.",
    "validated": {"teen": "Checked with teenagers: ", "child": "Checked with children: "},
    # By PHQ-9 item 9 and any other item the measure flags for safety.
    "flag_note": "If you have had any thoughts like this, please tell your practitioner soon. If you "
                 "feel you might act on them, or you are not safe right now, call your local emergency "
                 "number or crisis line now.",
}


def measure_body_html(tool: dict, name: str) -> str:
    """The questions, answers, total and key of a measure tool. ``name`` prefixes the form fields."""
    measure = tool.get("measure") or {}
    options = [(int(o["value"]), str(o["label"])) for o in measure.get("options", [])]
    items = list(measure.get("items", []))
    flagged = {flag.get("item") for flag in measure.get("flags", [])}
    instructions = [i for i in tool.get("instructions", []) if i]
    parts = ['<section class="section-questions measure">']
    parts.extend(f'<p class="measure-instructions">{escape(text)}</p>' for text in instructions)
    head = "".join(f'<th class="answer-head">{escape(label)}<span class="answer-value">{value}</span></th>'
                   for value, label in options)
    timeframe = escape(str(measure.get("timeframe", "")).strip())
    rows = []
    for number, item in enumerate(items, start=1):
        item_id = escape(str(item.get("id", number)))
        mark = PAPER_TEXT["applies_to"].get(item.get("applies_to") or "", "")
        note = (f'<span class="item-mark">{escape(mark)}</span>'
                f'<span class="item-note">{escape(PAPER_TEXT["optional_item"])}</span>' if mark else "")
        cells = "".join(
            f'<td class="answer"><label><input type="radio" name="{name}{item_id}" value="{value}">'
            f'<span class="answer-number">{value}</span></label></td>' for value, _ in options)
        rows.append(f'<tr><td class="item-number">{number}.</td>'
                    f'<td class="item-text">{escape(str(item.get("text", "")).strip())}{note}</td>{cells}</tr>')
        if item.get("id") in flagged:
            rows.append(f'<tr class="flag-row"><td></td><td colspan="{len(options) + 1}" class="flag-note">'
                        f'{escape(PAPER_TEXT["flag_note"])}</td></tr>')
    parts.append(f'<table class="measure-grid"><thead><tr><th class="item-number"></th>'
                 f'<th class="item-text">{timeframe}</th>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>')
    parts.append(f'<div class="total-box"><span class="total-label">{escape(PAPER_TEXT["total"])}</span>'
                 f'<input type="text" class="total-input" name="{name}total" aria-label="Total score">'
                 f'<span class="total-help">{escape(PAPER_TEXT["add_up"])}</span></div>')
    parts.append(_extra(measure.get("extra"), name))
    parts.append("</section>")
    parts.append(_key(measure))
    return "".join(parts)


def _extra(extra, name: str) -> str:
    """The published unscored follow-up question (PHQ-9, GAD-7): one answer, radio buttons."""
    if not isinstance(extra, dict) or not extra.get("text"):
        return ""
    field = f'{name}{escape(str(extra.get("id", "extra")))}'
    choices = "".join(f'<label class="extra-choice"><input type="radio" name="{field}" value="{index}">'
                      f"{escape(str(option))}</label>" for index, option in enumerate(extra.get("options", [])))
    return (f'<div class="measure-extra"><p class="field-label">{escape(str(extra["text"]).strip())}</p>'
            f'{choices}<p class="extra-note">{escape(PAPER_TEXT["not_scored"])}</p></div>')


def _key(measure: dict) -> str:
    scoring = measure.get("scoring") or {}
    lines = [PAPER_TEXT["range"].format(low=scoring.get("min", ""), high=scoring.get("max", ""))]
    bands = measure.get("bands") or []
    if bands:
        lines[0] += " " + "; ".join(f'{band["min"]}–{band["max"]} {str(band["label"]).lower()}'
                                    for band in bands) + "."
    cutoff = measure.get("cutoff") or {}
    if cutoff.get("note"):
        lines.append(" ".join(str(cutoff["note"]).split()))
    lines.append(PAPER_TEXT["for_practitioner"])
    for age, evidence in (measure.get("validated_ages") or {}).items():
        if age != "adult" and isinstance(evidence, dict) and evidence.get("source"):
            lines.append(PAPER_TEXT["validated"][age] + " ".join(str(evidence["source"]).split()))
    return (f'<section class="section-key measure-key"><h2>{escape(PAPER_TEXT["key"])}</h2>'
            + "".join(f"<p>{escape(line)}</p>" for line in lines) + "</section>")
