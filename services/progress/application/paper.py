"""Paper and online meet: the fillable PDF of one assignment goes out stamped with that assignment,
and comes back filled (uploaded by the client through the portal, or by the practitioner on the
client's page) as a submission like one made online.

Only a PDF downloaded for an assignment is accepted: the generic catalogue PDF names no client, so
it could be matched to the wrong person. Its stamp (interlude/paper_forms.py) must be genuine
(signed with the platform's secret for this clinic) and name this assignment, this client and this
tool; anything else is refused with what to do. The field values are read, never the pages: what
was written by hand on a printout is not read.

The submission id is derived from the file's SHA-256, so the same filled PDF uploaded twice (by
the client and then the practitioner, or a retry) records once. The PDF is kept in the blob store
under paper/<clinic>/<client>/, linked from the submission's event, and erased with the client.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime

from interlude import paper_forms
from interlude.actor import Actor
from interlude.errors import Forbidden, InvalidInput, NotFound
from interlude.paper_forms import FilledForm, Stamp
from interlude.ports.blobs import BlobStore
from interlude.ports.documents import DocumentStore, TenantScope
from services.catalog.contract import measure_answers, tool_id as catalogue_tool_id, worksheet_fields
from services.progress.application import assignments, clients, events, storage, submission

PAPER_PREFIX = "paper/"
SUBMISSION_PREFIX = "paper-"


def tool_of_assignment(assignment: dict) -> str:
    """The catalogue tool whose fillable PDF answers ``assignment``: its tool, or its measure's tool."""
    if assignment["kind"] == "tool":
        return assignment["target"]["tool_id"]
    if assignment["kind"] == "measure":
        return catalogue_tool_id("", assignment["target"]["measure"], "adult", "measure")
    raise InvalidInput("A workbook chapter has no fillable PDF of its own: its fields are in the workbook's PDF. "
                       "Fill it in online from the homework's page instead.")


def _stamp_view(assignment: dict, secret_key: str) -> dict:
    tool_id = tool_of_assignment(assignment)
    stamp = paper_forms.make_stamp(secret_key, assignment["clinic_id"], assignment["id"],
                                   assignment["client_id"], tool_id)
    return {"stamp": stamp.text(), "clinic_id": assignment["clinic_id"], "tool_id": tool_id,
            "assignment_id": assignment["id"], "title": assignment["title"]}


def stamp_for(store: DocumentStore, actor: Actor, assignment_id: str, secret_key: str) -> dict:
    """What the gateway needs to hand out the assignment's fillable PDF: ``{stamp, clinic_id,
    tool_id, assignment_id, title}`` (the tool's PDF is the catalog's; the stamp is ours)."""
    return _stamp_view(assignments.assignment_for(store, actor, assignment_id), secret_key)


def portal_stamp_for(store: DocumentStore, token: str, secret_key: str, *, now: datetime | None = None) -> dict:
    assignment, _ = assignments.resolve_portal(store, token, now=now)
    return _stamp_view(assignment, secret_key)


def _check_stamp(store: DocumentStore, assignment: dict, form: FilledForm, secret_key: str) -> None:
    title = f"“{assignment['title']}”"
    stamp: Stamp | None = paper_forms.parse_stamp(form.stamp)
    if stamp is None:
        raise InvalidInput(f"This PDF was not downloaded for this assignment, so it cannot be matched to it "
                           f"(a PDF from the catalogue names no client). Download the fillable PDF of {title} "
                           "from this assignment, fill it in, save it and upload that.")
    if not paper_forms.stamp_is_genuine(secret_key, assignment["clinic_id"], stamp):
        raise Forbidden("This PDF's assignment code is not valid: it was changed, or the PDF comes from "
                        f"another practice. Nothing was recorded. Download the fillable PDF of {title} again.")
    if stamp.client_id != assignment["client_id"]:
        raise Forbidden("This PDF was made for another client's assignment. Nothing was recorded: check you "
                        f"chose the right file, and upload the PDF downloaded for {title} of this client.")
    if stamp.assignment_id == assignment["id"] and stamp.tool_id == tool_of_assignment(assignment):
        return
    other = TenantScope(storage.collection(store, storage.ASSIGNMENTS), assignment["clinic_id"]).get(
        stamp.assignment_id)
    other_title = f"“{other['title']}”" if other else "another assignment"
    if stamp.tool_id != tool_of_assignment(assignment):
        raise InvalidInput(f"This PDF is the form of another tool ({other_title}), not of {title}. Nothing was "
                           "recorded: upload it for that assignment, or download this assignment's PDF.")
    raise InvalidInput(f"This PDF was downloaded for another assignment of {title}"
                       + (f" (due {other['due']})" if other else "")
                       + ". Nothing was recorded: upload it for that assignment instead.")


def _answers(assignment: dict, form: FilledForm, tool_of: Callable[[str, str], dict]) -> dict:
    if assignment["kind"] == "measure":
        answers, extra = measure_answers(storage.measures()[assignment["target"]["measure"]], form.values)
        return {"answers": answers, "extra": extra}
    tool = tool_of(assignment["clinic_id"], assignment["target"]["tool_id"])
    return {"fields": worksheet_fields(tool, form.values)}


def _record(store: DocumentStore, blobs: BlobStore, assignment: dict, pdf: bytes, *, actor: str, secret_key: str,
            read_form: Callable[[bytes], FilledForm], tool_of: Callable[[str, str], dict], taken_on=None,
            filename: str = "", crisis_lines=None, now: datetime | None = None) -> dict:
    form = read_form(pdf)
    _check_stamp(store, assignment, form, secret_key)
    answers = _answers(assignment, form, tool_of)
    digest = hashlib.sha256(pdf).hexdigest()
    key = f"{PAPER_PREFIX}{assignment['clinic_id']}/{assignment['client_id']}/{digest}.pdf"
    if not blobs.exists(key):
        blobs.put(key, pdf, "application/pdf")     # before the event: the event never points at nothing
    paper = {"key": key, "sha256": digest, "size": len(pdf), "pages": form.pages,
             "filename": (filename or "")[:120] or f"{assignment['id']}.pdf"}
    result = submission.record_submission(store, assignment, actor=actor, submission_id=SUBMISSION_PREFIX + digest[:40],
                                          taken_on=taken_on, crisis_lines=crisis_lines, paper=paper, now=now,
                                          **answers)
    return {**result, "answers_read": answers.get("fields") or answers.get("answers"), "paper_pdf": paper}


def record_portal_pdf(store: DocumentStore, blobs: BlobStore, token: str, pdf: bytes, **options) -> tuple[dict, dict]:
    """The client uploads the filled PDF through their link. Returns (result, assignment)."""
    assignment, _ = assignments.resolve_portal(store, token, now=options.get("now"))
    return _record(store, blobs, assignment, pdf, actor="client", **options), assignment


def record_practitioner_pdf(store: DocumentStore, blobs: BlobStore, actor: Actor, assignment_id: str, pdf: bytes,
                            **options) -> dict:
    """The practitioner uploads the client's filled PDF on the client's page (``taken_on`` optional:
    the day the client filled it, when known)."""
    assignment = assignments.assignment_for(store, actor, assignment_id)
    return _record(store, blobs, assignment, pdf, actor=actor.user_id, **options)


def pdf_of(store: DocumentStore, actor: Actor, client_id: str, event_id: str) -> dict:
    """The kept PDF of one submission: ``{key, filename, content_type}``, if ``actor`` may see the client."""
    client = clients.client_for(store, actor, client_id)
    event = events.get_event(store, actor.clinic_id, event_id) if isinstance(event_id, str) else None
    paper = (event or {}).get("data", {}).get("paper_pdf") if event and event["client_id"] == client["id"] else None
    if not paper:
        raise NotFound("No uploaded PDF with this submission.")
    return {"key": paper["key"], "filename": paper["filename"], "content_type": "application/pdf"}


def delete_client_pdfs(blobs: BlobStore, clinic_id: str, client_id: str) -> int:
    """Erase every kept PDF of a client (with the rest of the record, on request)."""
    keys = blobs.list(f"{PAPER_PREFIX}{clinic_id}/{client_id}/")
    for key in keys:
        blobs.delete(key)
    return len(keys)
