"""HTTP gateway: versioned REST under /api/v1 in front of the services (RPC), the client portal's
pages, and health probes.

The routes live by audience and resource in gateway/routes/ (nameko's @http entrypoints must be
methods of the service class, so each module is a mixin of this class); this class holds what
they share: the dependencies and the RPC proxies. Each handler authenticates, parses, makes one
or two RPC calls carrying the acting user and clinic, and returns plain data;
``entrypoints.ApiHandler`` does validation, JSON and errors.
"""
from __future__ import annotations

from gateway.auth import Auth
from gateway.conditional import KeptAnswers
from gateway.routes.accounts import AccountRoutes
from gateway.routes.api_keys import ApiKeyRoutes
from gateway.routes.audit import AuditRoutes
from gateway.routes.admin import AdminRoutes
from gateway.routes.catalogue import CatalogueRoutes
from gateway.routes.clients import ClientRoutes
from gateway.routes.files import FileRoutes
from gateway.routes.paper import PaperRoutes
from gateway.routes.portal import PortalRoutes
from gateway.routes.probes import ProbeRoutes
from gateway.routes.record import RecordRoutes
from gateway.routes.search import SearchRoutes
from gateway.routes.webhooks import WebhookRoutes
from gateway.routes.workbooks import WorkbookRoutes
from gateway.web import WebApp
from interlude.metrics import Metrics
from interlude.nameko_deps import Blobs, Config, Documents, RequestContext
from interlude.rpc_timeouts import TimedRpcProxy


class GatewayService(ProbeRoutes, AccountRoutes, CatalogueRoutes, WorkbookRoutes, ClientRoutes, RecordRoutes,
                     PortalRoutes, SearchRoutes, FileRoutes, ApiKeyRoutes, WebhookRoutes, AuditRoutes,
                     PaperRoutes, WebApp, AdminRoutes):   # WebApp: the web app's pages, gateway/web/
    name = "gateway"
    # Its workers mostly wait on services (each wait bounded by the RPC timeout): many are cheap.
    max_workers = 100

    documents = Documents()
    blobs = Blobs()
    settings = Config()
    auth = Auth()
    catalogue_reads = KeptAnswers()     # catalogue answers, until the catalog's events say otherwise
    search_answers = KeptAnswers()      # search answers, until the search service's events do
    request_id = RequestContext()
    metrics = Metrics()                 # RPC, event and timer workers (HTTP: gateway/http_metrics.py)
    catalog_rpc = TimedRpcProxy("catalog")
    search_rpc = TimedRpcProxy("search")
    workbook_rpc = TimedRpcProxy("workbook")
    progress_rpc = TimedRpcProxy("progress")
