"""A clinic admin's branding and settings pages, the logo they uploaded, and the first-visit
checklist the dashboard shows them (branding, crisis numbers, the team, a first clinic tool)."""
from __future__ import annotations

from nameko.exceptions import RemoteError
from werkzeug.wrappers import Response

from gateway.clinic_profile import DEFAULT_COLOUR
from gateway.clinic_settings import colour_value, settings_changes
from gateway.logos import MAX_LOGO_BYTES, checked_logo
from gateway.uploads import DOWNLOAD_HEADERS
from gateway.web.admin import AdminPages
from gateway.web.base import see_other
from gateway.web.handler import page
from gateway.web.rendering import gettext_for
from interlude import clock
from interlude.actor import Actor
from interlude.errors import NotFound

WEBHOOKS_PAGE = "/webhooks"   # the webhooks pages (gateway/web/webhooks.py, the hooks branch)


class ClinicAdminPages(AdminPages):
    @page("GET", "/admin/branding")
    def admin_branding_page(self, request):
        actor = self.admin_actor(request)
        profile = self.auth.identity.clinic_profile(actor.clinic_id)
        return self.show(request, "admin_branding.html", profile=profile, max_kb=MAX_LOGO_BYTES // 1024,
                         done=request.args.get("done"))

    @page("POST", "/admin/branding", max_body=MAX_LOGO_BYTES + 64 * 1024)
    def admin_branding_save(self, request):
        actor = self.admin_actor(request)
        identity = self.auth.identity
        before = identity.clinic_profile(actor.clinic_id)
        branding = {"colour": colour_value(request.form.get("colour") or DEFAULT_COLOUR, "colour")}
        upload = request.files.get("logo")
        new_key = None
        if upload is not None and upload.filename:
            logo = checked_logo(upload.read(MAX_LOGO_BYTES + 1))
            new_key = self.blobs.put(logo.key(actor.clinic_id), logo.data, logo.content_type).key
            branding["logo_key"] = new_key
        elif request.form.get("remove_logo") == "yes":
            branding["logo_key"] = None
        identity.save_clinic(actor, name=request.form.get("name"), branding=branding)
        if before.logo_key and "logo_key" in branding and branding["logo_key"] != before.logo_key:
            self.blobs.delete(before.logo_key)   # replaced: PDFs made from now on carry the new one
        return see_other("/admin/branding", done="1")

    @page("GET", "/admin/logo")
    def admin_logo(self, request):
        """The clinic's current logo, for its own pages (any user of the clinic)."""
        actor = self.web_actor(request)
        key = self.auth.identity.clinic_profile(actor["clinic_id"]).logo_key
        info = self.blobs.stat(key) if key else None
        if info is None:
            raise NotFound(gettext_for(request)("Your clinic has no logo yet."))
        return Response(self.blobs.get(key), mimetype=info.content_type,
                        headers={**DOWNLOAD_HEADERS, "Cache-Control": "private, max-age=300"})

    @page("GET", "/admin/settings")
    def admin_settings_page(self, request):
        actor = self.admin_actor(request)
        profile = self.auth.identity.clinic_profile(actor.clinic_id)
        return self.show(request, "admin_settings.html", profile=profile, webhooks_page=WEBHOOKS_PAGE,
                         done=request.args.get("done"))

    @page("POST", "/admin/settings")
    def admin_settings_save(self, request):
        actor = self.admin_actor(request)
        fields = ("reminder_hours", "link_days", "crisis_lines")
        settings = settings_changes({name: request.form.get(name, "") for name in fields})
        self.auth.identity.save_clinic(actor, settings=settings)
        return see_other("/admin/settings", done="1")

    # the first visit ----------------------------------------------------------------------------
    def admin_checklist(self, actor: dict) -> list[dict] | None:
        """The first-visit steps with whether each is done, or None when there is nothing to show
        (not an admin, dismissed, or every step done)."""
        if actor["role"] != "clinic_admin":
            return None
        identity = self.auth.identity
        clinic = identity.clinic(Actor.from_dict(actor))
        if (clinic.get("onboarding") or {}).get("dismissed_at"):
            return None
        profile = identity.clinic_profile(actor["clinic_id"])
        try:
            own_tools = bool(self.catalog_rpc.list_clinic_tools(actor))
        except RemoteError:
            own_tools = False
        steps = [{"id": "branding", "href": "/admin/branding", "done": profile.pdf_branding() is not None},
                 {"id": "crisis", "href": "/admin/settings#crisis_lines", "done": bool(profile.crisis_lines)},
                 {"id": "team", "href": "/admin/team", "done": len(identity.list_users(Actor.from_dict(actor))) > 1},
                 {"id": "tool", "href": "/clinic-tools", "done": own_tools}]
        return None if all(step["done"] for step in steps) else steps

    @page("POST", "/admin/checklist/dismiss")
    def admin_checklist_dismiss(self, request):
        actor = self.admin_actor(request)
        self.auth.identity.save_clinic(actor, onboarding={"dismissed_at": clock.iso(), "dismissed_by": actor.user_id})
        return see_other("/")

