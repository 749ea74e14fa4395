"""The web app's protections, applied to every HTML response (warehouse's csrf.py and csp.py ideas).

CSRF: the token is an HMAC of the browser's session cookie (or, before login, of a random
pre-session cookie) under the platform's secret key, so nothing is stored and a token is useless
with another browser's cookie. Forms carry it as ``csrf_token``; htmx sends it as ``X-CSRF-Token``
(static/js/csrf.js reads it from a <meta> tag). Every method other than GET/HEAD must carry it.

Headers: a strict Content-Security-Policy (scripts and styles only from our own files, nothing
inline, no framing), nosniff and no referrer.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets

from gateway.auth import COOKIE

PRE_SESSION_COOKIE = "interlude_presession"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "media-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
])
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def is_https(public_url: str) -> bool:
    """Cookies are Secure when the platform is published over https (settings.public_url,
    INTERLUDE_PUBLIC_URL)."""
    return str(public_url or "").lower().startswith("https://")


def cookie(name: str, value: str, max_age: int | None, *, secure: bool) -> str:
    parts = [f"{name}={value}", "Path=/", "HttpOnly", "SameSite=Lax"]
    if max_age is not None:
        parts.append(f"Max-Age={max_age}")
    if secure:
        parts.append("Secure")
    return "; ".join(parts)


def browser_key(request) -> tuple[str, str | None]:
    """What the CSRF token is bound to, and a new pre-session cookie value when one must be set."""
    session = request.cookies.get(COOKIE)
    if session:
        return "s:" + session, None
    pre = request.cookies.get(PRE_SESSION_COOKIE)
    if pre and 20 <= len(pre) <= 100:
        return "p:" + pre, None
    fresh = secrets.token_urlsafe(24)
    return "p:" + fresh, fresh


def csrf_token(secret_key: str, key: str) -> str:
    return hmac.new(secret_key.encode(), b"csrf\n" + key.encode(), hashlib.sha256).hexdigest()


def csrf_ok(request, secret_key: str) -> bool:
    """True for a safe method, or when the form field or header carries this browser's token."""
    if request.method in SAFE_METHODS:
        return True
    key, fresh = browser_key(request)
    if fresh is not None:
        return False
    offered = request.headers.get(CSRF_HEADER) or ""
    if not offered and request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        offered = request.form.get(CSRF_FIELD, "")
    return bool(offered) and hmac.compare_digest(offered, csrf_token(secret_key, key))


def apply_headers(response) -> None:
    for name, value in SECURITY_HEADERS.items():
        response.headers[name] = value
