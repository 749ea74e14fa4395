"""A clinic admin's JSON API: the team (invite, change a role, deactivate/reactivate, a password
link), the clinic's profile (name, branding, settings) and its logo; and the public call a user's
one-time link makes to set their password. The web pages (gateway/web/admin*.py) do the same."""
from __future__ import annotations

from gateway import uploads
from gateway.bodies import json_body
from gateway.clinic_settings import colour_value, settings_changes
from gateway.entrypoints import api
from gateway.logos import MAX_LOGO_BYTES, checked_logo
from gateway.team import Team
from interlude.errors import InvalidInput


class AdminRoutes:
    def _link_answer(self, link: dict) -> dict:
        return {**link, "url": f"{self.settings.public_url.rstrip('/')}/set-password/{link['token']}"}

    @api("POST", "/api/v1/users/invitations")
    def invite_user(self, request):
        body = json_body(request)
        user, link = Team(self.auth.identity).invite(self.auth.actor(request), body.get("email"), body.get("name"),
                                                     body.get("role"))
        return 201, {"user": user, "link": self._link_answer(link)}

    @api("PATCH", "/api/v1/users/<string:user_id>")
    def change_user(self, request, user_id):
        return Team(self.auth.identity).change(self.auth.actor(request), user_id, json_body(request))

    @api("POST", "/api/v1/users/<string:user_id>/password-link")
    def user_password_link(self, request, user_id):
        return 201, self._link_answer(Team(self.auth.identity).password_link(self.auth.actor(request), user_id))

    @api("POST", "/api/v1/auth/set-password")
    def set_password(self, request):
        body = json_body(request)
        return Team(self.auth.identity).set_password(body.get("token"), body.get("password"))

    @api("GET", "/api/v1/clinic/profile")
    def clinic_profile(self, request):
        return self.auth.identity.clinic_profile(self.auth.actor(request).clinic_id).to_dict()

    @api("PATCH", "/api/v1/clinic/profile")
    def change_clinic_profile(self, request):
        body = json_body(request)
        branding = {"colour": colour_value(body["colour"])} if "colour" in body else None
        return self.auth.identity.save_clinic(self.auth.actor(request), name=body.get("name"), branding=branding,
                                              settings=settings_changes(body) or None).to_dict()

    @api("PUT", "/api/v1/clinic/logo", validate=False, max_body=MAX_LOGO_BYTES + 1)
    def put_clinic_logo(self, request):
        actor = self.auth.actor(request).require_role("clinic_admin")
        logo = checked_logo(uploads.request_body(request, MAX_LOGO_BYTES + 1))
        before = self.auth.identity.clinic_profile(actor.clinic_id).logo_key
        key = self.blobs.put(logo.key(actor.clinic_id), logo.data, logo.content_type).key
        profile = self.auth.identity.save_clinic(actor, branding={"logo_key": key})
        if before and before != key:
            self.blobs.delete(before)
        return profile.to_dict()

    @api("DELETE", "/api/v1/clinic/logo")
    def delete_clinic_logo(self, request):
        actor = self.auth.actor(request).require_role("clinic_admin")
        before = self.auth.identity.clinic_profile(actor.clinic_id).logo_key
        if not before:
            raise InvalidInput("Your clinic has no logo to remove.")
        profile = self.auth.identity.save_clinic(actor, branding={"logo_key": None})
        self.blobs.delete(before)
        return profile.to_dict()
