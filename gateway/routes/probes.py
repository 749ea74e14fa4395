"""Health and readiness probes, the OpenAPI document and the home page."""
from __future__ import annotations

from werkzeug.wrappers import Response

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

    @api("GET", "/", validate=False)
    def home(self, request):
        return Response(HOME_PAGE, mimetype="text/html")


HOME_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Interlude</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}
code{background:#f3f3f3;padding:.1rem .3rem}</style></head><body>
<h1>Interlude</h1><p>Therapeutic homework for your clients, and a record of how it goes.</p>
<p>The API lives under <code>/api/v1</code>; its OpenAPI document is at
<a href="/api/v1/openapi.json">/api/v1/openapi.json</a>. Log in with
<code>POST /api/v1/auth/login</code>. The web app arrives in a later release.</p></body></html>"""
