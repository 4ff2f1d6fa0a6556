"""Time in one place: timezone-aware UTC for storage, Europe/Amsterdam for "today" and for display.

The municipality lives in Europe/Amsterdam: between midnight and 01:00 (02:00 in summer) the UTC date is
still yesterday, so "today" is never ``date.today()`` (the machine's zone) nor the UTC date. A ``Clock``
is a small object: the running app holds one (``app.state.clock``, read by the ``Today`` dependency), the
CLI and background tasks use ``SYSTEM_CLOCK``; a test injects a fixed one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import Depends, Request

from templates.formatting import format_date

DUTCH_TIME = ZoneInfo("Europe/Amsterdam")


def _system_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Clock:
    """``now()``: the current moment (aware, UTC); ``today()``: the date in Amsterdam at that moment."""

    source: Callable[[], datetime] = field(default=_system_now)

    def now(self) -> datetime:
        moment = self.source()
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)

    def today(self) -> date:
        return self.now().astimezone(DUTCH_TIME).date()

    @classmethod
    def fixed(cls, moment: datetime) -> Clock:
        """A clock that always answers ``moment`` (naive values are taken as UTC)."""
        return cls(lambda: moment)


SYSTEM_CLOCK = Clock()


def utcnow() -> datetime:
    return SYSTEM_CLOCK.now()


def today() -> date:
    """Today's date in Amsterdam, from the system clock."""
    return SYSTEM_CLOCK.today()


def local(dt: datetime) -> datetime:
    """A stored datetime (naive values are taken as UTC) as Amsterdam local time."""
    aware = dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt
    return aware.astimezone(DUTCH_TIME)


def nl_date(value: date | datetime | None) -> str:
    """A date (or a stored moment, on its Amsterdam date) as Dutch words: "3 maart 2026"; "—" for none."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = local(value).date()
    return format_date(value)


def nl_datetime(value: datetime | None) -> str:
    """A stored moment in Amsterdam time: "3 maart 2026 om 14:05"; "—" for none."""
    if value is None:
        return "—"
    loc = local(value)
    return f"{format_date(loc.date())} om {loc:%H:%M}"


def clock_of(request: Request) -> Clock:
    """The app's clock (``app.state.clock``; the system clock when none was set)."""
    clock: Clock = getattr(request.app.state, "clock", SYSTEM_CLOCK)
    return clock


def _today_of(request: Request) -> date:
    return clock_of(request).today()


Today = Annotated[date, Depends(_today_of)]
