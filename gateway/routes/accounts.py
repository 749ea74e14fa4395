"""Logging in and out, the caller, the clinic's users: identity (gateway/identity.py) is the gateway's own."""
from __future__ import annotations

from gateway.auth import COOKIE, bearer_or_cookie
from gateway.bodies import json_body
from gateway.entrypoints import api
from gateway.identity import SESSION_HOURS
from gateway.login_limits import LoginLimits
from interlude import errors


class AccountRoutes:
    @api("POST", "/api/v1/auth/login")
    def login(self, request):
        body = json_body(request)
        limits, address = LoginLimits(self.documents), request.remote_addr
        limits.check(body.get("email"), address)
        try:
            token, user = self.auth.identity.login(body.get("email"), body.get("password"))
        except errors.Unauthenticated:
            limits.failed(body.get("email"), address, "wrong email or password")
            raise
        limits.succeeded(body.get("email"))
        secure = "; Secure" if request.scheme == "https" else ""
        cookie = (f"{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; "
                  f"Max-Age={SESSION_HOURS * 3600}{secure}")
        return 200, {"Set-Cookie": cookie}, {"token": token, "expires_in": SESSION_HOURS * 3600, "user": user}

    @api("POST", "/api/v1/auth/logout")
    def logout(self, request):
        self.auth.actor(request)
        self.auth.identity.logout(bearer_or_cookie(request))
        return 204, {"Set-Cookie": f"{COOKIE}=; Path=/; Max-Age=0"}, None

    @api("POST", "/api/v1/auth/logout-everywhere")
    def logout_everywhere(self, request):
        ended = self.auth.identity.logout_everywhere(self.auth.actor(request))
        return 200, {"Set-Cookie": f"{COOKIE}=; Path=/; Max-Age=0"}, {"sessions_ended": ended}

    @api("GET", "/api/v1/me")
    def me(self, request):
        actor = self.auth.actor(request)
        identity = self.auth.identity
        return {"user": identity.user(actor), "clinic": identity.clinic(actor)}

    @api("GET", "/api/v1/users")
    def list_users(self, request):
        return self.auth.identity.list_users(self.auth.actor(request))

    @api("POST", "/api/v1/users")
    def create_user(self, request):
        body = json_body(request)
        user = self.auth.identity.create_user(self.auth.actor(request), body.get("email"),
                                              body.get("name"), body.get("role"), body.get("password"))
        return 201, user
