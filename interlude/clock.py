"""The time, always timezone-aware UTC, and one fixed ISO form for storing it (so stored times
compare correctly as text). Functions take an optional ``now`` so that tests can pass one."""
from __future__ import annotations

from datetime import datetime, timezone


def utcnow(now: datetime | None = None) -> datetime:
    """``now`` (tests pass one) or the current time, always timezone-aware UTC."""
    now = now or datetime.now(timezone.utc)
    return now.replace(tzinfo=timezone.utc) if now.tzinfo is None else now.astimezone(timezone.utc)


def iso(moment: datetime | None = None) -> str:
    """``moment`` (default: now) in one fixed ISO form, with microseconds and +00:00."""
    return utcnow(moment).isoformat(timespec="microseconds")


def parse_iso(text: str) -> datetime:
    return utcnow(datetime.fromisoformat(text))
