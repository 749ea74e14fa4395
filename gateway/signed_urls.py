"""Time-limited download links the gateway itself serves, for the embedded blob folder (an
object store serves its own presigned URLs instead). The link carries the blob key, an expiry and
an HMAC-SHA256 of both made with INTERLUDE_SECRET_KEY, so it works without a login until it
expires and cannot be altered to reach another file."""
from __future__ import annotations

import hashlib
import hmac
import time
from urllib.parse import urlencode

from interlude.errors import Forbidden, Gone

PREFIX = "/files/"


def _signature(secret: str, key: str, expires: int) -> str:
    return hmac.new(secret.encode(), f"{key}\n{expires}".encode(), hashlib.sha256).hexdigest()


def sign(secret: str, key: str, seconds: int, *, now: float | None = None) -> str:
    expires = int((now or time.time()) + seconds)
    return f"{PREFIX}{key}?{urlencode({'expires': expires, 'signature': _signature(secret, key, expires)})}"


def verify(secret: str, key: str, expires: str, signature: str, *, now: float | None = None) -> None:
    try:
        expires_at = int(expires)
    except (TypeError, ValueError):
        raise Forbidden("This download link is not valid: ask for a new one.") from None
    # compare bytes: compare_digest refuses a str with characters outside ASCII (a 500 before)
    if not hmac.compare_digest(_signature(secret, key, expires_at).encode(), str(signature or "").encode()):
        raise Forbidden("This download link is not valid: ask for a new one.")
    if expires_at < (now or time.time()):
        raise Gone("This download link has expired: ask for a new one.")
