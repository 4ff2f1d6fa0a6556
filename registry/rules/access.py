"""Who may receive police data or personal data, and who may provide police data — on a given date.

Each answer's ``until`` is the earliest of the designation's end, the besluit's end or revocation, and the
end of the agreement's running term; a warning is added when that is within 30 days.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta

from registry.rules.answer import RuleAnswer, earliest
from registry.rules.citations import citations_for
from registry.rules.dates import nl_date
from registry.rules.facts import AgreementFacts, BesluitFacts, DesignationFacts, PersonFacts, TermEventFacts
from registry.rules.terms import WARNING_DAYS, TermStatus, besluit_status, term_status

PARTNER_ROLES = ("professional", "wijkagent", "vervanger", "coordinator")
PROVIDER_ROLES = ("wijkagent", "vervanger")
ROLE_LABELS = {
    "professional": "professional van een partner",
    "wijkagent": "wijkagent",
    "vervanger": "vervanger van de wijkagent",
    "coordinator": "coördinator",
    "agendadeelnemer": "agendadeelnemer",
}


def _active(
    designations: Sequence[DesignationFacts], on: date, roles: Sequence[str] | None = None
) -> DesignationFacts | None:
    """The active designation (of one of ``roles``) on ``on`` that lasts longest."""
    active = [d for d in designations if d.active_on(on) and (roles is None or d.role in roles)]
    if not active:
        return None
    return max(active, key=lambda d: d.designated_until or date.max)


def withdrawals(events: Sequence[TermEventFacts]) -> dict[str, date]:
    """Party key -> the first day it is no longer in the cooperation (``uittreding`` events)."""
    out: dict[str, date] = {}
    for e in events:
        if e.kind == "uittreding" and e.party_key:
            out[e.party_key] = min(e.occurred_on, out.get(e.party_key, e.occurred_on))
    return out


def _without_withdrawn(person: PersonFacts, events: Sequence[TermEventFacts]) -> PersonFacts:
    """Designations of a partner that left the cooperation end the day before it left."""
    gone = withdrawals(events)
    if not gone:
        return person
    capped = []
    for d in person.designations:
        left = gone.get(d.party_key or "")
        if left is not None:
            last = left - timedelta(days=1)
            if d.designated_until is None or d.designated_until > last:
                d = replace(d, designated_until=last)
        capped.append(d)
    return replace(person, designations=tuple(capped))


def _not_designated(
    person: PersonFacts,
    agreement: AgreementFacts,
    on: date,
    article: str,
    roles: Sequence[str] | None = None,
    events: Sequence[TermEventFacts] = (),
) -> RuleAnswer:
    relevant = [d for d in person.designations if roles is None or d.role in roles]
    ended = [d for d in relevant if d.designated_until is not None and d.designated_until < on]
    future = [d for d in relevant if d.designated_from > on]
    gone = withdrawals(events)
    left = [
        (d.party_key, gone[d.party_key]) for d in ended if d.party_key in gone and gone[d.party_key] <= on
    ]
    if left:
        party, day = left[0]
        cite = citations_for(agreement.kind)
        reason = (
            f"De partner van {person.name} ({party}) is per {nl_date(day)} uit de samenwerking getreden; "
            "de aanwijzing is daarmee geëindigd."
        )
        return RuleAnswer(
            False,
            None,
            reason,
            cite.withdrawal,
            missing=("een partner in de samenwerking",),
            actions=("Verstrek geen gegevens aan deze deelnemer.",),
        )
    if ended:
        last = max(d.designated_until for d in ended if d.designated_until)
        reason = f"De aanwijzing van {person.name} voor {agreement.title} is geëindigd op {nl_date(last)}."
        action = "Laat de partner de aanwijzing verlengen of vastleggen wie de professional vervangt."
    elif future:
        first = min(d.designated_from for d in future)
        reason = f"{person.name} is pas aangewezen vanaf {nl_date(first)}."
        action = "Wacht tot de aanwijzing ingaat of laat de partner de ingangsdatum aanpassen."
    else:
        reason = f"{person.name} is niet aangewezen voor het overleg van {agreement.title}."
        action = "Laat de partner deze persoon aanwijzen (of nodig haar uit als agendadeelnemer)."
    return RuleAnswer(False, None, reason, article, missing=("een geldige aanwijzing",), actions=(action,))


def _warn(until: date | None, on: date, what: str, article: str) -> tuple[str, ...]:
    if until is not None and (until - on).days <= WARNING_DAYS:
        return (f"{what} eindigt op {nl_date(until)}. ({article})",)
    return ()


def _term(
    agreement: AgreementFacts, events: Sequence[TermEventFacts], on: date, term: TermStatus | None
) -> TermStatus:
    return term if term is not None else term_status(agreement, events, on)


def may_receive_police_data(
    person: PersonFacts,
    agreement: AgreementFacts,
    besluit: BesluitFacts | None,
    on: date,
    events: Sequence[TermEventFacts] = (),
    *,
    term: TermStatus | None = None,
) -> RuleAnswer:
    """Only designated professionals of partners that the besluit names as recipients, while the besluit is in
    force and not revoked and the agreement runs. Agendadeelnemers never (Besluit §4, privacyregeling
    art. 11 lid 1).
    The wijkagent and the substitute are the providers: they hold the data themselves."""
    cite = citations_for(agreement.kind)
    person = _without_withdrawn(person, events)
    if any(d.role == "agendadeelnemer" and d.active_on(on) for d in person.designations) and not _active(
        person.designations, on, PARTNER_ROLES
    ):
        return RuleAnswer(
            False,
            None,
            f"{person.name} is agendadeelnemer; aan agendadeelnemers worden nooit politiegegevens verstrekt.",
            cite.police_never_agendadeelnemer,
        )
    status = _term(agreement, events, on, term)
    if not status.in_force:
        return RuleAnswer(
            False,
            None,
            status.reason,
            status.article,
            missing=("een lopende overeenkomst",),
            actions=("Verleng of vernieuw de overeenkomst voordat gegevens worden gedeeld.",),
        )
    designation = _active(person.designations, on, PARTNER_ROLES)
    if designation is None:
        return _not_designated(person, agreement, on, cite.police_recipient, PARTNER_ROLES, events)
    b = besluit_status(besluit, agreement.kind, on)
    if not b.allowed:
        return RuleAnswer(False, None, b.reason, b.article, b.missing, b.actions)
    assert besluit is not None
    if designation.role in PROVIDER_ROLES:
        until = earliest(designation.designated_until, b.until, status.period_end)
        return RuleAnswer(
            True,
            until,
            f"{person.name} is {ROLE_LABELS[designation.role]} en verstrekt zelf politiegegevens "
            "onder het besluit.",
            cite.police_provider,
            warnings=_warn(until, on, "Deze bevoegdheid", cite.police_provider)
            + b.warnings
            + status.warnings,
        )
    if designation.party_key not in besluit.recipients:
        return RuleAnswer(
            False,
            None,
            f"De partner van {person.name} ({designation.party_key or 'onbekend'}) is in het besluit ex "
            "artikel 20 Wpg niet aangewezen als ontvanger van politiegegevens.",
            cite.police_recipient,
            missing=("vermelding van de partner als ontvanger in het besluit",),
            actions=("Verstrek geen politiegegevens aan deze deelnemer.",),
        )
    until = earliest(designation.designated_until, b.until, status.period_end)
    return RuleAnswer(
        True,
        until,
        f"{person.name} is aangewezen professional van een ontvangende partner onder het besluit ex "
        "artikel 20 Wpg.",
        cite.police_recipient,
        warnings=_warn(until, on, "De ontvangstbevoegdheid voor politiegegevens", cite.police_recipient)
        + b.warnings
        + status.warnings,
    )


def may_receive_personal_data(
    person: PersonFacts,
    agreement: AgreementFacts,
    on: date,
    events: Sequence[TermEventFacts] = (),
    *,
    term: TermStatus | None = None,
) -> RuleAnswer:
    """Designated professionals of partners; agendadeelnemers only after signing the geheimhoudingsverklaring
    for this agreement (privacyregeling art. 11 lid 2, bijlage 1.a / convenant art. 19 lid 3)."""
    cite = citations_for(agreement.kind)
    person = _without_withdrawn(person, events)
    status = _term(agreement, events, on, term)
    if not status.in_force:
        return RuleAnswer(
            False,
            None,
            status.reason,
            status.article,
            missing=("een lopende overeenkomst",),
            actions=("Verleng of vernieuw de overeenkomst voordat gegevens worden gedeeld.",),
        )
    designation = _active(person.designations, on, PARTNER_ROLES)
    if designation is not None:
        until = earliest(designation.designated_until, status.period_end)
        return RuleAnswer(
            True,
            until,
            f"{person.name} is aangewezen {ROLE_LABELS[designation.role]} voor {agreement.title}.",
            cite.personal_partner,
            warnings=_warn(until, on, "De bevoegdheid voor persoonsgegevens", cite.personal_partner)
            + status.warnings,
        )
    guest = _active(person.designations, on, ("agendadeelnemer",))
    if guest is None:
        return _not_designated(person, agreement, on, cite.designation, events=events)
    signed = [d for d in person.declarations if d.signed_on <= on]
    if not signed:
        return RuleAnswer(
            False,
            None,
            f"{person.name} is agendadeelnemer en heeft de geheimhoudingsverklaring voor {agreement.title} "
            "niet ondertekend; persoonsgegevens mogen pas daarna worden verstrekt.",
            cite.personal_agendadeelnemer,
            missing=("ondertekende geheimhoudingsverklaring",),
            actions=(
                "Laat de geheimhoudingsverklaring ondertekenen (met de gekozen grondslag) "
                "vóór de bespreking.",
            ),
        )
    declaration = max(signed, key=lambda d: d.signed_on)
    until = earliest(guest.designated_until, status.period_end)
    return RuleAnswer(
        True,
        until,
        f"{person.name} is agendadeelnemer en heeft op {nl_date(declaration.signed_on)} de "
        "geheimhoudingsverklaring "
        f"ondertekend (grondslag: {declaration.ground}); alleen persoonsgegevens, nooit politiegegevens.",
        cite.personal_agendadeelnemer,
        warnings=_warn(until, on, "De uitnodiging als agendadeelnemer", cite.personal_agendadeelnemer)
        + status.warnings,
    )


def may_provide_police_data(
    person: PersonFacts,
    agreement: AgreementFacts,
    besluit: BesluitFacts | None,
    on: date,
    events: Sequence[TermEventFacts] = (),
    *,
    term: TermStatus | None = None,
) -> RuleAnswer:
    """Only the wijkagent, or in their absence the substitute the basisteamleiding designated (Besluit §3)."""
    cite = citations_for(agreement.kind)
    person = _without_withdrawn(person, events)
    status = _term(agreement, events, on, term)
    if not status.in_force:
        return RuleAnswer(False, None, status.reason, status.article, missing=("een lopende overeenkomst",))
    designation = _active(person.designations, on, PROVIDER_ROLES)
    if designation is None:
        refused = _not_designated(person, agreement, on, cite.police_provider, PROVIDER_ROLES, events)
        if not any(d.role in PROVIDER_ROLES for d in person.designations):
            return RuleAnswer(
                False,
                None,
                f"{person.name} is niet de wijkagent en niet de door de basisteamleiding aangewezen "
                "vervanger; "
                "alleen zij mogen politiegegevens verstrekken.",
                cite.police_provider,
                missing=("aanwijzing als wijkagent of vervanger",),
                actions=(
                    "Laat de wijkagent (of de aangewezen vervanger) de verstrekking doen en vastleggen.",
                ),
            )
        return refused
    b = besluit_status(besluit, agreement.kind, on)
    if not b.allowed:
        return RuleAnswer(False, None, b.reason, b.article, b.missing, b.actions)
    assert besluit is not None
    if designation.role not in besluit.providers:
        return RuleAnswer(
            False,
            None,
            f"Het besluit staat verstrekking door de {ROLE_LABELS[designation.role]} niet toe.",
            cite.police_provider,
        )
    until = earliest(designation.designated_until, b.until, status.period_end)
    by = f" (aangewezen door {designation.designated_by})" if designation.designated_by else ""
    return RuleAnswer(
        True,
        until,
        f"{person.name} is {ROLE_LABELS[designation.role]}{by} en mag politiegegevens verstrekken "
        "onder het besluit.",
        cite.police_provider,
        warnings=_warn(until, on, "De verstrekkingsbevoegdheid", cite.police_provider) + b.warnings,
    )
