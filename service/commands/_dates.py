"""Date options of the CLI (``--op``, ``--ontvangen``, ``--datum``): JJJJ-MM-DD, or one Dutch line, exit 2."""

from __future__ import annotations

from datetime import date, datetime

from service.clock import utcnow
from service.commands._problems import fail


def date_option(value: str | None, option: str) -> date | None:
    """``value`` of ``option`` as a date (None when not given)."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise fail(f"{option} moet een datum zijn (JJJJ-MM-DD), niet {value!r}.", 2) from exc


def moment_option(value: str | None, option: str) -> datetime:
    """Now, or this time of day on the date ``value`` of ``option``."""
    now = utcnow()
    day = date_option(value, option)
    return now if day is None else datetime.combine(day, now.timetz())
