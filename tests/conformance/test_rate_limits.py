"""One suite for both rate-limit adapters (gateway/rate_limits.py): in memory, and in the real
Redis on 127.0.0.1:6379 (INTERLUDE_TEST_REDIS_URL to use another)."""
import os
import uuid

import pytest

from gateway.rate_limits import MemoryRateLimits, RedisRateLimits, Window
from interlude.errors import TooManyRequests

REDIS_URL = os.environ.get("INTERLUDE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


class Clock:
    def __init__(self, now: float):
        self.now = now

    def __call__(self) -> float:
        return self.now


class RateLimitsContract:
    @pytest.fixture
    def clock(self):
        return Clock(1_800_000_000.0)     # the start of a minute

    @pytest.fixture
    def name(self):
        return f"key_{uuid.uuid4().hex[:16]}"

    def test_a_key_gets_its_limit_then_429_with_the_seconds_left(self, limits, clock, name):
        assert [limits.hit(name, 3) for _ in range(3)] == [1, 2, 3]
        clock.now += 42.5
        with pytest.raises(TooManyRequests) as refused:
            limits.hit(name, 3)
        assert refused.value.retry_after == 18 and refused.value.status == 429
        assert "18 seconds" in refused.value.message and name not in refused.value.message

    def test_the_next_minute_starts_a_new_count(self, limits, clock, name):
        for _ in range(2):
            limits.hit(name, 2)
        with pytest.raises(TooManyRequests):
            limits.hit(name, 2)
        clock.now += 60
        assert limits.hit(name, 2) == 1

    def test_keys_are_counted_apart(self, limits, name):
        limits.hit(name, 1)
        assert limits.hit(name + "x", 1) == 1
        with pytest.raises(TooManyRequests):
            limits.hit(name, 1)

    def test_a_raised_limit_applies_at_once(self, limits, name):
        limits.hit(name, 1)
        with pytest.raises(TooManyRequests):
            limits.hit(name, 1)
        assert limits.hit(name, 10) == 3    # the refused request counted too


class TestMemoryRateLimits(RateLimitsContract):
    @pytest.fixture
    def limits(self, clock):
        return MemoryRateLimits(clock)


class TestRedisRateLimits(RateLimitsContract):
    @pytest.fixture
    def limits(self, clock):
        limits = RedisRateLimits.from_url(REDIS_URL, clock)
        limits.client.ping()   # a test that needs Redis fails when it is not there: no skipping
        yield limits
        for key in limits.client.scan_iter(f"{RedisRateLimits.PREFIX}*"):
            limits.client.delete(key)
        limits.close()

    def test_counters_expire_after_their_window(self, limits, clock, name):
        limits.hit(name, 5)
        key = f"{RedisRateLimits.PREFIX}{name}:{Window.at(clock.now).number}"
        assert 0 < limits.client.ttl(key) <= 61


def test_windows_are_aligned_minutes():
    assert Window.at(120.0) == Window(2, 60)
    assert Window.at(179.2) == Window(2, 1)
    assert Window.at(179.99) == Window(2, 1)
