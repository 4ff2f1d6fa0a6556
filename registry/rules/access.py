"""Who may receive or provide which data on a given date — evaluated over the dossier's legal model.

A person may receive data of a kind when one of their designations active on the date (or, at a meeting,
the capacity recorded for them) is in a role to which a declared flow of that kind goes, their party is one
the flow names, and every condition of that flow holds: a besluit in force, the party named as recipient in
it, a signed declaration, ... Conditions to be weighed per case (consent, "only in special cases") do not
refuse: the answer lists them. A declared prohibition refuses. One valid designation suffices.

Each answer's ``until`` is the earliest of the designation's end, the besluit's last day (when a condition
needs it), the flow's own end and the end of the running term; a warning is added within 30 days.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from registry.rules.answer import RuleAnswer, earliest
from registry.rules.dates import nl_date
from registry.rules.facts import (
    AgreementFacts,
    BesluitFacts,
    Capacity,
    DesignationFacts,
    LegalFacts,
    PersonFacts,
    TermEventFacts,
)
from registry.rules.terms import WARNING_DAYS, TermStatus, besluit_status, term_status
from templates.dossier.legal import DATA_LABELS, Flow

POLICE = "politiegegevens"
PERSONAL = "persoonsgegevens"


def withdrawals(events: Sequence[TermEventFacts]) -> dict[str, date]:
    """Party key -> the first day it is no longer in the cooperation (``uittreding`` events)."""
    out: dict[str, date] = {}
    for e in events:
        if e.kind == "uittreding" and e.party_key:
            out[e.party_key] = min(e.occurred_on, out.get(e.party_key, e.occurred_on))
    return out


def without_withdrawn(person: PersonFacts, events: Sequence[TermEventFacts]) -> PersonFacts:
    """Designations for a party that left the cooperation end the day before it left."""
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


def _designation_sources(legal: LegalFacts, roles: Sequence[str] | None = None) -> list[str]:
    keys = list(legal.model.designation)
    for role in legal.model.roles:
        if roles is None or role.key in roles:
            keys += role.source
    return keys


def _not_designated(
    person: PersonFacts,
    agreement: AgreementFacts,
    on: date,
    article: str,
    roles: Sequence[str] | None,
    events: Sequence[TermEventFacts],
) -> RuleAnswer:
    legal = agreement.legal
    relevant = [d for d in person.designations if roles is None or d.role in roles]
    ended = [d for d in relevant if d.designated_until is not None and d.designated_until < on]
    future = [d for d in relevant if d.designated_from > on]
    gone = withdrawals(events)
    left = [
        (d.party_key, gone[d.party_key]) for d in ended if d.party_key in gone and gone[d.party_key] <= on
    ]
    if left:
        party, day = left[0]
        withdrawal = legal.model.term.withdrawal
        cite = legal.cite(withdrawal.source) if withdrawal else article
        return RuleAnswer(
            False,
            None,
            f"De partij van {person.name} ({party}) is per {nl_date(day)} uit de samenwerking getreden; "
            "de aanwijzing is daarmee geëindigd.",
            cite,
            missing=("een partij in de samenwerking",),
            actions=("Verstrek geen gegevens aan deze deelnemer.",),
        )
    if ended:
        last = max(d.designated_until for d in ended if d.designated_until)
        reason = f"De aanwijzing van {person.name} voor {agreement.title} is geëindigd op {nl_date(last)}."
        action = "Laat de partij de aanwijzing verlengen of vastleggen wie de professional vervangt."
    elif future:
        first = min(d.designated_from for d in future)
        reason = f"{person.name} is pas aangewezen vanaf {nl_date(first)}."
        action = "Wacht tot de aanwijzing ingaat of laat de partij de ingangsdatum aanpassen."
    else:
        reason = f"{person.name} is niet aangewezen voor {agreement.title}."
        action = (
            "Laat de partij deze persoon aanwijzen, of nodig deze persoon uit in een rol die het "
            "convenant kent."
        )
    return RuleAnswer(False, None, reason, article, missing=("een geldige aanwijzing",), actions=(action,))


def _warn(until: date | None, on: date, what: str, article: str) -> tuple[str, ...]:
    if until is not None and (until - on).days <= WARNING_DAYS:
        return (f"{what} eindigt op {nl_date(until)}. ({article})",)
    return ()


def _end(status: TermStatus) -> date | None:
    """The last day of the running term; None for an indefinite term (no end known)."""
    return None if status.period_end == date.max else status.period_end


def _term(
    agreement: AgreementFacts, events: Sequence[TermEventFacts], on: date, term: TermStatus | None
) -> TermStatus:
    return term if term is not None else term_status(agreement, events, on)


def _covers(data: str, flow_data: str) -> bool:
    """Police data are personal data too, but a flow of personal data does not carry police data."""
    return flow_data == data


def _party_fits(flow: Flow, d: DesignationFacts, besluit: BesluitFacts | None) -> bool:
    if flow.to_parties is None:
        return True
    if flow.to_parties == "besluit":
        return besluit is not None and d.party_key in besluit.recipients
    return d.party_key in flow.to_parties


@dataclass(frozen=True)
class _Outcome:
    answer: RuleAnswer
    rank: int  # how informative a refusal is: 3 condition failed, 2 prohibition, 1 party, 0 no flow


def _via_flow(
    flow: Flow,
    d: DesignationFacts,
    person: PersonFacts,
    agreement: AgreementFacts,
    besluit: BesluitFacts | None,
    on: date,
    status: TermStatus,
    in_meeting: bool,
) -> _Outcome:
    legal = agreement.legal
    model = legal.model
    label = DATA_LABELS[flow.data]
    conditions = [c for c in (model.condition(k) for k in flow.conditions) if c is not None]
    conditions = [c for c in conditions if not c.roles or d.role in c.roles]
    grounds = [g for g in (model.ground(k) for k in flow.grounds) if g is not None]
    article = legal.cite(
        flow.source + [k for g in grounds for k in g.source] + [k for c in conditions for k in c.source]
    )
    if not grounds:
        return _Outcome(
            RuleAnswer(
                False,
                None,
                f"De gegevensstroom '{flow.key}' noemt geen grondslag; zonder grondslag worden geen "
                f"{label} verstrekt.",
                legal.cite(flow.source),
                missing=("een grondslag in het rechtsmodel",),
                actions=("Vul de grondslag van deze gegevensstroom aan in het dossier.",),
            ),
            3,
        )
    until = earliest(d.designated_until, _end(status), flow.until)
    notes: list[str] = []  # what was found (a declaration)
    provisos: list[str] = []  # what must hold per case; stated in the answer, not checked here
    for c in conditions:
        cited = legal.cite(c.source)
        if c.kind in ("besluit", "ontvanger_in_besluit"):
            b = besluit_status(besluit, agreement, on)
            if not b.allowed:
                return _Outcome(RuleAnswer(False, None, b.reason, b.article, b.missing, b.actions), 3)
            until = earliest(until, b.until)
            if (
                c.kind == "ontvanger_in_besluit"
                and besluit is not None
                and d.party_key not in besluit.recipients
            ):
                return _Outcome(
                    RuleAnswer(
                        False,
                        None,
                        f"De partij van {person.name} ({d.party_key or 'geen partij'}) is in het besluit "
                        f"niet aangewezen als ontvanger van {label}.",
                        cited,
                        missing=("vermelding van de partij als ontvanger in het besluit",),
                        actions=(f"Verstrek geen {label} aan deze deelnemer.",),
                    ),
                    3,
                )
        elif c.kind == "verklaring":
            signed = [x for x in person.declarations if x.signed_on <= on]
            if not signed:
                return _Outcome(
                    RuleAnswer(
                        False,
                        None,
                        f"{person.name} is {legal.role_label(d.role)} en heeft de geheimhoudingsverklaring "
                        f"voor {agreement.title} niet ondertekend; {label} mogen pas daarna worden "
                        "verstrekt.",
                        cited,
                        missing=("ondertekende geheimhoudingsverklaring",),
                        actions=(
                            "Laat de geheimhoudingsverklaring ondertekenen (met de gekozen grondslag) "
                            "vóór de bespreking.",
                        ),
                    ),
                    3,
                )
            latest = max(signed, key=lambda x: x.signed_on)
            notes.append(
                f"geheimhoudingsverklaring ondertekend op {nl_date(latest.signed_on)} "
                f"(grondslag: {latest.ground})"
            )
        elif c.kind == "deelname_overleg" and not in_meeting:
            provisos.append(f"alleen bij deelname aan het overleg ({cited})")
        elif c.kind == "per_geval":
            provisos.append(f"{c.text} ({cited})")
    via = f" ({'; '.join(notes + provisos)})" if notes or provisos else ""
    reason = (
        f"{person.name} is {legal.role_label(d.role)}"
        + (f" van {d.party_key}" if d.party_key else "")
        + f" en mag {label} ontvangen onder '{flow.key}'{via}."
    )
    conditional = tuple(f"Voorwaarde: {n}" for n in provisos)
    return _Outcome(
        RuleAnswer(
            True,
            until,
            reason,
            article,
            warnings=conditional + _warn(until, on, f"De bevoegdheid voor {label}", article),
        ),
        4,
    )


def _needs_besluit(flow: Flow, legal: LegalFacts) -> bool:
    return any(
        c is not None and c.kind in ("besluit", "ontvanger_in_besluit")
        for c in (legal.model.condition(k) for k in flow.conditions)
    )


def _as_provider(
    flow: Flow,
    d: DesignationFacts,
    person: PersonFacts,
    agreement: AgreementFacts,
    besluit: BesluitFacts | None,
    on: date,
    status: TermStatus,
) -> _Outcome:
    legal = agreement.legal
    label = DATA_LABELS[flow.data]
    article = legal.cite(flow.source)
    until = earliest(d.designated_until, _end(status), flow.until)
    warnings: tuple[str, ...] = ()
    if _needs_besluit(flow, legal):
        b = besluit_status(besluit, agreement, on)
        if not b.allowed:
            return _Outcome(RuleAnswer(False, None, b.reason, b.article, b.missing, b.actions), 3)
        until = earliest(until, b.until)
        warnings = b.warnings
    return _Outcome(
        RuleAnswer(
            True,
            until,
            f"{person.name} is {legal.role_label(d.role)} en verstrekt zelf {label} onder '{flow.key}'.",
            article,
            warnings=_warn(until, on, "Deze bevoegdheid", article) + warnings,
        ),
        4,
    )


def _via_designation(
    d: DesignationFacts,
    data: str,
    person: PersonFacts,
    agreement: AgreementFacts,
    besluit: BesluitFacts | None,
    on: date,
    status: TermStatus,
    in_meeting: bool,
) -> _Outcome:
    legal = agreement.legal
    model = legal.model
    label = DATA_LABELS.get(data, data)
    role_label = legal.role_label(d.role)
    for p in model.prohibitions:
        if p.data == data and d.role in p.roles:
            return _Outcome(
                RuleAnswer(
                    False,
                    None,
                    f"{person.name} is {role_label}; {p.text}",
                    legal.cite(p.source),
                    missing=(),
                    actions=(f"Verstrek geen {label} aan deze deelnemer.",),
                ),
                2,
            )
    flows = [f for f in model.flows if _covers(data, f.data) and d.role in f.to_roles]
    own = [f for f in model.flows if f.data == data and d.role in f.from_roles]
    if not flows and own:
        # A role the data flow *from* holds them itself (the wijkagent and police data), as long as the
        # flow's besluit (if any) is in force.
        return max(
            (_as_provider(f, d, person, agreement, besluit, on, status) for f in own),
            key=lambda o: (o.rank, o.answer.until or date.max),
        )
    if not flows:
        sources = [k for f in model.flows if f.data == data for k in f.source] or _designation_sources(
            legal, [d.role]
        )
        return _Outcome(
            RuleAnswer(
                False,
                None,
                f"{person.name} is {role_label}; het convenant regelt geen verstrekking van {label} aan "
                f"een {role_label}.",
                legal.cite(sources),
                missing=(f"een gegevensstroom van {label} naar deze rol",),
                actions=(f"Verstrek geen {label} aan deze deelnemer.",),
            ),
            0,
        )
    best: _Outcome | None = None
    for flow in flows:
        if not _party_fits(flow, d, besluit):
            who = "de ontvangers in het besluit" if flow.to_parties == "besluit" else "de genoemde partijen"
            outcome = _Outcome(
                RuleAnswer(
                    False,
                    None,
                    f"De partij van {person.name} ({d.party_key or 'geen partij'}) hoort niet bij {who} "
                    f"van de gegevensstroom '{flow.key}'.",
                    legal.cite(flow.source),
                    missing=("een partij die de gegevensstroom noemt",),
                    actions=(f"Verstrek geen {label} aan deze deelnemer.",),
                ),
                1,
            )
            if flow.to_parties == "besluit":
                b = besluit_status(besluit, agreement, on)
                if not b.allowed:
                    outcome = _Outcome(RuleAnswer(False, None, b.reason, b.article, b.missing, b.actions), 3)
        else:
            outcome = _via_flow(flow, d, person, agreement, besluit, on, status, in_meeting)
        if (
            best is None
            or outcome.rank > best.rank
            or (
                outcome.rank == best.rank == 4
                and (outcome.answer.until or date.max) > (best.answer.until or date.max)
            )
        ):
            best = outcome
    assert best is not None
    return best


def may_receive(
    person: PersonFacts,
    agreement: AgreementFacts,
    data: str,
    besluit: BesluitFacts | None,
    on: date,
    events: Sequence[TermEventFacts] = (),
    *,
    term: TermStatus | None = None,
    capacity: Capacity | None = None,
) -> RuleAnswer:
    """May ``person`` receive ``data`` (a data kind of the model) on ``on``? With ``capacity`` (at a
    meeting), only that role and party count; without it, any active designation suffices."""
    legal = agreement.legal
    person = without_withdrawn(person, events)
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
    active = [d for d in person.designations if d.active_on(on)]
    if capacity is not None:
        matching = [
            d
            for d in active
            if d.role == capacity.role and (capacity.party_key is None or d.party_key == capacity.party_key)
        ]
        if not matching:
            what = legal.role_label(capacity.role) + (
                f" van {capacity.party_key}" if capacity.party_key else ""
            )
            return RuleAnswer(
                False,
                None,
                f"{person.name} neemt deel als {what}, maar is op {nl_date(on)} niet zo aangewezen.",
                legal.cite(_designation_sources(legal, [capacity.role])),
                missing=("een geldige aanwijzing in deze hoedanigheid",),
                actions=("Leg de juiste hoedanigheid vast of laat de partij deze persoon aanwijzen.",),
            )
        active = matching
    if not active:
        return _not_designated(person, agreement, on, legal.cite(_designation_sources(legal)), None, events)
    outcomes = [
        _via_designation(d, data, person, agreement, besluit, on, status, capacity is not None)
        for d in active
    ]
    allowed = [o for o in outcomes if o.answer.allowed]
    if allowed:
        best = max(allowed, key=lambda o: o.answer.until or date.max).answer
        return replace(best, warnings=best.warnings + status.warnings)
    return max(outcomes, key=lambda o: o.rank).answer


def may_receive_police_data(
    person: PersonFacts,
    agreement: AgreementFacts,
    besluit: BesluitFacts | None,
    on: date,
    events: Sequence[TermEventFacts] = (),
    *,
    term: TermStatus | None = None,
    capacity: Capacity | None = None,
) -> RuleAnswer:
    return may_receive(person, agreement, POLICE, besluit, on, events, term=term, capacity=capacity)


def may_receive_personal_data(
    person: PersonFacts,
    agreement: AgreementFacts,
    on: date,
    events: Sequence[TermEventFacts] = (),
    *,
    besluit: BesluitFacts | None = None,
    term: TermStatus | None = None,
    capacity: Capacity | None = None,
) -> RuleAnswer:
    return may_receive(person, agreement, PERSONAL, besluit, on, events, term=term, capacity=capacity)


def provider_roles(legal: LegalFacts, data: str = POLICE) -> list[str]:
    """The roles from which the model lets ``data`` flow."""
    return list(dict.fromkeys(r for f in legal.model.flows if f.data == data for r in f.from_roles))


def may_provide(
    person: PersonFacts,
    agreement: AgreementFacts,
    data: str,
    besluit: BesluitFacts | None,
    on: date,
    events: Sequence[TermEventFacts] = (),
    *,
    term: TermStatus | None = None,
) -> RuleAnswer:
    """May ``person`` provide ``data`` on ``on``: designated in a role a declared flow of it comes from, with
    that flow's besluit condition (if any) holding."""
    legal = agreement.legal
    label = DATA_LABELS.get(data, data)
    person = without_withdrawn(person, events)
    status = _term(agreement, events, on, term)
    if not status.in_force:
        return RuleAnswer(False, None, status.reason, status.article, missing=("een lopende overeenkomst",))
    flows = [f for f in legal.model.flows if f.data == data]
    roles = provider_roles(legal, data)
    flow_cite = legal.cite([k for f in flows for k in f.source])
    active = [d for d in person.designations if d.active_on(on) and d.role in roles]
    if not active:
        refused = _not_designated(person, agreement, on, flow_cite, roles, events)
        if not any(d.role in roles for d in person.designations):
            labels = " of ".join(legal.role_label(r) for r in roles) or "niemand"
            return RuleAnswer(
                False,
                None,
                f"{person.name} is geen {labels}; alleen zij mogen {label} verstrekken.",
                flow_cite,
                missing=(f"aanwijzing als {labels}",),
                actions=(f"Laat de {labels} de verstrekking doen en vastleggen.",),
            )
        return refused
    best: RuleAnswer | None = None
    for d in active:
        for flow in (f for f in flows if d.role in f.from_roles):
            article = legal.cite(flow.source)
            until = earliest(d.designated_until, _end(status), flow.until)
            warnings: tuple[str, ...] = ()
            if _needs_besluit(flow, legal):
                b = besluit_status(besluit, agreement, on)
                if not b.allowed:
                    candidate = RuleAnswer(False, None, b.reason, b.article, b.missing, b.actions)
                    best = best or candidate
                    continue
                until = earliest(until, b.until)
                warnings = b.warnings
            by = f" (aangewezen door {d.designated_by})" if d.designated_by else ""
            answer = RuleAnswer(
                True,
                until,
                f"{person.name} is {legal.role_label(d.role)}{by} en mag {label} verstrekken onder "
                f"'{flow.key}'.",
                article,
                warnings=_warn(until, on, "De verstrekkingsbevoegdheid", article) + warnings,
            )
            if best is None or not best.allowed or (answer.until or date.max) > (best.until or date.max):
                best = answer
    assert best is not None
    return best


def may_provide_police_data(
    person: PersonFacts,
    agreement: AgreementFacts,
    besluit: BesluitFacts | None,
    on: date,
    events: Sequence[TermEventFacts] = (),
    *,
    term: TermStatus | None = None,
) -> RuleAnswer:
    return may_provide(person, agreement, POLICE, besluit, on, events, term=term)
