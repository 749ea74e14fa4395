"""What every page module shares: the acting practitioner, rendering with the layout, redirects and
form reading. Page modules are mixins of GatewayService (nameko entrypoints must be methods of the
service class), so ``self`` has the gateway's RPC proxies and dependencies."""
from __future__ import annotations

from urllib.parse import urlencode

from werkzeug.wrappers import Response

from gateway.web.rendering import gettext_for, render
from interlude.errors import InvalidInput


class WebBase:
    def web_actor(self, request) -> dict:
        """The logged-in practitioner as the RPC calls carry it (Unauthenticated: to the login page)."""
        actor = self.auth.actor(request)
        request.web["user"] = self.auth.identity.user(actor)
        return actor.to_dict()

    def assignment_timing(self, actor: dict) -> dict:
        """The clinic's link lifetime and reminder timing, passed to progress with each assignment."""
        return self.auth.identity.clinic_profile(actor["clinic_id"]).assignment_timing()

    def name_the_tools(self, actor: dict, items: list[dict], tool_id_of) -> None:
        """The worksheet and the audio of one exercise share its title: each item gets its tool's
        summary as ``item["tool"]`` (one catalogue call for the page) so a list says which it is."""
        tool_ids = sorted({tool_id for item in items if (tool_id := tool_id_of(item))})
        summaries = self.catalog_rpc.tool_summaries(actor, tool_ids) if tool_ids else {}
        for item in items:
            item["tool"] = summaries.get(tool_id_of(item) or "")

    def show(self, request, template: str, status: int = 200, **context) -> Response:
        return render(request, template, status=status, **context)

    @staticmethod
    def is_htmx(request) -> bool:
        return request.headers.get("HX-Request") == "true"


def see_other(location: str, **params) -> Response:
    if params:
        location += ("&" if "?" in location else "?") + urlencode({k: v for k, v in params.items() if v is not None})
    return Response(status=303, headers={"Location": location})


def safe_next(value: str | None, default: str = "/") -> str:
    """A local path to go back to (never another site: no scheme, no //host)."""
    value = value or ""
    if value.startswith("/") and not value.startswith("//") and "\\" not in value and "\n" not in value:
        return value
    return default


def required(request, name: str, message: str) -> str:
    value = (request.form.get(name) or "").strip()
    if not value:
        raise InvalidInput(message)
    return value


def _(request):
    return gettext_for(request)
