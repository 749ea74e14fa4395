"""Clients: the list (pseudonyms), create, and one page per client with one timeline, measure
charts (3 months / 6 months / all, item answers), measures on a schedule, portal links, FHIR and
JSON export, and deletion on request."""
from __future__ import annotations

from datetime import date, timedelta

from gateway.web.base import WebBase, see_other
from gateway.web.handler import page
from gateway.web.portal_language import PORTAL_LANGUAGES
from gateway.web.rendering import gettext_for
from gateway.web.tools import portal_base
from interlude.errors import InvalidInput

MEASURES = (("phq9", "PHQ-9"), ("gad7", "GAD-7"), ("pcl5", "PCL-5"), ("phq15", "PHQ-15"), ("k10", "K10"))
WINDOWS = ("3m", "6m", "all")


class ClientPages(WebBase):
    @page("GET", "/clients")
    def clients_page(self, request):
        actor = self.web_actor(request)
        rows = sorted(self.progress_rpc.dashboard(actor), key=lambda r: r["display_name"].lower())
        return self.show(request, "clients.html", rows=rows, error=None, name="")

    @page("POST", "/clients")
    def client_create(self, request):
        actor = self.web_actor(request)
        client = self.progress_rpc.create_client(actor, {"display_name": request.form.get("display_name", "")})
        return see_other(f"/clients/{client['id']}")

    @page("GET", "/clients/<string:client_id>")
    def client_page(self, request, client_id):
        actor = self.web_actor(request)
        client = self.progress_rpc.get_client(actor, client_id)
        window = request.args.get("window") if request.args.get("window") in WINDOWS else "all"
        charts = [self.progress_rpc.measure_view(actor, client_id, slug, window)
                  for slug in self.progress_rpc.measures_taken(actor, client_id)]
        timeline = list(reversed(self.progress_rpc.timeline(actor, client_id)))
        # a reviewed flag is withdrawn by a correction carrying the practitioner's note
        reviews = {e["id"]: e for e in timeline if e["type"] == "correction"}
        flags = [{**e, "acknowledged": reviews.get(e.get("superseded_by"))} for e in timeline
                 if e["type"] == "risk_flagged"]
        assignments = self.progress_rpc.list_assignments(actor, client_id)
        self.name_the_tools(actor, assignments, lambda a: (a.get("target") or {}).get("tool_id")
                            if a.get("kind") == "tool" else None)
        return self.show(request, "client.html", client=client, charts=charts, window=window, windows=WINDOWS,
                         timeline=timeline, assignments=assignments,
                         flags=flags, measures=MEASURES, due=(date.today() + timedelta(days=7)).isoformat(),
                         portal_languages=PORTAL_LANGUAGES, language_saved=request.args.get("language") == "saved")

    @page("POST", "/clients/<string:client_id>/measures")
    def client_assign_measure(self, request, client_id):
        _ = gettext_for(request)
        actor = self.web_actor(request)
        every = request.form.get("every_days") or ""
        try:
            recur = int(every) if every else None
        except ValueError:
            raise InvalidInput(_("every_days must be a whole number of days.")) from None
        made = self.progress_rpc.assign(actor, client_id, {"measure": request.form.get("measure", ""),
                                                           "due": request.form.get("due", ""), "recur": recur,
                                                           **self.assignment_timing(actor)})
        client = self.progress_rpc.get_client(actor, client_id)
        return self.show(request, "assign_done.html", tool={"title": made["assignment"]["title"]}, on_paper=False,
                         done=[{"client": client, "links": [f"{portal_base(self.settings)}/portal/{made['link']['token']}"],
                                "dues": [made["assignment"]["due"]]}])

    @page("POST", "/clients/<string:client_id>/assignments/<string:assignment_id>/link")
    def client_new_link(self, request, client_id, assignment_id):
        actor = self.web_actor(request)
        link = self.progress_rpc.issue_link(actor, assignment_id, self.assignment_timing(actor)["link_days"])
        client = self.progress_rpc.get_client(actor, client_id)
        return self.show(request, "assign_done.html", tool={"title": ""}, on_paper=False,
                         done=[{"client": client, "links": [f"{portal_base(self.settings)}/portal/{link['token']}"],
                                "dues": []}])

    @page("POST", "/clients/<string:client_id>/delete")
    def client_delete(self, request, client_id):
        _ = gettext_for(request)
        actor = self.web_actor(request)
        client = self.progress_rpc.get_client(actor, client_id)
        if (request.form.get("confirm_name") or "").strip() != client["display_name"]:
            raise InvalidInput(_("To delete this client's whole record, type their name exactly as shown."))
        self.progress_rpc.delete_client(actor, client_id)
        return see_other("/clients", deleted="1")
