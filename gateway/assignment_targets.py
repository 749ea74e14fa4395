"""What an assignment points at is checked when it is made, not when the client opens it
(issue #11, findings 6 and 8): an unknown, retired or other clinic's tool, or a chapter of a
workbook the practitioner cannot reach, is a 400 naming the field; the assignment's default
title is the tool's or the chapter's own title, not its id."""
from __future__ import annotations

from nameko.exceptions import RemoteError

from interlude.errors import InvalidInput


def _missing(exc: RemoteError) -> bool:
    return exc.exc_type == "NotFound"


def resolve(actor: dict, form: dict, catalog_rpc, workbook_rpc) -> dict:
    """``form`` with its target checked and, when no title was given, the target's title."""
    form = dict(form)
    if isinstance(form.get("tool_id"), str):
        tool_id = form["tool_id"]
        try:
            tool = (catalog_rpc.get_clinic_tool(actor, tool_id) if tool_id.startswith("ct_")
                    else catalog_rpc.get_tool(actor, tool_id))
        except RemoteError as exc:
            if not _missing(exc):
                raise
            raise InvalidInput("tool_id: no tool with this id in the catalogue or your clinic's tools; "
                               "find one with GET /api/v1/search.") from None
        if tool.get("status") == "retired" or tool.get("retired_at"):
            raise InvalidInput("tool_id: this tool was retired; choose another one.")
        form["tool_id"] = tool["id"]
        form.setdefault("title", tool["title"])
    chapter = form.get("chapter")
    if isinstance(chapter, dict) and isinstance(chapter.get("workbook_id"), str):
        try:
            workbook = workbook_rpc.get(actor, chapter["workbook_id"])
        except RemoteError as exc:
            if not _missing(exc):
                raise
            raise InvalidInput("chapter.workbook_id: no such workbook for you.") from None
        chapters = workbook["plan"].get("chapters") or []
        number = chapter.get("chapter")
        if isinstance(number, int) and not isinstance(number, bool):
            if not 1 <= number <= len(chapters):
                raise InvalidInput(f"chapter.chapter: this workbook has chapters 1 to {len(chapters)}.")
            form.setdefault("title", chapters[number - 1].get("title") or f"Workbook chapter {number}")
    return form
