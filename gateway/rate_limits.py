"""Rate limits per API key: at most N requests in each minute, then 429 with Retry-After until the
minute ends. One small port, two adapters chosen by a setting (``INTERLUDE_REDIS_URL``):

- ``MemoryRateLimits``: counts in this process (the embedded platform is one process);
- ``RedisRateLimits``: counts in Redis, so every gateway process shares one count per key.

Fixed windows aligned to the clock: a counter per key and window, cheap on every request (one
INCR). A caller may burst up to twice its limit across a window boundary; for a partner's quota
that is an acceptable price for one round trip. The login throttle (gateway/login_limits.py)
is a different thing: it counts failures only, and keeps them in the documents store so that
every process sees them even without Redis.
"""
from __future__ import annotations

import abc
import math
import threading
import time
from dataclasses import dataclass

from interlude.errors import TooManyRequests

WINDOW_SECONDS = 60   # limits are "requests per minute"


@dataclass(frozen=True)
class Window:
    """The fixed window ``now`` falls in: its number and how many whole seconds it has left."""
    number: int
    seconds_left: int

    @classmethod
    def at(cls, now: float, length: int = WINDOW_SECONDS) -> "Window":
        number = int(now // length)
        return cls(number, max(1, math.ceil((number + 1) * length - now)))


def refuse(name: str, limit: int, window: Window) -> TooManyRequests:
    return TooManyRequests(f"This API key made more than {limit} requests this minute: "
                           f"wait {window.seconds_left} seconds, or ask for a higher limit.",
                           retry_after=window.seconds_left)


class RateLimits(abc.ABC):
    """Count one request of ``name``; raise TooManyRequests (429, Retry-After) past ``limit``."""

    def __init__(self, clock=time.time):
        self.clock = clock

    def hit(self, name: str, limit: int) -> int:
        """Count a request; returns how many ``name`` made in this window, this one included."""
        window = Window.at(self.clock())
        count = self._count(name, window)
        if count > limit:
            raise refuse(name, limit, window)
        return count

    @abc.abstractmethod
    def _count(self, name: str, window: Window) -> int:
        """Add one to ``name``'s counter for ``window`` and return the new count."""

    def close(self) -> None:
        pass


class MemoryRateLimits(RateLimits):
    def __init__(self, clock=time.time):
        super().__init__(clock)
        self._counts: dict[str, tuple[int, int]] = {}     # name -> (window number, count)
        self._lock = threading.Lock()

    def _count(self, name: str, window: Window) -> int:
        with self._lock:
            number, count = self._counts.get(name, (window.number, 0))
            count = count + 1 if number == window.number else 1
            self._counts[name] = (window.number, count)
            if len(self._counts) > 100_000:   # forget past windows now and then
                self._counts = {k: v for k, v in self._counts.items() if v[0] == window.number}
            return count


class RedisRateLimits(RateLimits):
    PREFIX = "interlude:rate:"

    def __init__(self, client, clock=time.time):
        super().__init__(clock)
        self.client = client

    @classmethod
    def from_url(cls, url: str, clock=time.time) -> "RedisRateLimits":
        import redis   # imported only when INTERLUDE_REDIS_URL is set
        return cls(redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2), clock)

    def _count(self, name: str, window: Window) -> int:
        key = f"{self.PREFIX}{name}:{window.number}"
        pipe = self.client.pipeline(transaction=True)
        pipe.incr(key)
        pipe.expire(key, window.seconds_left + 1)   # the counter outlives its window by a second
        count, _ = pipe.execute()
        return int(count)

    def close(self) -> None:
        self.client.close()


def from_settings(settings) -> RateLimits:
    if settings.redis_url:
        return RedisRateLimits.from_url(settings.redis_url)
    return MemoryRateLimits()
