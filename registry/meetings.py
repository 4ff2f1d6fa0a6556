"""The meeting check for the coordinator: per attendee, what they may receive on the meeting date, until
when, what is missing and what to do — each with the article it rests on. Unknown attendees are reported,
never allowed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlmodel import Session, col, or_, select

from registry.errors import NotInRegistry
from registry.models import Agreement, AgreementParty, Meeting, MeetingAttendee, Organisation, Person
from registry.repository import (
    agreement_facts,
    besluit_facts,
    besluit_record,
    declarations_by_person,
    designations_by_person,
    term_events,
)
from registry.rules import (
    Capacity,
    PersonFacts,
    RuleAnswer,
    besluit_status,
    may_receive_personal_data,
    may_receive_police_data,
    term_status,
)
from registry.rules.access import without_withdrawn


@dataclass(frozen=True)
class AttendeeCheck:
    given_as: str
    known: bool
    name: str
    email: str | None
    organisation: str | None
    role: str | None
    role_label: str
    police: RuleAnswer
    personal: RuleAnswer

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.police.missing + self.personal.missing))

    @property
    def actions(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.personal.actions + self.police.actions))

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.police.warnings + self.personal.warnings))

    def as_dict(self) -> dict[str, Any]:
        return {
            "opgegeven_als": self.given_as,
            "bekend": self.known,
            "naam": self.name,
            "email": self.email,
            "organisatie": self.organisation,
            "rol": self.role,
            "rol_omschrijving": self.role_label,
            "politiegegevens": self.police.as_dict(),
            "persoonsgegevens": self.personal.as_dict(),
            "ontbreekt": list(self.missing),
            "acties": list(self.actions),
            "waarschuwingen": list(self.warnings),
        }


@dataclass(frozen=True)
class MeetingCheck:
    meeting_key: str | None
    agreement_key: str
    agreement_title: str
    held_on: date
    term: RuleAnswer
    besluit: RuleAnswer
    attendees: tuple[AttendeeCheck, ...]
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def unknown(self) -> tuple[AttendeeCheck, ...]:
        return tuple(a for a in self.attendees if not a.known)

    def as_dict(self) -> dict[str, Any]:
        return {
            "overleg": self.meeting_key,
            "overeenkomst": self.agreement_key,
            "titel": self.agreement_title,
            "datum": self.held_on.isoformat(),
            "looptijd": self.term.as_dict(),
            "besluit": self.besluit.as_dict(),
            "deelnemers": [a.as_dict() for a in self.attendees],
            "waarschuwingen": list(self.warnings),
            "onbekende_deelnemers": [a.given_as for a in self.unknown],
        }


def get_meeting(session: Session, ref: str) -> Meeting:
    meeting = session.exec(select(Meeting).where(Meeting.key == ref)).first()
    if meeting is None and ref.isascii() and ref.isdigit() and len(ref) < 18:
        meeting = session.get(Meeting, int(ref))
    if meeting is None:
        raise NotInRegistry(f"Overleg '{ref}' is niet bekend in het register.", field="meeting")
    return meeting


def resolve_people(session: Session, given: Sequence[str]) -> dict[str, Person]:
    """Match attendees given as key, e-mail or exact name, in one query."""
    keys = [g.strip() for g in given if g.strip()]
    if not keys:
        return {}
    emails = [k.lower() for k in keys if "@" in k]
    rows = session.exec(
        select(Person).where(
            or_(col(Person.key).in_(keys), col(Person.email).in_(emails), col(Person.name).in_(keys))
        )
    ).all()
    by_key = {p.key: p for p in rows}
    by_email = {p.email: p for p in rows if p.email}
    by_name: dict[str, list[Person]] = {}
    for p in rows:
        by_name.setdefault(p.name, []).append(p)
    out: dict[str, Person] = {}
    for k in keys:
        person = by_key.get(k) or by_email.get(k.lower())
        if person is None and len(by_name.get(k, [])) == 1:  # an ambiguous name is not a match
            person = by_name[k][0]
        if person is not None:
            out[k] = person
    return out


def check_meeting(
    session: Session, meeting_ref: str, *, extra_attendees: Sequence[str] = (), on: date | None = None
) -> MeetingCheck:
    meeting = get_meeting(session, meeting_ref)
    agreement = session.get(Agreement, meeting.agreement_id)
    assert agreement is not None
    attendees = session.exec(
        select(MeetingAttendee)
        .where(MeetingAttendee.meeting_id == meeting.id)
        .order_by(col(MeetingAttendee.id))
    ).all()
    given = [a.given_as for a in attendees] + [
        a for a in extra_attendees if a not in {x.given_as for x in attendees}
    ]
    party_keys = dict(
        session.exec(
            select(AgreementParty.id, AgreementParty.key).where(AgreementParty.agreement_id == agreement.id)
        ).all()
    )
    capacities = {
        a.given_as: Capacity(a.role, party_keys.get(a.party_id) if a.party_id else None)
        for a in attendees
        if a.role
    }
    return check_attendees(
        session, agreement, given, on or meeting.held_on, meeting_key=meeting.key, capacities=capacities
    )


def check_attendees(
    session: Session,
    agreement: Agreement,
    given: Sequence[str],
    on: date,
    *,
    meeting_key: str | None = None,
    capacities: dict[str, Capacity] | None = None,
) -> MeetingCheck:
    """Per attendee what they may receive on ``on``. The capacity recorded for an attendee decides; without
    one, a person active in a single capacity attends in it, and a person with several only receives what
    every one of them allows (and the check asks to record the capacity)."""
    assert agreement.id is not None
    capacities = capacities or {}
    facts = agreement_facts(session, agreement)
    legal = facts.legal
    designation_cite = legal.cite(
        list(legal.model.designation) + [k for r in legal.model.roles for k in r.source]
    )
    events = term_events(session, agreement.id)
    status = term_status(facts, events, on)
    besluit = besluit_facts(besluit_record(session, agreement.id, on))
    b_answer = besluit_status(besluit, facts, on)
    people = resolve_people(session, given)
    ids = {p.id for p in people.values() if p.id is not None}
    designations = designations_by_person(session, agreement.id, ids)
    declarations = declarations_by_person(session, agreement.id, ids)
    # A person the registry knows only under another agreement is unknown here: the check never shows
    # the name, address or organisation of someone outside this agreement (issue 10, item 5).
    people = {g: p for g, p in people.items() if p.id in designations or p.id in declarations}
    org_ids = {p.organisation_id for p in people.values() if p.organisation_id}
    orgs = {
        o.id: o.name
        for o in session.exec(select(Organisation).where(col(Organisation.id).in_(list(org_ids))))
    }

    checks: list[AttendeeCheck] = []
    for g in given:
        person = people.get(g.strip())
        if person is None:
            unknown = RuleAnswer(
                False,
                None,
                f"'{g}' is niet bekend in het register; deze deelnemer krijgt geen persoons- of "
                "politiegegevens.",
                designation_cite,
                missing=("registratie en aanwijzing in het register",),
                actions=(
                    "Registreer de deelnemer en laat de partner deze persoon aanwijzen, of nodig de "
                    "deelnemer uit als agendadeelnemer met een ondertekende geheimhoudingsverklaring.",
                ),
            )
            checks.append(
                AttendeeCheck(g, False, g, g if "@" in g else None, None, None, "onbekend", unknown, unknown)
            )
            continue
        assert person.id is not None
        pf = PersonFacts(
            person.name, tuple(designations.get(person.id, ())), tuple(declarations.get(person.id, ()))
        )
        active = [d for d in without_withdrawn(pf, events).designations if d.active_on(on)]
        capacity = capacities.get(g)
        options: list[Capacity | None] = (
            [capacity] if capacity else list(dict.fromkeys(Capacity(d.role, d.party_key) for d in active))
        )
        if not options:
            options = [None]  # not designated: the rules say why
        answers = [
            (
                may_receive_police_data(pf, facts, besluit, on, events, term=status, capacity=c),
                may_receive_personal_data(pf, facts, on, events, besluit=besluit, term=status, capacity=c),
            )
            for c in options
        ]
        police = _strictest([a[0] for a in answers])
        personal = _strictest([a[1] for a in answers])
        if len(options) > 1:
            ask = (
                f"{person.name} is in meer dan één hoedanigheid aangewezen; leg per overleg vast in welke "
                "hoedanigheid zij deelneemt (tot dan geldt alleen wat in elke hoedanigheid is toegestaan)."
            )
            police = replace(police, warnings=police.warnings + (ask,))
        role = options[0].role if options[0] else (pf.designations[0].role if pf.designations else None)
        checks.append(
            AttendeeCheck(
                g,
                True,
                person.name,
                person.email,
                orgs.get(person.organisation_id) if person.organisation_id else None,
                role,
                legal.role_label(role) if role else "niet aangewezen",
                police,
                personal,
            )
        )

    term_answer = RuleAnswer(
        status.in_force,
        status.period_end if status.in_force and status.period_end != date.max else None,
        status.reason,
        status.article,
        warnings=status.warnings,
    )
    warnings = list(status.warnings) + list(b_answer.warnings)
    if not status.in_force:
        warnings.insert(0, f"{status.reason} ({status.article})")
    if any(not c.known for c in checks):
        warnings.append(
            f"{sum(not c.known for c in checks)} deelnemer(s) onbekend in het register. ({designation_cite})"
        )
    return MeetingCheck(
        meeting_key,
        agreement.key,
        agreement.title,
        on,
        term_answer,
        b_answer,
        tuple(checks),
        tuple(dict.fromkeys(warnings)),
    )


def _strictest(answers: list[RuleAnswer]) -> RuleAnswer:
    """A refusal if any capacity refuses; otherwise the answer that ends first."""
    refused = [a for a in answers if not a.allowed]
    if refused:
        return refused[0]
    return min(answers, key=lambda a: a.until or date.max)


def party_keys(session: Session, agreement_id: int) -> list[str]:
    return list(session.exec(select(AgreementParty.key).where(AgreementParty.agreement_id == agreement_id)))
