"""The meeting check for the coordinator: per attendee, what they may receive on the meeting date, until
when, what is missing and what to do — each with the article it rests on. Unknown attendees are reported,
never allowed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
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
    ROLE_LABELS,
    PersonFacts,
    RuleAnswer,
    besluit_status,
    citations_for,
    may_receive_personal_data,
    may_receive_police_data,
    term_status,
)
from registry.rules.access import PARTNER_ROLES


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
    return check_attendees(session, agreement, given, on or meeting.held_on, meeting_key=meeting.key)


def check_attendees(
    session: Session, agreement: Agreement, given: Sequence[str], on: date, *, meeting_key: str | None = None
) -> MeetingCheck:
    assert agreement.id is not None
    cite = citations_for(agreement.kind)
    facts = agreement_facts(session, agreement)
    events = term_events(session, agreement.id)
    status = term_status(facts, events, on)
    besluit = besluit_facts(besluit_record(session, agreement.id, on))
    b_answer = besluit_status(besluit, agreement.kind, on)
    people = resolve_people(session, given)
    ids = {p.id for p in people.values() if p.id is not None}
    designations = designations_by_person(session, agreement.id, ids)
    declarations = declarations_by_person(session, agreement.id, ids)
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
                cite.designation,
                missing=("registratie en aanwijzing in het register",),
                actions=(
                    "Registreer de deelnemer en laat de partner haar aanwijzen, of nodig haar uit als "
                    "agendadeelnemer met een ondertekende geheimhoudingsverklaring.",
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
        police = may_receive_police_data(pf, facts, besluit, on, events, term=status)
        personal = may_receive_personal_data(pf, facts, on, events, term=status)
        active = [d for d in pf.designations if d.active_on(on)]
        role = next((d.role for d in active if d.role in PARTNER_ROLES), None) or (
            active[0].role if active else None
        )
        if role is None and pf.designations:
            role = pf.designations[0].role
        checks.append(
            AttendeeCheck(
                g,
                True,
                person.name,
                person.email,
                orgs.get(person.organisation_id) if person.organisation_id else None,
                role,
                ROLE_LABELS.get(role, "niet aangewezen") if role else "niet aangewezen",
                police,
                personal,
            )
        )

    term_answer = RuleAnswer(
        status.in_force,
        status.period_end if status.in_force else None,
        status.reason,
        status.article,
        warnings=status.warnings,
    )
    warnings = list(status.warnings) + list(b_answer.warnings)
    if not status.in_force:
        warnings.insert(0, f"{status.reason} ({status.article})")
    if any(not c.known for c in checks):
        warnings.append(
            f"{sum(not c.known for c in checks)} deelnemer(s) onbekend in het register. ({cite.designation})"
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


def party_keys(session: Session, agreement_id: int) -> list[str]:
    return list(session.exec(select(AgreementParty.key).where(AgreementParty.agreement_id == agreement_id)))
