"""Persons are global in the registry, but each agreement sees only its own (issue 10, tenancy).

A person is *of* an agreement when the agreement's administration knows them: designated for it,
a declaration registered in it, attending one of its meetings, or a professional of one of its parties'
organisations. A person known only under other agreements is, to anyone acting for this agreement, the
same as a person the registry does not know: looking one up by key, e-mail address or name never reveals
them (their name in an answer) and never links them (a declaration, an attendee, a recipient) to this
agreement. A person known under no agreement at all is nobody else's and may be found.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from registry.models import (
    Agreement,
    AgreementParty,
    DeclarationRecord,
    Designation,
    Meeting,
    MeetingAttendee,
    Person,
)


def agreements_of(session: Session, person: Person) -> set[int]:
    """The ids of every agreement whose administration knows ``person`` (see the module docstring)."""
    pid = person.id
    found: set[int] = set()
    found |= set(session.exec(select(Designation.agreement_id).where(Designation.person_id == pid)).all())
    found |= set(
        session.exec(select(DeclarationRecord.agreement_id).where(DeclarationRecord.person_id == pid)).all()
    )
    found |= set(
        session.exec(
            select(Meeting.agreement_id)
            .join(MeetingAttendee, col(MeetingAttendee.meeting_id) == col(Meeting.id))
            .where(MeetingAttendee.person_id == pid)
        ).all()
    )
    if person.organisation_id is not None:
        found |= set(
            session.exec(
                select(AgreementParty.agreement_id).where(
                    AgreementParty.organisation_id == person.organisation_id
                )
            ).all()
        )
    return found


def is_foreign(session: Session, person: Person, agreement: Agreement) -> bool:
    """Known only under other agreements (and not under ``agreement``)."""
    known = agreements_of(session, person)
    return bool(known) and agreement.id not in known


def find_person_of(session: Session, agreement: Agreement, given: str) -> Person | None:
    """A person of ``agreement`` (or of none) by key, e-mail address (case-insensitive) or exact name; a
    person known only under other agreements is not found."""
    given = given.strip()
    if not given:
        return None
    tiers = [Person.key == given]
    if "@" in given:
        tiers.append(Person.email == given.lower())
    tiers.append(Person.name == given)
    for where in tiers:
        for person in session.exec(select(Person).where(where).order_by(col(Person.id))).all():
            if not is_foreign(session, person, agreement):
                return person
    return None
