"""Login throttling (issue #11, finding 4): per account and per address, failures within a
window are counted in the documents store (so every gateway process sees the same counts);
past the limit a login answers 429 with Retry-After until the window ends, even with the right
password. Failures are logged with a hash of the account and the address, never the password.

Fixed windows: simple and cheap; an attacker gets at most ``ACCOUNT_LIMIT`` guesses per account
and ``ADDRESS_LIMIT`` per address each ``WINDOW_SECONDS``.
"""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone

from interlude.errors import Conflict, TooManyRequests
from interlude.logging import get_logger
from interlude.ports.documents import DocumentStore

log = get_logger(__name__)

ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 30
WINDOW_SECONDS = 15 * 60


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _id(kind: str, value: str) -> str:
    return f"{kind}_" + hashlib.sha256(f"{kind}\n{value}".encode()).hexdigest()[:32]


def account_hash(email) -> str:
    """What the log may say about an account: enough to correlate, not the address itself."""
    return hashlib.sha256(str(email or "").strip().lower().encode()).hexdigest()[:12]


class LoginLimits:
    def __init__(self, store: DocumentStore, *, account_limit: int = ACCOUNT_LIMIT,
                 address_limit: int = ADDRESS_LIMIT, window_seconds: int = WINDOW_SECONDS, clock=_now):
        self.attempts = store.collection("login_attempts")
        self.limits = {"account": account_limit, "address": address_limit}
        self.window = timedelta(seconds=window_seconds)
        self.clock = clock

    def _keys(self, email, address) -> list[tuple[str, str]]:
        return [("account", _id("account", str(email or "").strip().lower())),
                ("address", _id("address", str(address or "unknown")))]

    def check(self, email, address) -> None:
        """Raise TooManyRequests (429, Retry-After) while either key is over its limit."""
        now = self.clock()
        for kind, key in self._keys(email, address):
            record = self.attempts.get(key)
            if record is None:
                continue
            ends = datetime.fromisoformat(record["window_start"]) + self.window
            if ends > now and record["failures"] >= self.limits[kind]:
                wait = max(1, int((ends - now).total_seconds()) + 1)
                log.warning("login_throttled", by=kind, account=account_hash(email), address=address,
                            retry_after=wait)
                raise TooManyRequests(f"Too many failed logins from this {kind}: try again in {wait} seconds.",
                                      retry_after=wait)

    def failed(self, email, address, reason: str) -> None:
        now = self.clock()
        for _kind, key in self._keys(email, address):
            record = self.attempts.get(key)
            if record is None or datetime.fromisoformat(record["window_start"]) + self.window <= now:
                fresh = {"window_start": now.isoformat(), "failures": 0}
                if record is None:
                    try:
                        self.attempts.insert({"id": key, **fresh})
                    except Conflict:   # another gateway process started the window meanwhile
                        pass
                else:
                    self.attempts.update(key, fresh)
            self.attempts.increment(key, "failures")
        log.warning("login_failed", account=account_hash(email), address=address, reason=reason)

    def succeeded(self, email) -> None:
        self.attempts.delete(self._keys(email, None)[0][1])
