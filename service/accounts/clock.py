"""Time in one place: timezone-aware UTC for storage, Europe/Amsterdam for display."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

DUTCH_TIME = ZoneInfo("Europe/Amsterdam")


def utcnow() -> datetime:
    return datetime.now(UTC)


def local(dt: datetime) -> datetime:
    """A stored datetime (naive values are taken as UTC) as Amsterdam local time."""
    aware = dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt
    return aware.astimezone(DUTCH_TIME)
