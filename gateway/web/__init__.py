"""The practitioner web app: server-rendered pages on the same services as the JSON API.

Each area's routes are a mixin class (nameko's @http entrypoints must be methods of the service
class); ``WebApp`` gathers them and GatewayService lists it among its bases. Templates in
templates/, static files in static/, UI wording in translations/ (gettext, compiled by Babel).
"""
from gateway.web.api_keys import ApiKeyPages
from gateway.web.audit import AuditPages
from gateway.web.admin_clinic import ClinicAdminPages
from gateway.web.auth import AuthPages
from gateway.web.catalogue import CataloguePages
from gateway.web.clients import ClientPages
from gateway.web.clinic_tools import ClinicToolPages
from gateway.web.dashboard import DashboardPages
from gateway.web.portal_language import PortalLanguagePages
from gateway.web.paper import PaperPages
from gateway.web.static import StaticFiles
from gateway.web.tools import ToolPages
from gateway.web.webhooks import WebhookPages
from gateway.web.workbooks import WorkbookPages


class WebApp(AuthPages, DashboardPages, CataloguePages, ToolPages, ClientPages, WorkbookPages,
             ApiKeyPages, WebhookPages, AuditPages, StaticFiles, ClinicAdminPages, ClinicToolPages,
             PortalLanguagePages, PaperPages):
    """Every page of the web app, as one mixin for GatewayService."""
