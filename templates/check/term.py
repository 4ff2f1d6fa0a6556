"""The term ends after it starts, its duration and end date agree, the cover's period matches it."""

from __future__ import annotations

import re

from templates.check.severity import ERROR, WARNING
from templates.dossier.legal import add_years
from templates.dossier.model import Dossier
from templates.errors import Problem
from templates.formatting import format_date, years_phrase

_PERIOD = re.compile(r"\b((?:19|20)\d{2})\s*[–-]\s*((?:19|20)\d{2})\b")


def check_term(d: Dossier) -> list[Problem]:
    out: list[Problem] = []
    t = d.term
    if t.end is not None and t.end < t.start:
        out.append(
            Problem(
                "term.end",
                f"de einddatum van de looptijd ({format_date(t.end)}) ligt vóór de "
                f"ingangsdatum ({format_date(t.start)})",
                ERROR,
                "einddatum_voor_begin",
            )
        )
    if t.end is not None and t.duration_years is not None:
        by_duration = add_years(t.start, t.duration_years)
        if by_duration != t.end:
            out.append(
                Problem(
                    "term.end",
                    f"de looptijd noemt een duur van {years_phrase(t.duration_years)} (tot "
                    f"{format_date(by_duration)}) én een einddatum {format_date(t.end)}; geef één van beide",
                    ERROR,
                    "looptijd_tegenstrijdig",
                )
            )
    if d.period_label and t.effective_end >= t.start:
        m = _PERIOD.search(d.period_label)
        ends = t.effective_end
        if m and (int(m.group(1)), int(m.group(2))) != (t.start.year, ends.year):
            out.append(
                Problem(
                    "period_label",
                    f"de periode '{d.period_label}' wijkt af van de looptijd ({format_date(t.start)} tot "
                    f"{format_date(ends)})",
                    WARNING,
                    "periode_wijkt_af",
                )
            )
    if t.start < d.signing.date and not t.retroactive:
        out.append(
            Problem(
                "term.start",
                f"de looptijd gaat in op {format_date(t.start)}, vóór de ondertekening op "
                f"{format_date(d.signing.date)}; zet 'retroactive: true' als terugwerkende kracht bedoeld "
                "is",
                WARNING,
                "terugwerkende_kracht",
            )
        )
    return out
