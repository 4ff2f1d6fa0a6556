"""The besluit names categories and uses, its recipients are parties, it does not end before the agreement."""

from __future__ import annotations

from datetime import timedelta

from templates.check.severity import ERROR, WARNING
from templates.dossier.model import Dossier
from templates.dossier.values import besluit_last_day
from templates.errors import Problem
from templates.formatting import format_date, years_phrase


def check_besluit(d: Dossier) -> list[Problem]:
    bs = d.besluit
    if bs is None:
        return []
    out: list[Problem] = []
    if not bs.categories:
        out.append(
            Problem(
                "besluit.categories",
                "het besluit noemt geen categorieën politiegegevens; artikel 20 Wpg vraagt een schriftelijke "
                "vastlegging van welke gegevens worden verstrekt",
                ERROR,
                "besluit_zonder_categorieen",
            )
        )
    if not bs.uses:
        out.append(
            Problem(
                "besluit.uses",
                "het besluit noemt niet waarvoor de ontvangers de politiegegevens mogen gebruiken",
                ERROR,
                "besluit_zonder_gebruik",
            )
        )
    if not bs.recipients:
        out.append(
            Problem(
                "besluit.recipients",
                "het besluit noemt geen ontvangers; politiegegevens mogen alleen "
                "aan de partners in het besluit worden verstrekt",
                WARNING,
                "besluit_zonder_ontvangers",
            )
        )
    for i, key in enumerate(bs.recipients):
        if d.party(key) is None:
            out.append(
                Problem(
                    f"besluit.recipients.{i}",
                    f"de ontvanger '{key}' is geen partij bij de overeenkomst; "
                    "politiegegevens mogen alleen aan partners worden verstrekt, nooit aan "
                    "agendadeelnemers of derden",
                    ERROR,
                    "ontvanger_geen_partij",
                )
            )
    last = besluit_last_day(d)  # the one computation, from the rule the dossier declares
    agreement_last = d.term.effective_end - timedelta(days=1) if d.term.end is None else d.term.effective_end
    if last < agreement_last:
        out.append(
            Problem(
                "besluit.term_years",
                f"het besluit van {format_date(bs.date)} geldt {years_phrase(bs.term_years)}, "
                f"tot en met {format_date(last)}, maar de overeenkomst loopt tot en met "
                f"{format_date(agreement_last)}; daarna mag de politie geen politiegegevens meer verstrekken "
                "tot een nieuw besluit is genomen",
                WARNING,
                "besluit_eindigt_eerder",
            )
        )
    return out
