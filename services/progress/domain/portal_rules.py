"""The portal's rules, as plain functions of what the record says (nothing here reads or writes
the store): how a measure is laid out as a page, when an assignment is closed to the client, how
a posted form becomes answers or fields, what a rating is, and the homework counts a client sees.
The gateway only lays the result out as HTML."""
from __future__ import annotations

from interlude.errors import InvalidInput

MEASURE_SUMMARY = "Choose one answer for each question."
# Sections of a tool the page shows otherwise (fields, audio player) or not at all.
NOT_SHOWN_AS_TEXT = ("your_turn", "questions", "script")


EMPTY_WORKSHEET = ("Nothing was written yet: fill in at least one answer, then send it. "
                   "Nothing has been sent to your practitioner.")


def measure_page(form: dict) -> dict:
    """A published measure as a page: its question stem, one question per item, each answered by
    one option; an item that applies only to some clients is optional; an item one of the
    measure's flags reads (PHQ-9 item 9) is a risk item, shown with the clinic's crisis numbers."""
    risky = set(form.get("risk_items") or ())
    return {"title": form["short_name"], "measure": True, "summary": MEASURE_SUMMARY,
            "instructions": form.get("timeframe") or "",
            "sections": [],
            "fields": [{"id": item["id"], "kind": "scale", "label": item["text"], "options": form["options"],
                        "optional": bool(item.get("applies_to")), "risk": item["id"] in risky}
                       for item in form["items"]]}


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


def require_an_answer(fields: dict) -> None:
    """A worksheet sent with every field blank records nothing: the client is told to write."""
    if not any(str(value or "").strip() for value in (fields or {}).values()):
        raise InvalidInput(EMPTY_WORKSHEET)


def parse_rating(value) -> int:
    """1 (not at all helpful) to 5 (very), given as a number or as the text of one."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise InvalidInput("rating must be a whole number from 1 to 5.")
    return value


def homework_counts(assignment: dict, submissions: int) -> dict:
    """'Done X of Y' for one assignment: each submission is one done; one more is set while the
    current round is still open (a one-off: 0 of 1, then 1 of 1)."""
    still_open = assignment["status"] not in ("submitted", "revoked")
    return {"completed": submissions, "assigned": submissions + (1 if still_open else 0)}


def client_homework_counts(states: list[dict]) -> dict:
    """'Done X of Y' across all of a client's assignments (``status.assignment_status`` of each),
    not just the link's: five one-off assignments with one sent read 1 of 5. A withdrawn
    assignment counts only what was sent to it."""
    totals = {"completed": 0, "assigned": 0}
    for state in states:
        counts = homework_counts(state, state["submissions"])
        totals = {key: totals[key] + counts[key] for key in totals}
    return totals
