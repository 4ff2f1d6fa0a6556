"""Queries that turn registry rows into the plain facts the rules decide on.

Each concern is one query over the persons asked about (never one per person), so the cost of a check
follows the number of attendees, not the size of the registry.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import date

from sqlmodel import Session, col, select

from registry.legal import agreement_legal
from registry.models import (
    Agreement,
    AgreementParty,
    BesluitRecord,
    DeclarationRecord,
    Designation,
    TermEvent,
)
from registry.rules.facts import (
    AgreementFacts,
    BesluitFacts,
    DeclarationFacts,
    DesignationFacts,
    TermEventFacts,
)


def agreement_facts(session: Session, agreement: Agreement) -> AgreementFacts:
    parties = session.exec(
        select(AgreementParty.key).where(AgreementParty.agreement_id == agreement.id)
    ).all()
    return AgreementFacts(
        key=agreement.key,
        title=agreement.title,
        term_start=agreement.term_start,
        term_end=agreement.term_end,
        legal=agreement_legal(agreement),
        parties=tuple(parties),
        ended_on=agreement.ended_on,
    )


def term_events(session: Session, agreement_id: int) -> list[TermEventFacts]:
    rows = session.exec(
        select(TermEvent, AgreementParty.key)
        .join(AgreementParty, col(TermEvent.party_id) == col(AgreementParty.id), isouter=True)
        .where(TermEvent.agreement_id == agreement_id)
        .order_by(col(TermEvent.occurred_on), col(TermEvent.id))
    ).all()
    return [TermEventFacts(e.kind, e.occurred_on, pkey, e.new_term_end, e.document_ref) for e, pkey in rows]


def besluit_record(
    session: Session, agreement_id: int, on: date | None = None, key: str | None = None
) -> BesluitRecord | None:
    """The besluit named ``key``, else the newest decided on or before ``on`` (any, when ``on`` is None)."""
    stmt = select(BesluitRecord).where(BesluitRecord.agreement_id == agreement_id)
    if key is not None:
        stmt = stmt.where(BesluitRecord.key == key)
    elif on is not None:
        stmt = stmt.where(col(BesluitRecord.decided_on) <= on)
    return session.exec(
        stmt.order_by(col(BesluitRecord.decided_on).desc(), col(BesluitRecord.id).desc())
    ).first()


def besluit_facts(record: BesluitRecord | None) -> BesluitFacts | None:
    if record is None:
        return None
    return BesluitFacts(
        key=record.key,
        title=record.title,
        decided_on=record.decided_on,
        in_force_from=record.in_force_from,
        in_force_until=record.in_force_until,
        revoked_on=record.revoked_on,
        recipients=tuple(record.recipients),
        categories=tuple(record.categories),
        uses=tuple(record.uses or ()),
    )


def designations_by_person(
    session: Session, agreement_id: int, person_ids: Collection[int]
) -> dict[int, list[DesignationFacts]]:
    out: dict[int, list[DesignationFacts]] = defaultdict(list)
    if not person_ids:
        return out
    rows = session.exec(
        select(Designation, AgreementParty.key)
        .join(AgreementParty, col(Designation.party_id) == col(AgreementParty.id), isouter=True)
        .where(Designation.agreement_id == agreement_id, col(Designation.person_id).in_(list(person_ids)))
    ).all()
    for d, party_key in rows:
        out[d.person_id].append(
            DesignationFacts(d.role, party_key, d.designated_from, d.designated_until, d.designated_by)
        )
    return out


def declarations_by_person(
    session: Session, agreement_id: int, person_ids: Collection[int]
) -> dict[int, list[DeclarationFacts]]:
    out: dict[int, list[DeclarationFacts]] = defaultdict(list)
    if not person_ids:
        return out
    rows = session.exec(
        select(DeclarationRecord).where(
            DeclarationRecord.agreement_id == agreement_id,
            col(DeclarationRecord.person_id).in_(list(person_ids)),
        )
    ).all()
    for d in rows:
        out[d.person_id].append(DeclarationFacts(d.ground, d.signed_on, d.document_ref))
    return out
