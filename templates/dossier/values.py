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
from decimal import Decimal

from templates.budget import ComputedBudget, compute_budget
from templates.dossier.legal import besluit_period
from templates.dossier.model import Besluit, Dossier
from templates.formatting import format_date, format_money, join_names, number_words, years_phrase


@dataclass(frozen=True)
class Participant:
    """An agendadeelnemer filling in the geheimhoudingsverklaring."""

    name: str
    institution: str
    ground_key: str
    date: date


def _looptijd(d: Dossier) -> str:
    if d.term.open_ended:
        return "onbepaalde tijd"
    if d.term.duration_years:
        return years_phrase(d.term.duration_years)
    return f"van {format_date(d.term.start)} tot en met {format_date(d.term.effective_end)}"


def besluit_last_day(d: Dossier) -> date:
    """The besluit's last day, from the rule the dossier declares (the one computation, see
    ``templates.dossier.legal.besluit_period``)."""
    assert d.besluit is not None
    runs_from = d.legal.besluit.runs_from if d.legal.besluit is not None else "besluit"
    return besluit_period(d.besluit.date, d.besluit.term_years, runs_from, d.term.start)[1]


def _besluit(attr: Callable[[Besluit], str]) -> Callable[[Dossier], str | None]:
    return lambda d: attr(d.besluit) if d.besluit is not None else None


def _budget(attr: Callable[[ComputedBudget], str]) -> Callable[[Dossier], str | None]:
    return lambda d: attr(compute_budget(d.budget)) if d.budget is not None else None


def version_phrase(d: Dossier) -> str | None:
    if d.version is None:
        return None
    label = f"versie {d.version.label} van" if d.version.label else "versie van"
    return f"{label} {format_date(d.version.date)}"


# name -> (description, function). A function returning None means "not available in this dossier".
DOSSIER_VALUES: dict[str, tuple[str, Callable[[Dossier], str | None]]] = {
    "titel": ("de titel van de overeenkomst", lambda d: d.title),
    "gemeente": ("de gemeente", lambda d: d.municipality),
    "regio": ("de regio", lambda d: d.region.name if d.region else None),
    "regio.gemeenten": (
        'de gemeenten van de regio ("Almelo, Borne en Hengelo")',
        lambda d: join_names(d.region.municipalities) if d.region and d.region.municipalities else None,
    ),
    "versie": ('de versie van de tekst ("versie 2.1 van 3 maart 2021")', lambda d: version_phrase(d)),
    "versie.datum": ("de datum van de versie", lambda d: format_date(d.version.date) if d.version else None),
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
    "looptijd.einde": (
        "de einddatum",
        lambda d: None if d.term.open_ended else format_date(d.term.effective_end),
    ),
    "verlenging.jaren": (
        "de duur van een verlenging, bv. 'een jaar'",
        lambda d: years_phrase(d.legal.term.renewal_years),
    ),
    "besluit.titel": ("de titel van het artikel 20-besluit", _besluit(lambda b: b.title)),
    "besluit.datum": ("de datum van het artikel 20-besluit", _besluit(lambda b: format_date(b.date))),
    "besluit.plaats": ("de plaats van het artikel 20-besluit", _besluit(lambda b: b.place)),
    "besluit.termijn": (
        "de termijn van het besluit, bv. 'drie jaar'",
        _besluit(lambda b: years_phrase(b.term_years)),
    ),
    "besluit.einde": (
        "de laatste dag van het besluit (volgens legal.besluit.runs_from)",
        lambda d: format_date(besluit_last_day(d)) if d.besluit is not None else None,
    ),
    "besluit.uitgever": ("naam van wie het besluit neemt", _besluit(lambda b: b.issuer.name)),
    "besluit.eenheid": ("de politie-eenheid", _besluit(lambda b: b.eenheid)),
    "begroting.per_jaar": ("de bijdrage per jaar", _budget(lambda b: format_money(b.per_year))),
    "begroting.jaren": ("het aantal jaren van de begroting", _budget(lambda b: number_words(b.years))),
    "begroting.beschikbaar": (
        "het beschikbare bedrag (per jaar × jaren)",
        _budget(lambda b: format_money(b.available)),
    ),
    "begroting.totaal": ("het totaal van alle regels", _budget(lambda b: format_money(b.total))),
    "begroting.vast": (
        "het totaal van de regels zonder het restant",
        _budget(lambda b: format_money(b.fixed_total)),
    ),
    "begroting.restant": (
        "het restant na de vaste regels",
        _budget(lambda b: format_money(max(b.available - b.fixed_total, Decimal("0")))),
    ),
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
