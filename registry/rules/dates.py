"""Dutch date formatting for the texts of rule answers."""

from __future__ import annotations

from datetime import date

MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def nl_date(d: date) -> str:
    """``date(2018, 4, 11)`` -> ``"11 april 2018"``."""
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"
