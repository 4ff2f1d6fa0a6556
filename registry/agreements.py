"""Term events and besluit revocation: evaluations, objections, renewals — each refused or recorded."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import Session, select

from registry.errors import InvalidRegistryInput, NotInRegistry, RenewalRefused
from registry.models import Agreement, AgreementParty, BesluitRecord, TermEvent, row_id
from registry.repository import agreement_facts, term_events
from registry.rules import RuleAnswer, citations_for, may_renew, nl_date, term_status
from registry.sync import get_agreement


def record_evaluation(
    session: Session, agreement_key: str, on: date, document_ref: str, note: str | None = None
) -> TermEvent:
    """Record the written evaluation (Besluit §6; privacyregeling art. 14 lid 2): a document is required."""
    if not document_ref.strip():
        raise InvalidRegistryInput(
            "document: een schriftelijke evaluatie vereist een document.", field="document"
        )
    agreement = get_agreement(session, agreement_key)
    event = TermEvent(
        agreement_id=row_id(agreement),
        kind="evaluatie",
        occurred_on=on,
        document_ref=document_ref.strip(),
        note=note,
        recorded_at=datetime.now(UTC),
    )
    session.add(event)
    session.flush()
    return event


def record_objection(
    session: Session, agreement_key: str, party_key: str, on: date, note: str | None = None
) -> TermEvent:
    """A party objects to tacit renewal (convenant art. 32 lid 1)."""
    agreement = get_agreement(session, agreement_key)
    party = session.exec(
        select(AgreementParty).where(
            AgreementParty.agreement_id == agreement.id, AgreementParty.key == party_key
        )
    ).first()
    if party is None:
        raise NotInRegistry(f"Partij '{party_key}' hoort niet bij {agreement.title}.", field="party")
    if agreement.renewal != "stilzwijgend":
        raise InvalidRegistryInput(
            "Bezwaar tegen stilzwijgende verlenging kan alleen bij een stilzwijgend verlengd convenant.",
            field="party",
            article=citations_for(agreement.kind).renewal,
        )
    event = TermEvent(
        agreement_id=row_id(agreement),
        kind="bezwaar",
        occurred_on=on,
        party_id=party.id,
        note=note,
        recorded_at=datetime.now(UTC),
    )
    session.add(event)
    session.flush()
    return event


def record_withdrawal(
    session: Session, agreement_key: str, party_key: str, on: date, note: str | None = None
) -> TermEvent:
    """A party leaves the cooperation from ``on`` (Amsterdam art. 32 lid 2: written notice to the others):
    from that day its professionals are no longer designated and receive nothing under this agreement."""
    agreement = get_agreement(session, agreement_key)
    party = session.exec(
        select(AgreementParty).where(
            AgreementParty.agreement_id == agreement.id, AgreementParty.key == party_key
        )
    ).first()
    if party is None:
        raise NotInRegistry(f"Partij '{party_key}' hoort niet bij {agreement.title}.", field="party")
    event = TermEvent(
        agreement_id=row_id(agreement),
        kind="uittreding",
        occurred_on=on,
        party_id=party.id,
        note=note,
        recorded_at=datetime.now(UTC),
    )
    session.add(event)
    session.flush()
    return event


def renew(session: Session, agreement_key: str, on: date) -> RuleAnswer:
    """Renew a ``na_evaluatie`` agreement; refused (:class:`RenewalRefused`) without a written evaluation."""
    agreement = get_agreement(session, agreement_key)
    assert agreement.id is not None
    answer = may_renew(agreement_facts(session, agreement), term_events(session, agreement.id), on)
    if not answer.allowed:
        raise RenewalRefused(answer.reason, field="agreement", article=answer.article)
    session.add(
        TermEvent(
            agreement_id=row_id(agreement),
            kind="verlenging",
            occurred_on=on,
            new_term_end=answer.until,
            recorded_at=datetime.now(UTC),
        )
    )
    session.flush()
    return answer


def revoke_besluit(
    session: Session, agreement_key: str, besluit_key: str, revoked_on: date, reason: str
) -> BesluitRecord:
    """The politiechef revokes the besluit (Besluit §6): from ``revoked_on`` every police-data authorisation
    under it ends at once."""
    if not reason.strip():
        raise InvalidRegistryInput("reason: geef de reden van de intrekking.", field="reason")
    agreement = get_agreement(session, agreement_key)
    besluit = session.exec(
        select(BesluitRecord).where(
            BesluitRecord.agreement_id == agreement.id, BesluitRecord.key == besluit_key
        )
    ).first()
    if besluit is None:
        raise NotInRegistry(f"Besluit '{besluit_key}' is niet bekend bij {agreement.title}.", field="besluit")
    if besluit.revoked_on is not None:
        raise InvalidRegistryInput(
            f"Het besluit is al ingetrokken per {nl_date(besluit.revoked_on)}.", field="besluit"
        )
    besluit.revoked_on = revoked_on
    besluit.revoked_at = datetime.now(UTC)
    besluit.revocation_reason = reason.strip()
    session.add(besluit)
    session.flush()
    return besluit


def agreement_status(session: Session, agreement: Agreement, on: date) -> RuleAnswer:
    assert agreement.id is not None
    s = term_status(agreement_facts(session, agreement), term_events(session, agreement.id), on)
    return RuleAnswer(
        s.in_force, s.period_end if s.in_force else None, s.reason, s.article, warnings=s.warnings
    )
