"""A clinic admin's team page: the clinic's users; invite one (the page shows the one-time link to
pass on: there is no mail server), change a role, deactivate or reactivate, a password reset link.
And the page a link opens, where the invited (or reset) user chooses their password."""
from __future__ import annotations

from gateway.team import INVITE_DAYS, RESET_HOURS, Team
from gateway.web.base import WebBase, see_other
from gateway.web.handler import page
from gateway.web.rendering import gettext_for
from gateway.web.tools import portal_base
from interlude.actor import ROLES, Actor
from interlude.errors import InvalidInput


class AdminPages(WebBase):
    def admin_actor(self, request) -> Actor:
        """The logged-in user, who must be a clinic admin (Forbidden: a 403 page)."""
        return Actor.from_dict(self.web_actor(request)).require_role("clinic_admin")

    def team(self) -> Team:
        return Team(self.auth.identity)

    @page("GET", "/admin/team")
    def admin_team_page(self, request):
        actor = self.admin_actor(request)
        users = self.auth.identity.list_users(actor)
        return self.show(request, "admin_team.html", users=users, roles=ROLES, me=actor.user_id,
                         done=request.args.get("done"))

    @page("POST", "/admin/team/invite")
    def admin_invite(self, request):
        actor = self.admin_actor(request)
        user, link = self.team().invite(actor, request.form.get("email", ""), request.form.get("name", ""),
                                        request.form.get("role", ""))
        return self._show_link(request, user, link)

    @page("POST", "/admin/team/<string:user_id>/password-link")
    def admin_password_link(self, request, user_id):
        actor = self.admin_actor(request)
        link = self.team().password_link(actor, user_id)
        user = next(u for u in self.auth.identity.list_users(actor) if u["id"] == user_id)
        return self._show_link(request, user, link)

    def _show_link(self, request, user: dict, link: dict):
        url = f"{portal_base(self.settings)}/set-password/{link['token']}"
        return self.show(request, "admin_link.html", person=user, link=link, url=url,
                         lifetime=(INVITE_DAYS, RESET_HOURS))

    @page("POST", "/admin/team/<string:user_id>/role")
    def admin_change_role(self, request, user_id):
        actor = self.admin_actor(request)
        self.team().change(actor, user_id, {"role": request.form.get("role", "")})
        return see_other("/admin/team", done="role")

    @page("POST", "/admin/team/<string:user_id>/active")
    def admin_change_active(self, request, user_id):
        actor = self.admin_actor(request)
        active = request.form.get("active") == "yes"
        self.team().change(actor, user_id, {"active": active})
        return see_other("/admin/team", done="reactivated" if active else "deactivated")

    # the link's own page (no login: the token is the key) ------------------------------------
    @page("GET", "/set-password/<string:token>")
    def set_password_form(self, request, token):
        holder = self.team().link_holder(token)
        return self.show(request, "set_password.html", holder=holder, error=None)

    @page("POST", "/set-password/<string:token>")
    def set_password_submit(self, request, token):
        _ = gettext_for(request)
        holder = self.team().link_holder(token)
        password = request.form.get("password", "")
        if password != request.form.get("confirm", ""):
            return self.show(request, "set_password.html", status=400, holder=holder,
                             error=_("The two passwords differ: type the same password twice."))
        try:
            user = self.team().set_password(token, password)
        except InvalidInput as exc:
            return self.show(request, "set_password.html", status=400, holder=holder, error=exc.message)
        return self.show(request, "set_password.html", holder={"user": user, "purpose": holder["purpose"]},
                         error=None, done=True)
