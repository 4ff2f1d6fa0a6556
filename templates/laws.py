"""Laws as data: which law a dossier may name, from when until when it was in force, what replaced it.

The table lives in ``templates/laws.yaml``; a dossier may add its own (``LawDefinition``). The check
(``law_problems``) warns when the ``laws`` of a dossier name a law that was not yet, or no longer, in force
on the document's date, and when a text names a law that had been repealed by the date of the document it
belongs to (the besluit and a mandaatbesluit speak on their own date). An unknown key is an error.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import yaml

from templates.dossier.model import Dossier, LawDefinition
from templates.errors import Problem
from templates.formatting import format_date

LAWS_FILE = Path(__file__).with_name("laws.yaml")


@dataclass(frozen=True)
class Law:
    key: str
    name: str
    in_force_from: date | None = None
    in_force_until: date | None = None  # last day in force
    successor: str | None = None
    pattern: re.Pattern[str] | None = None

    def in_force(self, on: date) -> bool:
        return (self.in_force_from is None or self.in_force_from <= on) and (
            self.in_force_until is None or on <= self.in_force_until
        )


@lru_cache(maxsize=1)
def law_table() -> dict[str, Law]:
    """The built-in table, by key."""
    out: dict[str, Law] = {}
    for row in yaml.safe_load(LAWS_FILE.read_text("utf-8")):
        out[row["key"]] = Law(
            row["key"],
            row["name"],
            row.get("from"),
            row.get("until"),
            row.get("successor"),
            re.compile(row["pattern"]) if row.get("pattern") else None,
        )
    return out


def law_dates() -> set[date]:
    """Every date on which a law of the table took effect or was repealed (a text may name them)."""
    out: set[date] = set()
    for law in law_table().values():
        if law.in_force_from is not None:
            out.add(law.in_force_from)
        if law.in_force_until is not None:
            out.add(law.in_force_until + timedelta(days=1))
    return out


def _law(entry: str | LawDefinition) -> Law | None:
    if isinstance(entry, LawDefinition):
        return Law(entry.key, entry.name, entry.in_force_from, entry.in_force_until, entry.successor)
    return law_table().get(entry)


def _repealed(law: Law, what: str, on: date) -> str:
    assert law.in_force_until is not None
    message = (
        f"de {law.name} is per {format_date(law.in_force_until + timedelta(days=1))} vervallen; "
        f"op de datum van {what} ({format_date(on)})"
    )
    return message + (f" geldt {law.successor}" if law.successor else " geldt hij niet meer")


def law_problems(
    d: Dossier, text_date: Callable[[str], tuple[str, date]], texts: list[tuple[str, str]]
) -> list[Problem]:
    """Problems of the dossier's ``laws`` (against the agreement's date) and of laws named in ``texts``
    ((path, text) pairs, each speaking on ``text_date(path)``: (what, date))."""
    out: list[Problem] = []
    signed = d.signing.date
    for i, entry in enumerate(d.laws):
        law = _law(entry)
        if law is None:
            out.append(
                Problem(
                    f"laws.{i}",
                    f"onbekende wet '{entry}'; kies een sleutel uit de wettentabel ("
                    + ", ".join(sorted(law_table()))
                    + ") of beschrijf de wet met key, name en in_force_from",
                    "fout",
                    "wet_onbekend",
                )
            )
        elif law.in_force_from is not None and signed < law.in_force_from:
            out.append(
                Problem(
                    f"laws.{i}",
                    f"de {law.name} is pas van toepassing vanaf {format_date(law.in_force_from)}; op de "
                    f"datum van de overeenkomst ({format_date(signed)}) gold hij nog niet",
                    "waarschuwing",
                    "wet_nog_niet_van_toepassing",
                )
            )
        elif not law.in_force(signed):
            out.append(
                Problem(
                    f"laws.{i}", _repealed(law, "de overeenkomst", signed), "waarschuwing", "wet_vervallen"
                )
            )
    repealed = [law for law in law_table().values() if law.pattern is not None and law.in_force_until]
    for path, text in texts:
        for law in repealed:
            assert law.pattern is not None
            m = law.pattern.search(text)
            if m is None:
                continue
            what, on = text_date(path)
            if not law.in_force(on):
                out.append(
                    Problem(
                        path,
                        f"de tekst noemt '{m.group(0)}', maar {_repealed(law, what, on)}: verwijs naar de "
                        "wet die nu geldt",
                        "waarschuwing",
                        "wet_vervallen",
                    )
                )
    return out
