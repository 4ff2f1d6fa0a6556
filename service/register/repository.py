"""The queries of the register as the service shows it (declarations recorded by hand, the besluit of an
agreement, the registry's people offered on the pages): the only module of ``service.register`` and of
the register, people and audit pages that reads or adds these rows itself."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlmodel import Session, col, select

from registry.models import (
    Agreement,
    BesluitRecord,
    DeclarationRecord,
    Designation,
    Organisation,
    Person,
    row_id,
)


def add_declaration(
    db: Session,
    *,
    agreement: Agreement,
    person: Person,
    ground: str,
    signed_on: date,
    document_ref: str,
    document_sha256: str,
) -> DeclarationRecord:
    """Record a declaration signed elsewhere (a reference to it and its SHA-256)."""
    record = DeclarationRecord(
        agreement_id=row_id(agreement),
        person_id=row_id(person),
        ground=ground,
        signed_on=signed_on,
        document_ref=document_ref,
        document_sha256=document_sha256,
    )
    db.add(record)
    db.flush()
    return record


def besluit_of(db: Session, agreement_id: int | None) -> BesluitRecord | None:
    """The besluit ex art. 20 Wpg recorded for the agreement, if any."""
    return db.exec(select(BesluitRecord).where(BesluitRecord.agreement_id == agreement_id)).first()


# --- the registry's people, as the pages offer them ----------------------------------------------------


def organisation_names(db: Session, ids: Iterable[int]) -> dict[int, str]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = db.exec(select(Organisation).where(col(Organisation.id).in_(wanted))).all()
    return {o.id: o.name for o in rows if o.id is not None}


def designations_with_people(db: Session, agreement_id: int) -> list[tuple[Designation, Person]]:
    q = select(Designation, Person).where(
        Designation.agreement_id == agreement_id, Designation.person_id == Person.id
    )
    return [(d, p) for d, p in db.exec(q).all()]


def people_by_name(db: Session) -> list[Person]:
    return list(db.exec(select(Person).order_by(col(Person.name))).all())


def person_by_key(db: Session, key: str) -> Person | None:
    return db.exec(select(Person).where(Person.key == key)).first()


def person_names(db: Session, ids: Iterable[int]) -> dict[int, str]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    return {
        p.id: p.name
        for p in db.exec(select(Person).where(col(Person.id).in_(wanted))).all()
        if p.id is not None
    }
