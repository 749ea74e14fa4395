"""The practitioner web app: server-rendered pages on the same services as the JSON API.

Each area's routes are a mixin class (nameko's @http entrypoints must be methods of the service
class); ``WebApp`` gathers them and GatewayService lists it among its bases. Templates in
templates/, static files in static/, UI wording in translations/ (gettext, compiled by Babel).
"""
from gateway.web.api_keys import ApiKeyPages
from gateway.web.auth import AuthPages
from gateway.web.catalogue import CataloguePages
from gateway.web.clients import ClientPages
from gateway.web.dashboard import DashboardPages
from gateway.web.static import StaticFiles
from gateway.web.tools import ToolPages
from gateway.web.workbooks import WorkbookPages


class WebApp(AuthPages, DashboardPages, CataloguePages, ToolPages, ClientPages, WorkbookPages,
             ApiKeyPages, StaticFiles):
    """Every page of the web app, as one mixin for GatewayService."""
