"""The queries of the register (declarations recorded by hand, the besluit of an agreement): the only
module of ``service.register`` and the register pages that writes or reads these rows itself."""

from __future__ import annotations

from sqlmodel import Session, select

from registry.models import BesluitRecord, DeclarationRecord


def add_declaration(db: Session, record: DeclarationRecord) -> DeclarationRecord:
    db.add(record)
    db.flush()
    return record


def besluit_of(db: Session, agreement_id: int | None) -> BesluitRecord | None:
    """The besluit ex art. 20 Wpg recorded for the agreement, if any."""
    return db.exec(select(BesluitRecord).where(BesluitRecord.agreement_id == agreement_id)).first()
