"""Health and readiness probes and the OpenAPI document (the home page is the web app's: gateway/web/)."""
from __future__ import annotations

from gateway.entrypoints import SPEC, api
from gateway.readiness import check_readiness


class ProbeRoutes:
    @api("GET", "/healthz", validate=False)
    def healthz(self, request):
        return {"status": "up"}

    @api("GET", "/readyz", validate=False)
    def readyz(self, request):
        proxies = {"catalog": self.catalog_rpc, "search": self.search_rpc,
                   "workbook": self.workbook_rpc, "progress": self.progress_rpc}
        ready, checks = check_readiness(self.documents, proxies)
        return (200 if ready else 503), {"status": "ready" if ready else "not_ready", "checks": checks}

    @api("GET", "/api/v1/openapi.json", validate=False)
    def openapi(self, request):
        return SPEC
