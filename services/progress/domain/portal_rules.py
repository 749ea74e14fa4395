"""The portal's rules, as plain functions of what the record says (nothing here reads or writes
the store): how a measure is laid out as a page, when an assignment is closed to the client, how
a posted form becomes answers or fields, what a rating is, and the homework counts a client sees.
The gateway only lays the result out as HTML."""
from __future__ import annotations

from interlude.errors import InvalidInput

MEASURE_SUMMARY = "Choose one answer for each question."
# Sections of a tool the page shows otherwise (fields, audio player) or not at all.
NOT_SHOWN_AS_TEXT = ("your_turn", "questions", "script")


def measure_page(form: dict) -> dict:
    """A published measure as a page: one question per item, each answered by one option; an
    item that applies only to some clients is optional."""
    return {"title": form["short_name"], "summary": MEASURE_SUMMARY, "sections": [],
            "fields": [{"id": item["id"], "kind": "scale", "label": item["text"], "options": form["options"],
                        "optional": bool(item.get("applies_to"))} for item in form["items"]]}


def is_closed(assignment: dict) -> bool:
    """Sent, and not set again: the page thanks the client instead of asking."""
    return assignment["status"] == "submitted" and not assignment.get("recur")


def has_audio(tool: dict) -> bool:
    return any(section["id"] == "script" for section in tool.get("sections", []))


def submission_from_form(form: dict, submission_id: str | None = None) -> dict:
    """A portal form post (field -> list of values): a measure's answers are all its items ``qN``
    with a whole-number choice; any other form is the worksheet's text fields. Its
    ``submission_id`` field (made when the page was rendered) keys the submission, so the same
    form sent twice records once; ``submission_id`` stands in when the form has none."""
    fields = {str(key): "|".join(str(v) for v in (values if isinstance(values, list) else [values]))
              for key, values in dict(form or {}).items()}
    submission_id = fields.pop("submission_id", None) or submission_id
    numeric = {key: int(value) for key, value in fields.items() if value.isdigit() and key.startswith("q")}
    if numeric and len(numeric) == len(fields):
        return {"answers": numeric, "submission_id": submission_id}
    return {"fields": fields, "submission_id": submission_id}


def parse_rating(value) -> int:
    """1 (not at all helpful) to 5 (very), given as a number or as the text of one."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise InvalidInput("rating must be a whole number from 1 to 5.")
    return value


def homework_counts(assignment: dict, submissions: int) -> dict:
    """'Done X of Y' for this link's assignment: each submission is one done; one more is set
    while the current round is still open (a one-off: 0 of 1, then 1 of 1)."""
    still_open = assignment["status"] not in ("submitted", "revoked")
    return {"completed": submissions, "assigned": submissions + (1 if still_open else 0)}
