"""The practitioner's changes to a proposed plan, applied in order to a copy of it.

``apply_edits(plan, edits, find_tool=..., clinic_id=...)``: ``edits`` is a list of operations,
each an object with an ``op``; chapters are named by their problem slug, positions count from 0:

- ``{"op": "add", "tool_id": ID, "chapter": SLUG, "position": N}`` (chapter defaults to the first,
  position to the end): any catalogue tool, or a tool of the acting clinic;
- ``{"op": "remove", "tool_id": ID}``;
- ``{"op": "move", "tool_id": ID, "position": N, "chapter": SLUG}`` (chapter defaults to its own);
- ``{"op": "reorder", "chapter": SLUG, "tool_ids": [every tool of that chapter, in the new order]}``;
- ``{"op": "reorder_chapters", "chapters": [every chapter's slug, in the new order]}``;
- ``{"op": "note", "chapter": SLUG, "text": ...}`` (empty text clears it);
- ``{"op": "goals", "goals": [...]}``;
- ``{"op": "cover", "logo_media_id": ID or null, "colour": "#rrggbb"}`` (either key may be left out);
- ``{"op": "paper", "paper": "a4" | "letter"}``;
- ``{"op": "measure", "measure": "phq9" | "gad7" | "pcl5" | "phq15" | "k10" | null}``.

``find_tool(tool_id)`` returns the stored tool (catalogue or clinic) or None; a mapping of id to
tool works too. The result must still hold at least one tool.
"""
from __future__ import annotations

import copy
from collections.abc import Callable, Mapping

from interlude.errors import Forbidden, InvalidInput, NotFound
from services.catalog.contract import tool_id as catalogue_tool_id
from services.workbook.domain import checks
from services.workbook.domain.plan import (MAX_TOOLS, MEASURES, measure_entry, plan_entry, tool_reason,
                                           tracking_pages, why_line)

MAX_EDITS = 200
ADDED = "Added by your practitioner"

ToolFinder = Callable[[str], "dict | None"] | Mapping[str, dict]


def apply_edits(plan: dict, edits: list, *, find_tool: ToolFinder | None = None,
                clinic_id: str | None = None) -> dict:
    if not isinstance(edits, list):
        raise InvalidInput("edits must be a list of operations, each an object with an 'op'.")
    if len(edits) > MAX_EDITS:
        raise InvalidInput(f"Send at most {MAX_EDITS} edits at once, not {len(edits)}.")
    plan = copy.deepcopy(plan)
    context = _Context(plan, find_tool, clinic_id)
    for number, edit in enumerate(edits, start=1):
        if not isinstance(edit, dict) or edit.get("op") not in OPERATIONS:
            raise InvalidInput(f"Edit {number}: 'op' must be one of {', '.join(OPERATIONS)}.")
        try:
            OPERATIONS[edit["op"]](context, edit)
        except (InvalidInput, NotFound, Forbidden) as error:
            raise type(error)(f"Edit {number} ({edit['op']}): {error.message}") from None
    if not any(chapter["tools"] for chapter in plan["chapters"]):
        raise InvalidInput("The workbook would have no tools left: keep or add at least one.")
    return plan


class _Context:
    def __init__(self, plan: dict, find_tool: ToolFinder | None, clinic_id: str | None):
        self.plan, self.find_tool, self.clinic_id = plan, find_tool, clinic_id

    def chapter(self, slug, default_first: bool = False) -> dict:
        chapters = self.plan["chapters"]
        if slug is None and default_first and chapters:
            return chapters[0]
        for chapter in chapters:
            if chapter["problem"] == slug:
                return chapter
        names = ", ".join(chapter["problem"] for chapter in chapters)
        raise InvalidInput(f"No chapter {str(slug)[:60]!r} in this plan: its chapters are {names}.")

    def locate(self, tool_id) -> tuple[dict, int]:
        tool_id = checks.identifier(tool_id, "tool_id")
        for chapter in self.plan["chapters"]:
            for index, entry in enumerate(chapter["tools"]):
                if entry["tool_id"] == tool_id:
                    return chapter, index
        raise NotFound(f"Tool {tool_id!r} is not in this plan.")

    def tool(self, tool_id: str) -> dict:
        """A tool the acting clinic may put in a workbook: any catalogue tool, or its own."""
        if self.find_tool is None:
            raise InvalidInput("Tools cannot be looked up here, so none can be added.")
        finder = self.find_tool
        tool = finder.get(tool_id) if isinstance(finder, Mapping) else finder(tool_id)
        if tool is None:
            raise NotFound(f"No tool {tool_id!r} in the catalogue or in your clinic's tools.")
        if tool.get("source") == "clinic" or tool.get("clinic_id"):
            if not self.clinic_id or tool.get("clinic_id") != self.clinic_id:
                raise Forbidden(f"Tool {tool_id!r} belongs to another clinic: a workbook can hold "
                                "catalogue tools and your own clinic's tools only.")
        if tool.get("status", "published") != "published":
            raise InvalidInput(f"Tool {tool_id!r} is retired: choose a current tool instead.")
        return tool

    def total(self) -> int:
        return sum(len(chapter["tools"]) for chapter in self.plan["chapters"])


def _position(value, length: int) -> int:
    return checks.whole_number(value, "position", low=0, high=length)


def _add(context: _Context, edit: dict) -> None:
    tool_id = checks.identifier(edit.get("tool_id"), "tool_id")
    chapter = context.chapter(edit.get("chapter"), default_first=True)
    try:
        where, _ = context.locate(tool_id)
    except NotFound:
        pass
    else:
        raise InvalidInput(f"Tool {tool_id!r} is already in the chapter '{where['problem']}': move it instead.")
    if context.total() >= MAX_TOOLS:
        raise InvalidInput(f"A workbook holds at most {MAX_TOOLS} tools: remove one before adding another.")
    tool = context.tool(tool_id)
    reason = why_line(tool) if tool.get("source") != "clinic" and tool_reason(tool) else ""
    entry = plan_entry(tool, f"{ADDED}. {reason}" if reason else f"{ADDED}.")
    position = edit.get("position", len(chapter["tools"]))
    chapter["tools"].insert(_position(position, len(chapter["tools"])), entry)


def _remove(context: _Context, edit: dict) -> None:
    chapter, index = context.locate(edit.get("tool_id"))
    del chapter["tools"][index]


def _move(context: _Context, edit: dict) -> None:
    source, index = context.locate(edit.get("tool_id"))
    target = context.chapter(edit["chapter"]) if edit.get("chapter") is not None else source
    length = len(target["tools"]) - (1 if target is source else 0)
    position = _position(edit.get("position"), length)
    entry = source["tools"].pop(index)
    target["tools"].insert(position, entry)


def _reorder(context: _Context, edit: dict) -> None:
    chapter = context.chapter(edit.get("chapter"))
    wanted = edit.get("tool_ids")
    current = {entry["tool_id"]: entry for entry in chapter["tools"]}
    if not isinstance(wanted, list) or sorted(map(str, wanted)) != sorted(current):
        raise InvalidInput(f"tool_ids must list every tool of the chapter '{chapter['problem']}' once, "
                           "in the new order.")
    chapter["tools"] = [current[tool_id] for tool_id in wanted]


def _reorder_chapters(context: _Context, edit: dict) -> None:
    wanted = edit.get("chapters")
    current = {chapter["problem"]: chapter for chapter in context.plan["chapters"]}
    if not isinstance(wanted, list) or sorted(map(str, wanted)) != sorted(current):
        raise InvalidInput("chapters must list every chapter's problem slug once, in the new order.")
    context.plan["chapters"] = [current[slug] for slug in wanted]
    problems = {problem["slug"]: problem for problem in context.plan.get("problems", [])}
    context.plan["problems"] = [problems[slug] for slug in wanted if slug in problems]


def _note(context: _Context, edit: dict) -> None:
    chapter = context.chapter(edit.get("chapter"))
    chapter["note"] = checks.note(edit.get("text"), f"The note for chapter '{chapter['problem']}'")


def _goals(context: _Context, edit: dict) -> None:
    context.plan["goals"] = checks.goals(edit.get("goals"))


def _cover(context: _Context, edit: dict) -> None:
    unknown = set(edit) - {"op", "logo_media_id", "colour"}
    if unknown:
        raise InvalidInput(f"cover takes logo_media_id and colour only, not {sorted(unknown)[0][:40]!r}.")
    cover = dict(context.plan.get("cover") or {})
    if "logo_media_id" in edit:
        cover["logo_media_id"] = checks.media_id(edit["logo_media_id"])
    if "colour" in edit:
        cover["colour"] = checks.colour(edit["colour"])
    context.plan["cover"] = cover


def _paper(context: _Context, edit: dict) -> None:
    context.plan["paper"] = checks.paper(edit.get("paper"))


def _measure(context: _Context, edit: dict) -> None:
    slug = edit.get("measure")
    if slug is None:
        measure = None
    elif slug in MEASURES:
        measure = measure_entry(context.tool(catalogue_tool_id("", slug, "adult", "measure")))
    else:
        raise InvalidInput(f"measure must be one of {', '.join(MEASURES)}, or null for none.")
    context.plan["measure"] = measure
    context.plan["tracking"] = tracking_pages(measure)


OPERATIONS = {"add": _add, "remove": _remove, "move": _move, "reorder": _reorder,
              "reorder_chapters": _reorder_chapters, "note": _note, "goals": _goals, "cover": _cover,
              "paper": _paper, "measure": _measure}
