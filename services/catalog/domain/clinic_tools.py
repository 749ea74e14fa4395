"""Clinic-authored tools: written by a clinic, visible only to that clinic, versioned, retirable.

Input is a structured form; every text is reduced to plain text (no markup survives), with limits
on length and count, because it is later laid out in PDFs and web pages.
"""
from __future__ import annotations

import re

from interlude import clock, request_keys
from interlude.actor import Actor
from interlude.errors import Conflict, InvalidInput, NotFound
from interlude.ports.documents import DocumentStore, TenantScope
from interlude.text import plain_text
from services.catalog.domain import versions

FORMATS = ("worksheet", "handout", "tracker", "audio", "game", "measure")
AGE_GROUPS = ("child", "teen", "adult")
FIELD_KINDS = ("lines", "scale", "checklist", "table")



def _choice(value, options, what: str) -> str:
    if value not in options:
        raise InvalidInput(f"{what} must be one of: {', '.join(options)}.")
    return value


_ORDERED = re.compile(r"^\s*\d+[.)]\s+(.*)$")
_SCALE = re.compile(r"^(.*?)\s*\(0\s*-\s*10\)\s*$")


def form_from_markdown(markdown: str) -> dict:
    """A clinic tool written as Markdown: ``# Title``, a first paragraph as the summary, numbered
    lines as the steps, and under a ``## Your turn`` heading one field per bullet: ``- label``
    gives lines to write on, ``- label (0-10)`` a 0-10 scale, ``- [ ] label`` a box to tick.
    Anything else is ignored; the result is cleaned like any form."""
    if not isinstance(markdown, str) or len(markdown) > 20_000:
        raise InvalidInput("markdown must be text of at most 20,000 characters.")
    title, summary, steps, fields, in_fields, paragraph = "", "", [], [], False, []
    for line in markdown.splitlines() + [""]:
        stripped = line.strip()
        if stripped.startswith("# ") and not title:
            title = stripped[2:]
        elif stripped.startswith("## "):
            in_fields = "your turn" in stripped.lower()
        elif _ORDERED.match(stripped):
            steps.append(_ORDERED.match(stripped).group(1))
        elif in_fields and stripped.startswith(("- ", "* ")):
            label = stripped[2:].strip()
            if label.startswith("[ ]"):
                fields.append({"label": label[3:].strip(), "kind": "checklist"})
            elif _SCALE.match(label):
                fields.append({"label": _SCALE.match(label).group(1), "kind": "scale"})
            else:
                fields.append({"label": label, "kind": "lines"})
        elif stripped and title and not summary:
            paragraph.append(stripped)
        elif not stripped and paragraph and not summary:
            summary = " ".join(paragraph)
    if not title:
        raise InvalidInput("Start the Markdown with a `# Title` line.")
    return {"title": title, "summary": summary, "instructions": steps, "fields": fields}


def clean_form(form: dict) -> dict:
    if not isinstance(form, dict):
        raise InvalidInput("The tool must be an object.")
    if "markdown" in form:
        extras = {k: v for k, v in form.items() if k != "markdown"}
        form = {**extras, **form_from_markdown(form["markdown"])}
    steps = form.get("instructions") or []
    if not isinstance(steps, list) or not 1 <= len(steps) <= 12:
        raise InvalidInput("instructions must be a list of 1 to 12 steps.")
    fields = form.get("fields") or []
    if not isinstance(fields, list) or len(fields) > 20:
        raise InvalidInput("fields must be a list of at most 20 fields.")
    problems = form.get("problems") or []
    if not isinstance(problems, list) or len(problems) > 10:
        raise InvalidInput("problems must be a list of at most 10 problem slugs.")
    return {
        "title": plain_text(form.get("title"), "title", max_len=140),
        "summary": plain_text(form.get("summary"), "summary", max_len=600),
        "instructions": [plain_text(s, f"instruction {i + 1}", max_len=600) for i, s in enumerate(steps)],
        "fields": [_clean_field(f, i) for i, f in enumerate(fields)],
        "problems": [plain_text(p, "problem", max_len=60) for p in problems],
        "format": _choice(form.get("format", "worksheet"), FORMATS, "format"),
        "age_group": _choice(form.get("age_group", "adult"), AGE_GROUPS, "age_group"),
        "approach": plain_text(form.get("approach", ""), "approach", max_len=40, required=False),
    }


def _clean_field(field, index: int) -> dict:
    if not isinstance(field, dict):
        raise InvalidInput(f"field {index + 1} must be an object.")
    cleaned = {"label": plain_text(field.get("label"), f"field {index + 1} label", max_len=200),
               "kind": _choice(field.get("kind", "lines"), FIELD_KINDS, f"field {index + 1} kind")}
    if cleaned["kind"] == "checklist":
        cleaned["options"] = [cleaned["label"]]
    elif cleaned["kind"] == "scale":
        cleaned.update(low="0 = not at all", high="10 = the most I can imagine")
    return cleaned


def clinic_tool_search_document(tool: dict) -> dict:
    """What the search service indexes for this tool."""
    return {
        "id": tool["id"], "clinic_id": tool["clinic_id"], "title": tool["title"],
        "summary": tool["summary"], "body": " ".join(tool["instructions"]),
        "problem_names": tool["problems"], "lay_phrases": [], "problems": tool["problems"],
        "technique": "", "approach": tool["approach"], "format": tool["format"],
        "age_group": tool["age_group"], "phase": "", "source": "clinic",
    }


class ClinicTools:
    def __init__(self, store: DocumentStore, actor: Actor):
        self.actor = actor
        self.store = store
        self.tools = TenantScope(store.collection("clinic_tools"), actor.clinic_id)
        self.versions = TenantScope(store.collection("clinic_tool_versions"), actor.clinic_id)

    def create(self, form: dict, request_key: str | None = None) -> dict:
        """``request_key``: the same key again (a redelivered request) returns the tool it made."""
        content = clean_form(form)
        tool = {"id": request_keys.keyed_id("ct", self.actor.clinic_id, request_key), **content, "version": 1,
                "status": "published", "source": "clinic", "created_by": self.actor.user_id,
                "created_at": clock.iso(), "updated_at": clock.iso()}
        try:
            tool = self.tools.insert(tool)
        except Conflict:
            first = self.tools.get(tool["id"]) if request_key is not None else None
            if first is None or first["created_by"] != self.actor.user_id:
                raise Conflict("This request key was already used for another request.") from None
            return first
        self._keep_version(tool, request_key)
        self._changed()
        return tool

    def get(self, tool_id: str) -> dict:
        return self.tools.get_or_raise(tool_id, "clinic tool")

    def list(self, *, include_retired: bool = False) -> list[dict]:
        where = {} if include_retired else {"status": "published"}
        return self.tools.find(where, sort=[("updated_at", -1)])

    def update(self, tool_id: str, form: dict, request_key: str | None = None) -> dict:
        """A new version. ``request_key``: a version already made with this key is not made again."""
        current = self.get(tool_id)
        if request_keys.check(request_key) is not None and self.versions.find(
                {"tool_id": tool_id, "request_key": request_key}, limit=1):
            return current
        if current["status"] != "published":
            raise InvalidInput("A retired tool cannot be edited.")
        changes = {**clean_form(form), "version": current["version"] + 1, "updated_at": clock.iso()}
        tool = self.tools.update(tool_id, changes, expect={"version": current["version"]})
        if tool is None:
            raise NotFound("The tool changed or disappeared meanwhile: reload it and try again.")
        self._keep_version(tool, request_key)
        self._changed()
        return tool

    def retire(self, tool_id: str) -> dict:
        self.get(tool_id)
        tool = self.tools.update(tool_id, {"status": "retired", "updated_at": clock.iso()})
        self._changed()
        return tool

    def _changed(self) -> None:
        """Stamp the clinic's tools as changed, after the write (see domain/versions.py)."""
        versions.bump(self.store, versions.clinic_key(self.actor.clinic_id))

    def _keep_version(self, tool: dict, request_key: str | None = None) -> None:
        """Each version's record, with the key of the request that made it (see ``update``)."""
        self.versions.insert({**tool, "id": f"{tool['id']}@{tool['version']}", "tool_id": tool["id"],
                              "request_key": request_key})
