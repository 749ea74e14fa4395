"""The workbook builder: problems and age -> the proposed plan with the reason for each tool ->
reorder (drag, or the keyboard with move buttons), remove, add from search -> goals and notes ->
render with live status -> download; earlier editions with what changed; assign as a pathway."""
from __future__ import annotations

import json
from datetime import date, timedelta

from gateway import idempotency
from gateway.web.base import WebBase, see_other
from gateway.web.catalogue import cached_taxonomy
from gateway.web.handler import page
from gateway.web.rendering import gettext_for
from gateway.web.tools import portal_base
from interlude.errors import InvalidInput

AGE_GROUPS = ("adult", "teen", "child")
LENGTHS = ("short", "standard", "long")


def _edits_from_form(form) -> list[dict]:
    """One edit from a button's op and fields (no JavaScript needed), or a JSON list from the
    drag-and-drop script."""
    if form.get("edits"):
        try:
            edits = json.loads(form["edits"])
        except ValueError:
            raise InvalidInput("edits must be a JSON list.") from None
        return edits if isinstance(edits, list) else [edits]
    op = form.get("op", "")
    if op == "move":
        return [{"op": "move", "tool_id": form.get("tool_id", ""), "position": int(form.get("position", "0") or 0),
                 **({"chapter": form["chapter"]} if form.get("chapter") else {})}]
    if op == "remove":
        return [{"op": "remove", "tool_id": form.get("tool_id", "")}]
    if op == "add":
        return [{"op": "add", "tool_id": form.get("tool_id", ""),
                 **({"chapter": form["chapter"]} if form.get("chapter") else {})}]
    if op == "goals":
        return [{"op": "goals", "goals": [g.strip() for g in form.get("goals", "").splitlines() if g.strip()]}]
    if op == "note":
        return [{"op": "note", "chapter": form.get("chapter", ""), "text": form.get("text", "")}]
    if op == "paper":
        return [{"op": "paper", "paper": form.get("paper", "a4")}]
    raise InvalidInput("Unknown change to the workbook.")


class WorkbookPages(WebBase):
    @page("GET", "/workbooks")
    def workbooks_page(self, request):
        actor = self.web_actor(request)
        return self.show(request, "workbooks.html", workbooks=self.workbook_rpc.list(actor))

    @page("GET", "/workbooks/new")
    def workbook_new(self, request):
        actor = self.web_actor(request)
        taxonomy = cached_taxonomy(self.catalog_rpc, actor)
        domains: dict[str, list] = {}
        for problem in taxonomy["problems"]:
            domains.setdefault(problem["domain"], []).append(problem)
        return self.show(request, "workbook_new.html", domains=sorted(domains.items()), ages=AGE_GROUPS,
                         lengths=LENGTHS, clients=self.progress_rpc.list_clients(actor),
                         chosen=request.args.getlist("problem"), client_id=request.args.get("client_id", ""))

    @page("POST", "/workbooks")
    def workbook_create(self, request):
        _ = gettext_for(request)
        actor = self.web_actor(request)
        client_id = request.form.get("client_id") or None
        client_name = (request.form.get("client_name") or "").strip()
        if client_id and not client_name:
            client_name = self.progress_rpc.get_client(actor, client_id)["display_name"]
        workbook = self.workbook_rpc.create(actor, {
            "client_name": client_name or _("My workbook"), "client_id": client_id,
            "problems": request.form.getlist("problem"), "age_group": request.form.get("age_group", "adult"),
            "length": request.form.get("length", "standard"),
            "goals": [g.strip() for g in (request.form.get("goals") or "").splitlines() if g.strip()]},
            idempotency.request_key(request))
        return see_other(f"/workbooks/{workbook['id']}")

    @page("GET", "/workbooks/<string:workbook_id>")
    def workbook_page(self, request, workbook_id):
        actor = self.web_actor(request)
        workbook = self.workbook_rpc.get(actor, workbook_id)
        q = (request.args.get("q") or "").strip()[:300]
        found = self.search_rpc.search(actor, {"q": q, "per_page": 8, "age": workbook["plan"]["age_group"],
                                                   "highlight": "false", "facets": "false"})["hits"] \
            if q else []
        editions = list(reversed(self.workbook_rpc.editions(actor, workbook_id)))
        job_id = request.args.get("job")
        job = self.workbook_rpc.job(actor, job_id) if job_id else None
        return self.show(request, "workbook.html", workbook=workbook, plan=workbook["plan"], q=q, found=found,
                         editions=editions, job=job, clients=self.progress_rpc.list_clients(actor),
                         start=(date.today() + timedelta(days=1)).isoformat())

    @page("POST", "/workbooks/<string:workbook_id>/edit")
    def workbook_edit(self, request, workbook_id):
        actor = self.web_actor(request)
        self.workbook_rpc.update(actor, workbook_id, {"edits": _edits_from_form(request.form)},
                                 idempotency.request_key(request))
        if self.is_htmx(request):
            workbook = self.workbook_rpc.get(actor, workbook_id)
            return self.show(request, "partials/plan.html", workbook=workbook, plan=workbook["plan"])
        anchor = request.form.get("tool_id") or request.form.get("chapter") or ""
        return see_other(f"/workbooks/{workbook_id}" + (f"#t-{anchor}" if anchor else ""))

    @page("POST", "/workbooks/<string:workbook_id>/render")
    def workbook_render(self, request, workbook_id):
        actor = self.web_actor(request)
        workbook = self.workbook_rpc.get(actor, workbook_id)
        people = self.auth.identity.cover_names(self.auth.actor(request), workbook["practitioner_id"])
        job = self.workbook_rpc.render(actor, workbook_id, people, idempotency.request_key(request))
        return see_other(f"/workbooks/{workbook_id}", job=job["id"])

    @page("GET", "/workbooks/<string:workbook_id>/jobs/<string:job_id>")
    def workbook_job_status(self, request, workbook_id, job_id):
        actor = self.web_actor(request)
        job = self.workbook_rpc.job(actor, job_id)
        if job["workbook_id"] != workbook_id:
            raise InvalidInput("This render job belongs to another workbook.")
        return self.show(request, "partials/job.html", workbook={"id": workbook_id}, job=job)

    @page("POST", "/workbooks/<string:workbook_id>/pathway")
    def workbook_pathway(self, request, workbook_id):
        """One chapter a week (its tools due together), the book's measure every two weeks."""
        _ = gettext_for(request)
        actor = self.web_actor(request)
        client_id = request.form.get("client_id") or ""
        if not client_id:
            raise InvalidInput(_("Choose the client this pathway is for."))
        plan = self.workbook_rpc.get(actor, workbook_id)["plan"]
        try:
            every = max(1, min(60, int(request.form.get("chapter_every_days") or 7)))
            measure_every = max(1, min(365, int(request.form.get("measure_every_days") or 14)))
        except ValueError:
            raise InvalidInput(_("Give the spacing as whole numbers of days.")) from None
        steps = [{"tool_id": tool["tool_id"], "offset_days": every * index, "title": tool["title"][:140]}
                 for index, chapter in enumerate(plan["chapters"]) for tool in chapter["tools"]]
        if plan.get("measure") and plan["measure"].get("slug"):
            steps.append({"measure": plan["measure"]["slug"], "offset_days": 0, "recur": measure_every})
        made = self.progress_rpc.assign_pathway(actor, client_id, {"start": request.form.get("start", ""),
                                                                   "steps": steps})
        client = self.progress_rpc.get_client(actor, client_id)
        return self.show(request, "assign_done.html", tool={"title": plan.get("problems") and ", ".join(
            p["name"] for p in plan["problems"]) or ""}, on_paper=False,
            done=[{"client": client, "links": [f"{portal_base(self.settings)}/portal/{m['link']['token']}" for m in made],
                   "dues": [m["assignment"]["due"] for m in made]}])
