"""The fixed set of computed values that ``[[waarde:NAME]]`` may name.

Values are computed from the dossier (and, for the personalised declaration, the participant), so
a date or an amount is written once and appears the same everywhere. A value that the current
document cannot know (the participant of a blank declaration) renders as a bracketed placeholder,
as on the paper form: ``[naam instelling / beroepskracht]``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from templates.budget import compute_budget
from templates.dossier.model import Dossier
from templates.formatting import format_date, format_money, number_words, years_phrase


@dataclass(frozen=True)
class Participant:
    """An agendadeelnemer filling in the geheimhoudingsverklaring."""

    name: str
    institution: str
    ground_key: str
    date: date


def _looptijd(d: Dossier) -> str:
    if d.term.duration_years:
        return years_phrase(d.term.duration_years)
    return f"van {format_date(d.term.start)} tot en met {format_date(d.term.effective_end)}"


def _besluit(attr: Callable[[Dossier], str]) -> Callable[[Dossier], str | None]:
    return lambda d: attr(d) if d.besluit is not None else None


def _budget(attr: Callable[[Dossier], str]) -> Callable[[Dossier], str | None]:
    return lambda d: attr(d) if d.budget is not None else None


# name -> (description, function). A function returning None means "not available in this dossier".
DOSSIER_VALUES: dict[str, tuple[str, Callable[[Dossier], str | None]]] = {
    "titel": ("de titel van de overeenkomst", lambda d: d.title),
    "gemeente": ("de gemeente", lambda d: d.municipality),
    "samenwerkingsverband": ("het samenwerkingsverband", lambda d: d.cooperation),
    "periode": ("de periode op het voorblad", lambda d: d.period_label),
    "datum_ondertekening": ("de datum van ondertekening", lambda d: format_date(d.signing.date)),
    "plaats_ondertekening": ("de plaats van ondertekening", lambda d: d.signing.place),
    "looptijd": ("de looptijd, bv. 'drie jaar'", _looptijd),
    "looptijd.jaren": (
        "de looptijd in jaren, in woorden",
        lambda d: number_words(d.term.duration_years) if d.term.duration_years else None,
    ),
    "looptijd.start": ("de datum van inwerkingtreding", lambda d: format_date(d.term.start)),
    "looptijd.einde": ("de einddatum", lambda d: format_date(d.term.effective_end)),
    "verlenging.jaren": (
        "de duur van een verlenging, bv. 'een jaar'",
        lambda d: years_phrase(d.term.renewal_years),
    ),
    "besluit.titel": ("de titel van het artikel 20-besluit", _besluit(lambda d: d.besluit.title)),  # type: ignore[union-attr]
    "besluit.datum": ("de datum van het artikel 20-besluit", _besluit(lambda d: format_date(d.besluit.date))),  # type: ignore[union-attr]
    "besluit.plaats": ("de plaats van het artikel 20-besluit", _besluit(lambda d: d.besluit.place)),  # type: ignore[union-attr]
    "besluit.termijn": (
        "de termijn van het besluit, bv. 'drie jaar'",
        _besluit(lambda d: years_phrase(d.besluit.term_years)),
    ),  # type: ignore[union-attr]
    "besluit.uitgever": ("naam van wie het besluit neemt", _besluit(lambda d: d.besluit.issuer.name)),  # type: ignore[union-attr]
    "besluit.eenheid": ("de politie-eenheid", _besluit(lambda d: d.besluit.eenheid)),  # type: ignore[union-attr]
    "begroting.per_jaar": ("de bijdrage per jaar", _budget(lambda d: format_money(d.budget.per_year))),  # type: ignore[union-attr]
    "begroting.jaren": ("het aantal jaren van de begroting", _budget(lambda d: number_words(d.budget.years))),  # type: ignore[union-attr]
    "begroting.beschikbaar": (
        "het beschikbare bedrag (per jaar × jaren)",
        _budget(lambda d: format_money(compute_budget(d.budget).available)),
    ),  # type: ignore[arg-type]
    "begroting.totaal": (
        "het totaal van alle regels",
        _budget(lambda d: format_money(compute_budget(d.budget).total)),
    ),  # type: ignore[arg-type]
    "begroting.vast": (
        "het totaal van de regels zonder het restant",
        _budget(lambda d: format_money(compute_budget(d.budget).fixed_total)),
    ),  # type: ignore[arg-type]
    "begroting.restant": (
        "het restant na de vaste regels",
        _budget(
            lambda d: format_money(
                max(
                    compute_budget(d.budget).available  # type: ignore[arg-type]
                    - compute_budget(d.budget).fixed_total,
                    0,
                )
            )
        ),
    ),  # type: ignore[arg-type]
}

# Values of the agendadeelnemer's declaration: (description, placeholder on the blank form).
PARTICIPANT_VALUES: dict[str, tuple[str, str]] = {
    "deelnemer.naam": ("naam van de agendadeelnemer", "[naam instelling / beroepskracht]"),
    "deelnemer.instelling": ("instelling van de agendadeelnemer", "[naam instelling]"),
    "deelnemer.grondslag": ("de gekozen grondslag", ""),  # blank form: the grounds to choose from
    "deelnemer.datum": ("datum van ondertekening door de agendadeelnemer", "[datum ondertekening]"),
}


def value_names() -> list[str]:
    return sorted([*DOSSIER_VALUES, *PARTICIPANT_VALUES, "begroting.regel.<sleutel>"])


def is_known_value(name: str) -> bool:
    return name in DOSSIER_VALUES or name in PARTICIPANT_VALUES or name.startswith("begroting.regel.")


def compute_value(name: str, dossier: Dossier, participant: Participant | None = None) -> str | None:
    """The text of a value, or None when the name is unknown or the dossier lacks it."""
    if name in DOSSIER_VALUES:
        return DOSSIER_VALUES[name][1](dossier)
    if name.startswith("begroting.regel.") and dossier.budget is not None:
        line = compute_budget(dossier.budget).line(name.removeprefix("begroting.regel."))
        return format_money(line.amount) if line else None
    if name in PARTICIPANT_VALUES:
        return participant_value(name, dossier, participant)
    return None


def participant_value(name: str, dossier: Dossier, participant: Participant | None) -> str:
    grounds = dossier.declaration.grounds if dossier.declaration else []
    if participant is None:
        if name == "deelnemer.grondslag":
            return "(" + " / ".join(g.label for g in grounds) + ")"
        return PARTICIPANT_VALUES[name][1]
    if name == "deelnemer.naam":
        return participant.name
    if name == "deelnemer.instelling":
        return participant.institution
    if name == "deelnemer.datum":
        return format_date(participant.date)
    ground = next((g for g in grounds if g.key == participant.ground_key), None)
    return ground.label if ground else participant.ground_key
