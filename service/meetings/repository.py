"""The queries of the meetings domain: the only module of ``service.meetings`` (and of the meeting pages)
that reads rows. Writing a meeting goes through the registry (``registry.sync.save_meeting``), which
audits every change."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, col, select

from registry.models import Agreement, Meeting, MeetingAttendee, Person


def meeting(db: Session, key: str) -> Meeting | None:
    return db.exec(select(Meeting).where(Meeting.key == key)).first()


def agreement(db: Session, agreement_id: int) -> Agreement | None:
    return db.get(Agreement, agreement_id)


def agreement_by_key(db: Session, key: str) -> Agreement | None:
    return db.exec(select(Agreement).where(Agreement.key == key)).first()


def person(db: Session, person_id: int) -> Person | None:
    return db.get(Person, person_id)


def attendees(db: Session, meeting_id: int | None) -> list[MeetingAttendee]:
    """A meeting's attendees in the order they were given."""
    q = (
        select(MeetingAttendee)
        .where(MeetingAttendee.meeting_id == meeting_id)
        .order_by(col(MeetingAttendee.id))
    )
    return list(db.exec(q).all())


def people(db: Session, ids: Iterable[int]) -> dict[int, Person]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    return {
        p.id: p for p in db.exec(select(Person).where(col(Person.id).in_(wanted))).all() if p.id is not None
    }
