"""Log in and log out with a form. The session token is the same one the JSON API issues; the web
app keeps it in an HttpOnly, SameSite=Lax cookie (Secure when the public URL is https)."""
from __future__ import annotations

from werkzeug.wrappers import Response

from gateway.auth import COOKIE, bearer_or_cookie
from gateway.identity import SESSION_HOURS, AccountDeactivated
from gateway.web import security
from gateway.web.base import WebBase, see_other, safe_next
from gateway.web.handler import page
from gateway.web.rendering import gettext_for
from gateway.login_limits import LoginLimits
from interlude.errors import TooManyRequests, Unauthenticated


class AuthPages(WebBase):
    @page("GET", "/login")
    def login_form(self, request):
        return self.show(request, "login.html", next=safe_next(request.args.get("next")), error=None, email="")

    @page("POST", "/login")
    def login_submit(self, request):
        _ = gettext_for(request)
        email, target = request.form.get("email", ""), safe_next(request.form.get("next"))
        limits, address = LoginLimits(self.documents), request.remote_addr   # the API's limits, shared
        try:
            limits.check(email, address)
        except TooManyRequests as exc:
            response = self.show(request, "login.html", status=429, next=target, email=email, error=exc.message)
            response.headers["Retry-After"] = str(exc.retry_after)
            return response
        try:
            token, _user = self.auth.identity.login(email, request.form.get("password", ""))
        except Unauthenticated as exc:
            limits.failed(email, address, "wrong email or password")
            deactivated = isinstance(exc, AccountDeactivated)
            return self.show(request, "login.html", status=401, next=target, email=email,
                             error=_("This account is deactivated: ask your clinic's admin to reactivate it.")
                             if deactivated else _("Wrong email or password."))
        limits.succeeded(email)
        response = see_other(target)
        secure = security.is_https(self.settings.public_url)
        response.headers.add("Set-Cookie", security.cookie(COOKIE, token, SESSION_HOURS * 3600, secure=secure))
        response.headers.add("Set-Cookie", security.cookie(security.PRE_SESSION_COOKIE, "", 0, secure=secure))
        return response

    @page("POST", "/logout")
    def logout_submit(self, request):
        token = bearer_or_cookie(request)
        if token:
            self.auth.identity.logout(token)
        response = Response(status=303, headers={"Location": "/login"})
        response.headers.add("Set-Cookie", security.cookie(COOKIE, "", 0, secure=security.is_https(self.settings.public_url)))
        return response
