"""The clinic's own tools: write one in Markdown or in the form with a live preview of its PDF,
publish it, publish a new version (earlier ones stay readable where they were used), retire it.

The preview is an htmx partial: the editor posts the draft a moment after typing stops
(one at a time, only the newest draft waiting: hx-sync "queue last"; static/js/clinic_tools.js
drops an answer older than the newest one asked for), the catalog service renders it with the tool PDFs' renderer in
a child process and draws the pages, and a mistake is shown beside the field it is about while the
last good preview stays. Every page works without JavaScript: "Preview" and "Add a field" post the
whole editor back. Who may write follows the API (the catalog service's rules).
"""
from __future__ import annotations

import re

from nameko.exceptions import RemoteError

from gateway import idempotency
from gateway.web.base import WebBase, see_other
from gateway.web.catalogue import cached_taxonomy
from gateway.web.handler import page
from gateway.web.rendering import gettext_for

MODES = ("markdown", "form")
FORMATS = ("worksheet", "handout", "tracker")
AGE_GROUPS = ("adult", "teen", "child")
FIELD_KINDS = ("lines", "list", "scale", "checklist", "table")
MAX_FIELDS = 20
BLANK_FIELDS = 2
# Errors the author can fix in the draft; anything else is the platform's, shown as an error page.
DRAFT_ERRORS = ("InvalidInput", "RenderLimitExceeded", "DocumentNotRenderable", "PayloadTooLarge")
STARTER = """# A title for the tool

One or two sentences saying what the tool is for and when to use it.

1. The first step.
2. The next step.

## Your turn
- A question to write about (3 lines)
- How strong is the feeling now? (0-10)
- Three things to try (list of 3)
- [ ] A box to tick
"""


def _split(text: str) -> list[str]:
    """Options or columns typed one per line or separated by commas."""
    return [part.strip() for part in re.split(r"[\n,]", text or "") if part.strip()]


def draft_of(form) -> dict:
    """The editor's fields as the API's tool form (Markdown, or the structured form)."""
    common = {"problems": [p for p in form.getlist("problems") if p][:10],
              "age_group": form.get("age_group") or "adult", "format": form.get("format") or "worksheet",
              "approach": (form.get("approach") or "").strip()}
    if form.get("mode") != "form":
        return {"markdown": form.get("markdown") or "", **common}
    fields = []
    for index in range(min(_int(form.get("field_rows"), 0), MAX_FIELDS)):
        label = (form.get(f"field-{index}-label") or "").strip()
        if not label:
            continue
        kind = form.get(f"field-{index}-kind") or "lines"
        field = {"label": label, "kind": kind}
        count, detail = form.get(f"field-{index}-count") or None, form.get(f"field-{index}-detail") or ""
        if kind in ("lines", "list", "table") and count:
            field[{"lines": "lines", "list": "count", "table": "rows"}[kind]] = count
        if kind == "checklist" and _split(detail):
            field["options"] = _split(detail)
        if kind == "table" and _split(detail):
            field["columns"] = _split(detail)
        fields.append(field)
    steps = [line.strip() for line in (form.get("steps") or "").splitlines() if line.strip()]
    return {"title": form.get("title") or "", "summary": form.get("summary") or "", "instructions": steps,
            "fields": fields, **common}


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def error_slot(message: str, mode: str) -> str:
    """The id of the place beside the field an error message is about."""
    for prefix, slot in (("problem", "problems"), ("format", "format"), ("age_group", "age_group"),
                         ("approach", "approach")):
        if message.startswith(prefix):
            return slot
    if mode != "form":
        return "markdown"
    if match := re.match(r"field (\d+)", message):
        return f"field-{int(match.group(1)) - 1}"
    for prefix, slot in (("title", "title"), ("summary", "summary"), ("instruction", "steps")):
        if message.startswith(prefix):
            return slot
    return "draft"


def slots_of(mode: str, rows: int) -> list[str]:
    """The error places the editor has in this mode (each preview answer refills them all)."""
    common = ["draft", "problems", "format", "age_group", "approach"]
    if mode != "form":
        return common + ["markdown"]
    return common + ["title", "summary", "steps"] + [f"field-{i}" for i in range(min(rows, MAX_FIELDS))]


def editor_rows(draft: dict, extra: int = BLANK_FIELDS) -> list[dict]:
    """The form mode's field rows: the draft's fields, then blank ones to fill."""
    rows = []
    for field in draft.get("fields") or []:
        detail = field.get("options") if field.get("kind") == "checklist" else field.get("columns")
        count = field.get("lines") if field.get("kind") == "lines" else field.get("count") or field.get("rows")
        rows.append({"label": field.get("label", ""), "kind": field.get("kind", "lines"),
                     "detail": ", ".join(detail or []) if detail and detail != [field.get("label")] else "",
                     "count": count or ""})
    rows += [{"label": "", "kind": "lines", "detail": "", "count": ""}] * extra
    return rows[:MAX_FIELDS]


class ClinicToolPages(WebBase):
    @page("GET", "/clinic-tools")
    def clinic_tools_page(self, request):
        actor = self.web_actor(request)
        tools = self.catalog_rpc.list_clinic_tools(actor, True)
        return self.show(request, "clinic_tools.html", published=[t for t in tools if t["status"] == "published"],
                         retired=[t for t in tools if t["status"] != "published"])

    @page("GET", "/clinic-tools/new")
    def clinic_tool_new(self, request):
        actor = self.web_actor(request)
        mode = request.args.get("mode") if request.args.get("mode") in MODES else "markdown"
        draft = {"markdown": STARTER} if mode == "markdown" else {"fields": []}
        return self._editor(request, actor, mode, draft, tool=None)

    @page("GET", "/clinic-tools/<string:tool_id>/edit")
    def clinic_tool_edit(self, request, tool_id):
        actor = self.web_actor(request)
        tool = self.catalog_rpc.get_clinic_tool(actor, tool_id)
        wanted = request.args.get("mode")
        mode = wanted if wanted in MODES else ("markdown" if tool.get("markdown") else "form")
        draft = dict(tool)
        if mode == "markdown" and not tool.get("markdown"):
            draft["markdown"] = markdown_of(tool)
        return self._editor(request, actor, mode, draft, tool=tool)

    @page("POST", "/clinic-tools/editor")
    def clinic_tool_editor(self, request):
        """Publish (a new tool, or a new version with ``tool_id``), or, without JavaScript, show
        the preview or one more field row. A mistake comes back beside its field, nothing lost."""
        actor = self.web_actor(request)
        form = request.form
        mode = form.get("mode") if form.get("mode") in MODES else "markdown"
        tool_id = form.get("tool_id") or None
        tool = self.catalog_rpc.get_clinic_tool(actor, tool_id) if tool_id else None
        draft = draft_of(form)
        action = form.get("action")
        if action == "publish":
            key = idempotency.request_key(request, form.get("request_key"))
            try:
                if tool is None:
                    made = self.catalog_rpc.create_clinic_tool(actor, draft, key)
                else:
                    made = self.catalog_rpc.update_clinic_tool(actor, tool["id"], draft, key)
            except RemoteError as exc:
                if exc.exc_type not in DRAFT_ERRORS:
                    raise
                return self._editor(request, actor, mode, draft, tool=tool, error=exc.value, status=400,
                                    request_key=key)
            self._forget_answers(made["clinic_id"])            # the author reads their own write
            return see_other(f"/tools/{made['id']}", published=made["version"])
        extra = BLANK_FIELDS + (1 if action == "add_field" else 0)
        preview, error = (self._preview(request, actor, draft, tool_id) if action == "preview" else (None, None))
        return self._editor(request, actor, mode, draft, tool=tool, preview=preview, error=error,
                            extra=extra, request_key=form.get("request_key"))

    @page("POST", "/clinic-tools/preview")
    def clinic_tool_preview(self, request):
        """The htmx partial: the pages, or (the last good pages kept) the mistake beside its field."""
        actor = self.web_actor(request)
        mode = request.form.get("mode") if request.form.get("mode") in MODES else "markdown"
        preview, error = self._preview(request, actor, draft_of(request.form), request.form.get("tool_id") or None)
        headers = {"X-Preview-Seq": str(_int(request.form.get("preview_seq"), 0))}
        if error:
            headers["HX-Reswap"] = "none"       # the error slots are swapped out of band
        response = self.show(request, "partials/clinic_tool_preview.html", preview=preview, error=error,
                             slot=error_slot(error, mode) if error else None,
                             slots=slots_of(mode, _int(request.form.get("field_rows"), 0)))
        response.headers.update(headers)
        return response

    @page("POST", "/clinic-tools/<string:tool_id>/retire")
    def clinic_tool_retire(self, request, tool_id):
        actor = self.web_actor(request)
        retired = self.catalog_rpc.retire_clinic_tool(actor, tool_id)
        self._forget_answers(retired["clinic_id"])
        return see_other(f"/tools/{tool_id}")

    @page("GET", "/clinic-tools/<string:tool_id>/versions/<int:version>.pdf")
    def clinic_tool_version_pdf(self, request, tool_id, version):
        actor = self.web_actor(request)
        clinic_name = self.auth.identity.clinic(self.auth.actor(request))["name"]
        return self._download(self.catalog_rpc.clinic_tool_version_pdf(actor, tool_id, version, "a4", clinic_name))

    # ---------------------------------------------------------------------------------------
    def _preview(self, request, actor: dict, draft: dict, tool_id: str | None) -> tuple[dict | None, str | None]:
        clinic_name = self.auth.identity.clinic(self.auth.actor(request))["name"]   # as on the tool's PDF
        try:
            return self.catalog_rpc.preview_clinic_tool(actor, draft, tool_id, clinic_name), None
        except RemoteError as exc:
            if exc.exc_type not in DRAFT_ERRORS:
                raise
            return None, exc.value

    def _editor(self, request, actor: dict, mode: str, draft: dict, *, tool: dict | None, preview=None,
                error: str | None = None, status: int = 200, extra: int = BLANK_FIELDS, request_key=None):
        _ = gettext_for(request)
        taxonomy = cached_taxonomy(self.catalog_rpc, actor)
        history = self.catalog_rpc.clinic_tool_history(actor, tool["id"]) if tool else []
        return self.show(request, "clinic_tool_editor.html", status=status, mode=mode, draft=draft, tool=tool,
                         rows=editor_rows(draft, extra), kinds=FIELD_KINDS, formats=FORMATS, age_groups=AGE_GROUPS,
                         problems=taxonomy["problems"], preview=preview, error=error,
                         slot=error_slot(error, mode) if error else None, history=history,
                         request_key=request_key or idempotency.new_key(),
                         kind_names={"lines": _("Lines to write on"), "list": _("A numbered list"),
                                     "scale": _("A 0-10 scale"), "checklist": _("Boxes to tick"),
                                     "table": _("A table")})


def markdown_of(tool: dict) -> str:
    """A tool written in the form, as Markdown (to carry on in Markdown from a form version)."""
    lines = [f"# {tool.get('title', '')}", "", tool.get("summary", ""), ""]
    lines += [f"{number}. {step}" for number, step in enumerate(tool.get("instructions") or [], start=1)]
    fields = tool.get("fields") or []
    if fields:
        lines += ["", "## Your turn"]
    for field in fields:
        kind, label = field.get("kind"), field.get("label", "")
        if kind == "scale":
            lines.append(f"- {label} (0-10)")
        elif kind == "list":
            lines.append(f"- {label} (list of {field.get('count', 5)})")
        elif kind == "checklist" and field.get("options") not in (None, [label]):
            lines.append(f"- {label}")
            lines += [f"  - [ ] {option}" for option in field["options"]]
        elif kind == "checklist":
            lines.append(f"- [ ] {label}")
        elif kind == "table":
            columns = field.get("columns") or ["Notes"]
            lines += ["", label, "| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
            lines += ["|" + " |" * len(columns)] * int(field.get("rows") or 5)
            lines.append("")
        else:
            lines.append(f"- {label} ({field.get('lines', 3)} lines)")
    return "\n".join(lines) + "\n"
