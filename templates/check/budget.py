"""The budget lines fit in the available amount; the remainder is not negative."""

from __future__ import annotations

from templates.budget import compute_budget
from templates.check.severity import ERROR, WARNING
from templates.dossier.model import Dossier
from templates.errors import Problem
from templates.formatting import format_money


def check_budget(d: Dossier) -> list[Problem]:
    if d.budget is None:
        return []
    out: list[Problem] = []
    b = compute_budget(d.budget)
    remainders = [
        f"budget.groups.{i}.lines.{j}"
        for i, g in enumerate(d.budget.groups)
        for j, ln in enumerate(g.lines)
        if ln.remainder
    ]
    available = f"{format_money(b.available)} ({format_money(b.per_year)} × {b.years} jaar)"
    if len(remainders) > 1:
        out.append(
            Problem(
                remainders[1] + ".remainder",
                "de begroting heeft meer dan één restregel; het restant kan maar aan één regel toekomen",
                ERROR,
                "meerdere_restregels",
            )
        )
    if b.fixed_total > b.available:
        if remainders:
            out.append(
                Problem(
                    remainders[0],
                    f"het restant is negatief: {format_money(b.available - b.fixed_total)}"
                    f"; de vaste regels ({format_money(b.fixed_total)}) zijn hoger dan het beschikbare "
                    f"bedrag van {available}",
                    ERROR,
                    "restant_negatief",
                )
            )
        else:
            # The amounts are the author's: printed as written, with the computed total; reported, not
            # blocked (the generator never changes an amount to make a total fit).
            out.append(
                Problem(
                    "budget.groups",
                    f"de begrotingsregels tellen op tot {format_money(b.fixed_total)} en "
                    f"overschrijden het beschikbare bedrag van {available} met "
                    f"{format_money(b.over_budget)}",
                    WARNING,
                    "begroting_overschreden",
                )
            )
    if d.budget.stated_total is not None and d.budget.stated_total != b.total:
        out.append(
            Problem(
                "budget.stated_total",
                f"het opgegeven totaal {format_money(d.budget.stated_total)} wijkt af van de som van de "
                f"regels, {format_money(b.total)}; de begroting drukt de som af — pas een bedrag of het "
                "totaal aan",
                WARNING,
                "totaal_wijkt_af",
            )
        )
    if not remainders and b.fixed_total < b.available:
        out.append(
            Problem(
                "budget.groups",
                f"{format_money(b.available - b.fixed_total)} van het beschikbare bedrag "
                f"van {available} is niet aan een regel toegewezen; voeg een restregel toe "
                "(remainder: true) of pas de bedragen aan",
                WARNING,
                "begroting_niet_verdeeld",
            )
        )
    return out
