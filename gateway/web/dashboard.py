"""The first page after login: risk flags first (each acknowledged with a note), submissions to
review, overdue and due-this-week homework, the last workbooks."""
from __future__ import annotations

from gateway.web.base import WebBase, safe_next, see_other
from gateway.web.clients import MEASURES
from gateway.web.handler import page

LAST_WORKBOOKS = 5


class DashboardPages(WebBase):
    @page("GET", "/")
    def dashboard_page(self, request):
        actor = self.web_actor(request)
        overview = self.progress_rpc.practice_overview(actor)
        self.name_the_tools(actor, overview["inbox"] + overview["overdue"] + overview["due_this_week"],
                            lambda item: item.get("tool_id"))
        workbooks = self.workbook_rpc.list(actor)[:LAST_WORKBOOKS]
        open_flags = [f for f in overview["risk_flags"] if not f["acknowledged"]]
        return self.show(request, "dashboard.html", overview=overview, open_flags=open_flags,
                         seen_flags=[f for f in overview["risk_flags"] if f["acknowledged"]], workbooks=workbooks,
                         measure_names=dict(MEASURES),
                         checklist=self.admin_checklist(actor))   # a clinic admin's first visit: gateway/web/admin_clinic.py

    @page("POST", "/clients/<string:client_id>/flags/<string:event_id>/acknowledge")
    def acknowledge_flag(self, request, client_id, event_id):
        actor = self.web_actor(request)
        self.progress_rpc.review_risk_flag(actor, client_id, event_id, request.form.get("note", ""))
        return see_other(safe_next(request.form.get("next"), "/"))
