"""The client portal's protections. The portal has no login and no cookie: the link's token is the
client's only credential, so the web app's cookie-bound CSRF token does not fit it.

CSRF: every page render makes a fresh token ``nonce.mac``, the mac an HMAC (INTERLUDE_SECRET_KEY)
of the portal token and the nonce. A state-changing request (a form post, the page script's
draft save) must carry it, as the ``csrf_token`` field or the ``X-CSRF-Token`` header; a token
made for another link, altered, or missing is refused (403) and records nothing. Another site
cannot read a rendered page (same-origin policy), so it cannot make the browser post one.

CSP: a policy made for each response: scripts only with that response's nonce (our own script
file, never inline), styles only from our own files, no inline style attributes or event
handlers, no framing, forms posting only to us.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


def _mac(secret_key: str, portal_token: str, nonce: str) -> str:
    return hmac.new(secret_key.encode(), f"portal-csrf\n{portal_token}\n{nonce}".encode(), hashlib.sha256).hexdigest()


def csrf_token(secret_key: str, portal_token: str) -> str:
    """A new token for one render of one link's page."""
    nonce = secrets.token_urlsafe(12)
    return f"{nonce}.{_mac(secret_key, portal_token, nonce)}"


def csrf_valid(secret_key: str, portal_token: str, offered: str | None) -> bool:
    nonce, _, mac = str(offered or "").partition(".")
    if not nonce or not mac or len(offered) > 200:
        return False
    return hmac.compare_digest(mac.encode(), _mac(secret_key, portal_token, nonce).encode())


def offered_token(request) -> str:
    offered = request.headers.get(CSRF_HEADER) or ""
    if not offered and request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        offered = request.form.get(CSRF_FIELD, "")
    return offered


def csrf_ok(request, secret_key: str, portal_token: str | None) -> bool:
    """True for a safe method, or when the request carries a token rendered for this link."""
    if request.method in SAFE_METHODS:
        return True
    return portal_token is not None and csrf_valid(secret_key, portal_token, offered_token(request))


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


def content_security_policy(nonce: str) -> str:
    return "; ".join([
        "default-src 'none'",
        f"script-src 'nonce-{nonce}'",
        "style-src 'self'",
        "img-src 'self' data:",
        "media-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ])


def apply_headers(response, nonce: str) -> None:
    response.headers["Content-Security-Policy"] = content_security_policy(nonce)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"   # the link's token never leaves in a Referer
    response.headers["X-Frame-Options"] = "DENY"
