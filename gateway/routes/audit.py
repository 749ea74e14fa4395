"""The audit log for clinic admins: who read or changed which client's data, when, from where
(owned by the progress service; practitioners get 403)."""
from __future__ import annotations

from gateway.entrypoints import api

QUERY = ("client_id", "user_id", "request_id", "from", "to", "page", "per_page")


def audit_query(args) -> dict:
    return {name: args.get(name) for name in QUERY if args.get(name)}


class AuditRoutes:
    @api("GET", "/api/v1/audit")
    def audit_log(self, request):
        return self.progress_rpc.audit_log(self.auth.actor_dict(request), audit_query(request.args))
