"""Dutch date formatting for the texts of rule answers (Babel, CLDR data for nl_NL)."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date


def nl_date(d: date) -> str:
    """``date(2018, 4, 11)`` -> ``"11 april 2018"``."""
    return format_date(d, "d MMMM y", locale="nl_NL")
