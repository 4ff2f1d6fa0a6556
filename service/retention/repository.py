"""The queries of retention and inzage: the only module of ``service.retention`` that reads or deletes
rows. ``purge`` decides what is due (``policy``) and ``inzage`` what a data subject receives; both ask
this module for the rows."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import false, func, or_, select, text
from sqlalchemy.orm import Session
from sqlmodel import col

from registry.models import (
    Agreement,
    AgreementParty,
    AuditEntry,
    DeclarationRecord,
    Designation,
    Meeting,
    MeetingAttendee,
    Organisation,
    Person,
    Provision,
    TermEvent,
)
from service.invitations.models import ArchiveVersion, SigningEvent, SigningLink

ADVISORY_LOCK_KEY = 0x636F6E76  # "conv": one purge at a time across workers on PostgreSQL


def delete(session: Session, row: object) -> None:
    session.delete(row)


def try_lock(session: Session) -> bool:
    """One purge at a time: a transaction-scoped advisory lock on PostgreSQL; on SQLite the registry's
    writer transaction (BEGIN IMMEDIATE) serialises writers already."""
    if session.get_bind().dialect.name != "postgresql":
        return True
    return bool(
        session.execute(text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": ADVISORY_LOCK_KEY}).scalar()
    )


# --- the registry's rows -------------------------------------------------------------------------------


def agreements(session: Session) -> list[Agreement]:
    return list(session.scalars(select(Agreement)))


def party_keys(session: Session, agreement_id: int | None) -> dict[int | None, str]:
    rows = session.scalars(select(AgreementParty).where(col(AgreementParty.agreement_id) == agreement_id))
    return {p.id: p.key for p in rows}


def term_events(session: Session, agreement_id: int | None) -> list[TermEvent]:
    q = (
        select(TermEvent)
        .where(col(TermEvent.agreement_id) == agreement_id)
        .order_by(col(TermEvent.occurred_on), col(TermEvent.id))
    )
    return list(session.scalars(q))


def person(session: Session, person_id: int) -> Person | None:
    return session.get(Person, person_id)


def organisation(session: Session, organisation_id: int) -> Organisation | None:
    return session.get(Organisation, organisation_id)


def people(session: Session) -> list[Person]:
    return list(session.scalars(select(Person)))


def person_by_key_or_email(session: Session, needle: str) -> Person | None:
    q = select(Person).where(or_(col(Person.key) == needle, col(Person.email) == needle.lower()))
    return session.scalars(q).first()


def person_by_name(session: Session, name: str) -> Person | None:
    return session.scalars(select(Person).where(col(Person.name) == name)).first()


def provisions(session: Session) -> list[Provision]:
    return list(session.scalars(select(Provision).order_by(col(Provision.id))))


def declarations(session: Session) -> list[DeclarationRecord]:
    return list(session.scalars(select(DeclarationRecord).order_by(col(DeclarationRecord.id))))


def attendances(session: Session) -> list[tuple[MeetingAttendee, date, int]]:
    """Every attendance with the day and the agreement of its meeting."""
    q = (
        select(MeetingAttendee, col(Meeting.held_on), col(Meeting.agreement_id))
        .join(Meeting, col(MeetingAttendee.meeting_id) == col(Meeting.id))
        .order_by(col(MeetingAttendee.id))
    )
    return [(a, held_on, agreement_id) for a, held_on, agreement_id in session.execute(q)]


def last_meetings(session: Session) -> dict[tuple[int, int], date]:
    """(agreement id, person id) -> the day of the last meeting the person attended under that agreement."""
    q = (
        select(
            col(Meeting.agreement_id),
            col(MeetingAttendee.person_id),
            func.max(col(Meeting.held_on)).label("last"),
        )
        .join(MeetingAttendee, col(MeetingAttendee.meeting_id) == col(Meeting.id))
        .where(col(MeetingAttendee.person_id).is_not(None))
        .group_by(col(Meeting.agreement_id), col(MeetingAttendee.person_id))
    )
    return {(row.agreement_id, row.person_id): row.last for row in session.execute(q)}


def is_referenced(session: Session, person_id: int) -> bool:
    """Does anything still refer to the person (designation, declaration, provision, attendance, meeting)?"""
    checks = [
        select(col(Designation.id)).where(col(Designation.person_id) == person_id),
        select(col(DeclarationRecord.id)).where(col(DeclarationRecord.person_id) == person_id),
        select(col(Provision.id)).where(
            (col(Provision.provider_id) == person_id) | (col(Provision.recipient_id) == person_id)
        ),
        select(col(MeetingAttendee.id)).where(col(MeetingAttendee.person_id) == person_id),
        select(col(Meeting.id)).where(col(Meeting.coordinator_id) == person_id),
    ]
    return any(session.execute(q.limit(1)).first() is not None for q in checks)


# --- the online signing trail (``service.invitations``' tables) ------------------------------------------


def declaration_signed_here(
    session: Session, file: str, sha256: str | None, person_key: str, agreement_key: str
) -> bool:
    """Did this service sign ``file`` (with this SHA-256) for this person under this agreement, through a
    declaration link (not an agreement round)?"""
    q = (
        select(col(SigningEvent.id))
        .join(SigningLink, col(SigningLink.id) == col(SigningEvent.link_id))
        .where(
            col(SigningEvent.file_path) == file,
            col(SigningEvent.sha256_after) == sha256,
            col(SigningEvent.round_id).is_(None),
            col(SigningLink.kind) == "verklaring",
            col(SigningLink.round_id).is_(None),
            col(SigningLink.person_key) == person_key,
            col(SigningLink.dossier_id) == agreement_key,
        )
        .limit(1)
    )
    return session.execute(q).first() is not None


def declaration_signing_events(session: Session, files: Iterable[str]) -> list[SigningEvent]:
    """The signing records of declaration links (never a round's) that produced ``files``."""
    q = (
        select(SigningEvent)
        .join(SigningLink, col(SigningLink.id) == col(SigningEvent.link_id))
        .where(
            col(SigningEvent.file_path).in_(list(files)),
            col(SigningEvent.round_id).is_(None),
            col(SigningLink.kind) == "verklaring",
        )
    )
    return list(session.scalars(q))


def archive_versions_of(session: Session, event_ids: Iterable[int | None]) -> list[ArchiveVersion]:
    q = select(ArchiveVersion).where(col(ArchiveVersion.event_id).in_(list(event_ids)))
    return list(session.scalars(q))


def signing_links(session: Session, link_ids: Iterable[int]) -> list[SigningLink]:
    return list(session.scalars(select(SigningLink).where(col(SigningLink.id).in_(list(link_ids)))))


def unused_declaration_links(session: Session) -> list[SigningLink]:
    """Links outside a round that were never used."""
    q = select(SigningLink).where(col(SigningLink.used_at).is_(None), col(SigningLink.round_id).is_(None))
    return list(session.scalars(q))


def referenced_files(session: Session) -> set[str]:
    """Every document path a signing record, an archive copy or a declaration points to."""
    found = set(session.scalars(select(col(SigningEvent.file_path))))
    found |= set(session.scalars(select(col(ArchiveVersion.file_path))))
    found |= {f for f in session.scalars(select(col(DeclarationRecord.document_ref))) if f}
    return found


# --- what inzage gathers about one person ------------------------------------------------------------------


def designations_of(session: Session, person_id: int | None) -> list[Designation]:
    return list(session.scalars(select(Designation).where(col(Designation.person_id) == person_id)))


def declarations_of(session: Session, person_id: int | None) -> list[DeclarationRecord]:
    return list(
        session.scalars(select(DeclarationRecord).where(col(DeclarationRecord.person_id) == person_id))
    )


def meetings_attended(session: Session, person_id: int | None) -> list[Meeting]:
    q = (
        select(Meeting)
        .join(MeetingAttendee, col(MeetingAttendee.meeting_id) == col(Meeting.id))
        .where(col(MeetingAttendee.person_id) == person_id)
        .order_by(col(Meeting.held_on))
    )
    return list(session.scalars(q))


def provisions_by_or_to(session: Session, person_id: int | None) -> list[Provision]:
    q = (
        select(Provision)
        .where(or_(col(Provision.provider_id) == person_id, col(Provision.recipient_id) == person_id))
        .order_by(col(Provision.provided_on))
    )
    return list(session.scalars(q))


def signing_events_of(session: Session, email: str) -> list[SigningEvent]:
    return list(session.scalars(select(SigningEvent).where(col(SigningEvent.signer_email) == email)))


def signing_links_of(session: Session, email: str) -> list[SigningLink]:
    return list(session.scalars(select(SigningLink).where(col(SigningLink.email) == email)))


def provisions_mentioning(session: Session, terms: Iterable[str]) -> list[Provision]:
    """Provisions whose content or reason contains one of ``terms`` (case-insensitive; the caller checks
    for a whole-word mention)."""
    wanted = list(terms)
    mention = or_(
        false(),
        *[col(Provision.content_summary).icontains(t) for t in wanted],
        *[col(Provision.reason).icontains(t) for t in wanted],
    )
    return list(session.scalars(select(Provision).where(mention).order_by(col(Provision.provided_on))))


def audit_entries_about(session: Session, person: Person | None, terms: Iterable[str]) -> list[AuditEntry]:
    """Audit entries about the person's own row, or whose changes contain one of ``terms``."""
    own: list[Any] = [false()]
    if person is not None:
        own.append(
            (col(AuditEntry.entity).in_(("person", "persoon", "reg_person")))
            & (col(AuditEntry.entity_id) == str(person.id))
        )
        own.append(col(AuditEntry.entity_id) == person.key)
    candidates = or_(*own, *[col(AuditEntry.changes).icontains(t) for t in terms])
    return list(session.scalars(select(AuditEntry).where(candidates).order_by(col(AuditEntry.seq))))
