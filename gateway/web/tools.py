"""A tool's page: what it is, its pages as thumbnails, download on A4 or Letter, audio, similar
tools; assign it to one or several clients (due date, weekly repeats, a warning when a client
already has it); add it to a workbook."""
from __future__ import annotations

from datetime import date, timedelta

from nameko.exceptions import RemoteError

from gateway import idempotency
from gateway.web.base import WebBase, see_other
from gateway.web.handler import page
from gateway.web.rendering import gettext_for
from interlude.errors import InvalidInput

SIMILAR = 6
MAX_REPEATS = 12


def portal_base(settings) -> str:
    """Where clients open their links: the published URL (INTERLUDE_PUBLIC_URL), never the Host header."""
    return settings.public_url.rstrip("/")


def default_due() -> str:
    return (date.today() + timedelta(days=7)).isoformat()


class ToolPages(WebBase):
    @page("GET", "/tools/<string:tool_id>")
    def tool_page(self, request, tool_id):
        actor = self.web_actor(request)
        tool = self._tool(actor, tool_id)
        try:
            similar = self.search_rpc.similar(actor, tool["id"], {"limit": SIMILAR})["hits"]
        except RemoteError as exc:   # a clinic tool the index has not taken in yet
            if exc.exc_type != "NotFound":
                raise
            similar = []
        profile = self.auth.identity.clinic_profile(actor["clinic_id"])
        clients = self.progress_rpc.list_clients(actor)
        workbooks = self.workbook_rpc.list(actor)
        shelf = self.catalog_rpc.tool_opened(actor, tool["id"])
        return self.show(request, "tool.html", tool=tool, similar=similar, clients=clients, workbooks=workbooks,
                         due=default_due(), favourite=tool["id"] in shelf["favourites"], request_args=request.args,
                         pages=self.catalog_rpc.tool_page_count(actor, tool["id"], profile.name, profile.pdf_branding()),
                         # the thumbnails' URLs change with the branding: a browser's kept copy is not shown after it
                         brand_version=profile.branding_version())

    def _tool(self, actor: dict, tool_id: str) -> dict:
        """A catalogue tool, or one of the clinic's own (ids starting ct_)."""
        if tool_id.startswith("ct_"):
            return self.catalog_rpc.get_clinic_tool(actor, tool_id)
        return self.catalog_rpc.get_tool(actor, tool_id)

    @page("GET", "/tools/<string:tool_id>/pages/<int:number>.png")
    def tool_thumbnail(self, request, tool_id, number):
        actor = self.web_actor(request)
        profile = self.auth.identity.clinic_profile(actor["clinic_id"])
        response = self._download(self.catalog_rpc.tool_thumbnail(actor, tool_id, number, profile.name,
                                                                  profile.pdf_branding()))
        response.headers["Cache-Control"] = "private, max-age=3600"
        return response

    @page("POST", "/tools/<string:tool_id>/assign")
    def tool_assign(self, request, tool_id):
        _ = gettext_for(request)
        actor = self.web_actor(request)
        tool = self._tool(actor, tool_id)
        if tool.get("status", "published") != "published":
            raise InvalidInput(_("This tool is retired: it stays readable where it was used, but cannot be assigned again."))
        client_ids = [c for c in request.form.getlist("client_id") if c][:50]
        if not client_ids:
            raise InvalidInput(_("Choose at least one client."))
        due = request.form.get("due") or default_due()
        try:
            repeats = max(1, min(MAX_REPEATS, int(request.form.get("repeats") or 1)))
        except ValueError:
            raise InvalidInput(_("repeats must be a whole number of weeks.")) from None
        on_paper = request.form.get("mode") == "paper"
        already = []
        if request.form.get("confirm") != "yes":
            for client_id in client_ids:
                mine = self.progress_rpc.list_assignments(actor, client_id)
                if any((a.get("target") or {}).get("tool_id") == tool["id"] and a["state"]["status"] != "revoked"
                       for a in mine):
                    already.append(self.progress_rpc.get_client(actor, client_id))
        if already:
            return self.show(request, "assign_confirm.html", tool=tool, already=already,
                             client_ids=client_ids, due=due, repeats=repeats, mode=request.form.get("mode", "online"))
        done = []
        # A clinic tool's link keeps the version assigned now, after newer ones are published.
        version = {"tool_version": tool["version"]} if tool.get("source") == "clinic" else {}
        for client_id in client_ids:
            steps = [{"tool_id": tool["id"], "offset_days": 7 * week, "title": tool["title"][:140], **version}
                     for week in range(repeats)]
            made = self.progress_rpc.assign_pathway(actor, client_id, {"start": due, "steps": steps,
                                                                       **self.assignment_timing(actor)})
            client = self.progress_rpc.get_client(actor, client_id)
            done.append({"client": client, "links": [f"{portal_base(self.settings)}/portal/{m['link']['token']}"
                                                     for m in made],
                         "dues": [m["assignment"]["due"] for m in made]})
        return self.show(request, "assign_done.html", tool=tool, done=done, on_paper=on_paper)

    @page("POST", "/tools/<string:tool_id>/add-to-workbook")
    def tool_add_to_workbook(self, request, tool_id):
        _ = gettext_for(request)
        actor = self.web_actor(request)
        workbook_id = request.form.get("workbook_id") or ""
        if not workbook_id:
            raise InvalidInput(_("Choose a workbook."))
        self.workbook_rpc.update(actor, workbook_id, {"edits": [{"op": "add", "tool_id": tool_id}]},
                                 idempotency.request_key(request))
        return see_other(f"/workbooks/{workbook_id}", added=tool_id)

    @page("POST", "/tools/<string:tool_id>/favourite")
    def tool_favourite(self, request, tool_id):
        actor = self.web_actor(request)
        self.catalog_rpc.toggle_favourite(actor, tool_id)
        return see_other(f"/tools/{tool_id}")
