"""The HTTP side of webhooks: which addresses a subscription may name, and one POST per attempt.

Every attempt has a time limit and follows no redirect (a redirect is a failed attempt, never a
body re-sent elsewhere). The address policy is checked when a subscription is saved and again
before each attempt, since a name can later resolve elsewhere. Under eventlet the socket calls
are green: a slow receiver holds only the relay's own green thread, never the hub.
"""
from __future__ import annotations

import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from services.progress.application.webhook_deliveries import Attempt, WebhookSender
from services.progress.domain.webhooks import BadWebhookUrl, check_addresses, check_url_form

USER_AGENT = "interlude-webhooks/1"


@dataclass(frozen=True)
class AddressPolicy:
    """``allow_private`` (INTERLUDE_WEBHOOK_ALLOW_PRIVATE) lets receivers on loopback or private
    networks through: for tests and single-clinic installs, never for a SaaS deployment."""
    allow_private: bool = False

    def check(self, url) -> str:
        url = check_url_form(url)
        if not self.allow_private:
            host = urlsplit(url).hostname
            try:
                infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
            except (socket.gaierror, UnicodeError):
                raise BadWebhookUrl(f"url: the host {host!r} does not resolve") from None
            check_addresses(host, sorted({info[4][0] for info in infos}))
        return url


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class HttpSender(WebhookSender):
    def __init__(self, policy: AddressPolicy, timeout: float = 10.0):
        self.policy, self.timeout = policy, timeout
        self._opener = urllib.request.build_opener(_NoRedirect)

    def post(self, url: str, headers: dict[str, str], body: str) -> Attempt:
        started = time.monotonic()

        def took() -> int:
            return round((time.monotonic() - started) * 1000)
        try:
            self.policy.check(url)
        except BadWebhookUrl as exc:
            return Attempt(status_code=None, duration_ms=took(), error=f"refused address: {exc}")
        request = urllib.request.Request(url, data=body.encode(), method="POST", headers={
            **headers, "Content-Type": "application/json", "User-Agent": USER_AGENT})
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                response.read(4096)   # a little of the answer, so keep-alive peers are not cut off
                return Attempt(status_code=response.status, duration_ms=took(), error=None)
        except urllib.error.HTTPError as exc:
            return Attempt(status_code=exc.code, duration_ms=took(), error=f"HTTP {exc.code}")
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            return Attempt(status_code=None, duration_ms=took(), error=_describe(reason))


def _describe(reason) -> str:
    """A short error for the attempt log: the kind of failure, never a response body."""
    if isinstance(reason, socket.timeout) or "timed out" in str(reason):
        return "timed out"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    return f"{type(reason).__name__}: {str(reason)[:120]}"
