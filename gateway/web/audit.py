"""The audit log page for clinic admins: filter by client, user and dates, page through the
entries (the same query as GET /api/v1/audit; practitioners get the 403 page)."""
from __future__ import annotations

from urllib.parse import urlencode

from gateway.routes.audit import audit_query
from gateway.web.base import WebBase
from gateway.web.handler import page

FILTERS = ("client_id", "user_id", "request_id", "from", "to")


class AuditPages(WebBase):
    @page("GET", "/audit")
    def audit_page(self, request):
        actor = self.web_actor(request)
        query = audit_query(request.args)
        found = self.progress_rpc.audit_log(actor, query)
        chosen = {name: query[name] for name in FILTERS if query.get(name)}

        def page_url(number: int) -> str:
            return "/audit?" + urlencode({**chosen, "page": number})

        last = max(1, -(-found["total"] // found["per_page"]))
        return self.show(request, "audit.html", entries=found["entries"], chosen=chosen, total=found["total"],
                         page=found["page"], last=last, page_url=page_url)
