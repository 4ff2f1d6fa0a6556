"""The queries of archive renewal: the completed rounds, the signed declarations and their archive copies
(``service.invitations``' tables). The only module of ``service.archive`` that reads or writes rows."""

from __future__ import annotations

from sqlalchemy.orm import Session
from sqlmodel import col, select

from service.invitations.models import ArchiveVersion, SigningEvent, SigningRound


def save(db: Session, row: object) -> None:
    """Keep ``row`` and commit now: each renewed document is recorded on its own."""
    db.add(row)
    db.commit()


def completed_rounds(db: Session) -> list[SigningRound]:
    return list(db.execute(select(SigningRound).where(SigningRound.status == "voltooid")).scalars().all())


def declaration_events(db: Session) -> list[SigningEvent]:
    """The signing records of declarations (outside a round), oldest first."""
    q = select(SigningEvent).where(col(SigningEvent.round_id).is_(None)).order_by(col(SigningEvent.id))
    return list(db.execute(q).scalars())


def latest_archive_version(db: Session, event_id: int | None) -> ArchiveVersion | None:
    q = (
        select(ArchiveVersion)
        .where(ArchiveVersion.event_id == event_id)
        .order_by(col(ArchiveVersion.id).desc())
    )
    return db.execute(q).scalars().first()
