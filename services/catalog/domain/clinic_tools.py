"""Clinic-authored tools: written by a clinic, visible only to that clinic, versioned, retirable.

Input is a structured form; every text is reduced to plain text (no markup survives), with limits
on length and count, because it is later laid out in PDFs and web pages.
"""
from __future__ import annotations

from interlude import clock, request_keys
from interlude.actor import Actor
from interlude.errors import Conflict, InvalidInput, NotFound
from interlude.ports.documents import DocumentStore, TenantScope
from interlude.text import plain_text
from services.catalog.domain import versions
from services.catalog.domain.clinic_tool_markdown import MAX_MARKDOWN, form_from_markdown

FORMATS = ("worksheet", "handout", "tracker", "audio", "game", "measure")
AGE_GROUPS = ("child", "teen", "adult")
FIELD_KINDS = ("lines", "list", "scale", "checklist", "table")
MAX_OPTIONS = 20
MAX_COLUMNS = 6



def _choice(value, options, what: str) -> str:
    if value not in options:
        raise InvalidInput(f"{what} must be one of: {', '.join(options)}.")
    return value


def clean_form(form: dict) -> dict:
    if not isinstance(form, dict):
        raise InvalidInput("The tool must be an object.")
    source = None
    if "markdown" in form:
        extras = {k: v for k, v in form.items() if k != "markdown"}
        form = {**extras, **form_from_markdown(form["markdown"])}
        source = form["markdown"]
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
        # the Markdown it was written in, so that the next version opens in it again
        "markdown": source[:MAX_MARKDOWN] if source is not None else "",
    }


def _count(value, default: int, low: int, high: int, what: str) -> int:
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise InvalidInput(f"{what} must be a whole number from {low} to {high}.") from None
    if not low <= number <= high:
        raise InvalidInput(f"{what} must be a whole number from {low} to {high}.")
    return number


def _texts(values, what: str, *, most: int, max_len: int) -> list[str]:
    if not isinstance(values, list) or len(values) > most:
        raise InvalidInput(f"{what} must be a list of at most {most}.")
    return [plain_text(v, what, max_len=max_len) for v in values]


def _clean_field(field, index: int) -> dict:
    """One field the client fills in. ``lines``: ``lines`` to write on (1-12); ``list``: ``count``
    numbered entries (1-12); ``checklist``: ``options``, a box each (the label alone by default);
    ``scale``: 0-10; ``table``: ``columns`` (1-6) and ``rows`` (1-14)."""
    if not isinstance(field, dict):
        raise InvalidInput(f"field {index + 1} must be an object.")
    what = f"field {index + 1}"
    # An id by position, as the catalogue's fields have: the portal's form, a draft, the fillable
    # PDF and the record key answers by it (a label such as "What is on my mind?" is no id).
    cleaned = {"id": f"field_{index + 1}", "label": plain_text(field.get("label"), f"{what} label", max_len=200),
               "kind": _choice(field.get("kind", "lines"), FIELD_KINDS, f"{what} kind")}
    kind = cleaned["kind"]
    if kind == "lines":
        cleaned["lines"] = _count(field.get("lines"), 3, 1, 12, f"{what} lines")
    elif kind == "list":
        # ``lines`` too: a page that does not know lists shows a box of that many lines
        cleaned["count"] = cleaned["lines"] = _count(field.get("count"), 5, 1, 12, f"{what} count")
    elif kind == "checklist":
        options = _texts(field.get("options") or [cleaned["label"]], f"{what} options", most=MAX_OPTIONS,
                         max_len=200)
        cleaned["options"] = options or [cleaned["label"]]
    elif kind == "scale":
        cleaned.update(low="0 = not at all", high="10 = the most I can imagine")
    elif kind == "table":
        columns = _texts(field.get("columns") or ["Notes"], f"{what} columns", most=MAX_COLUMNS, max_len=60)
        cleaned["columns"] = columns or ["Notes"]
        cleaned["rows"] = _count(field.get("rows"), 5, 1, 14, f"{what} rows")
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


def _as_tool(kept: dict) -> dict:
    """A kept version record as the tool it was (its own id, without the record's keys)."""
    tool = {k: v for k, v in kept.items() if k not in ("tool_id", "request_key")}
    return {**tool, "id": kept["tool_id"]}


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

    def version(self, tool_id: str, number: int) -> dict:
        """One version as it was published: readable after newer versions and after retirement,
        for the assignments and workbooks that used it."""
        self.get(tool_id)
        if isinstance(number, bool) or not isinstance(number, int):
            raise InvalidInput("version must be a whole number.")
        found = self.versions.get(f"{tool_id}@{number}")
        if found is None:
            raise NotFound(f"This tool has no version {number}.")
        return _as_tool(found)

    def history(self, tool_id: str) -> list[dict]:
        """Every version, newest first: number, title, when and by whom."""
        self.get(tool_id)
        kept = self.versions.find({"tool_id": tool_id}, sort=[("version", -1)])
        return [{"version": v["version"], "title": v["title"], "updated_at": v["updated_at"],
                 "created_by": v["created_by"]} for v in kept]

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

    def draft(self, form: dict, tool_id: str | None = None) -> dict:
        """The tool this form would publish, not stored (for a preview); ``tool_id``: a new
        version of this tool, which must be one of the clinic's."""
        base = self.get(tool_id) if tool_id else {"id": "ct_draft", "version": 0}
        return {**clean_form(form), "id": base["id"], "version": base["version"] + 1, "status": "draft",
                "source": "clinic", "clinic_id": self.actor.clinic_id}

    def _changed(self) -> None:
        """Stamp the clinic's tools as changed, after the write (see domain/versions.py)."""
        versions.bump(self.store, versions.clinic_key(self.actor.clinic_id))

    def _keep_version(self, tool: dict, request_key: str | None = None) -> None:
        """Each version's record, with the key of the request that made it (see ``update``)."""
        self.versions.insert({**tool, "id": f"{tool['id']}@{tool['version']}", "tool_id": tool["id"],
                              "request_key": request_key})
