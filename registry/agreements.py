"""Term events and besluit revocation: evaluations, objections, renewals — each refused or recorded."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import Session, col, select

from registry.errors import InvalidRegistryInput, NotInRegistry, RenewalRefused
from registry.models import Agreement, AgreementParty, BesluitRecord, Provision, TermEvent, row_id
from registry.repository import agreement_facts, term_events
from registry.rules import RuleAnswer, may_renew, nl_date, term_status
from registry.sync import get_agreement


def record_evaluation(
    session: Session, agreement_key: str, on: date, document_ref: str, note: str | None = None
) -> TermEvent:
    """Record a written evaluation (``legal.term.evaluation``): a document is required."""
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
    """A party objects to tacit renewal (``legal.term.objection``)."""
    agreement = get_agreement(session, agreement_key)
    party = session.exec(
        select(AgreementParty).where(
            AgreementParty.agreement_id == agreement.id, AgreementParty.key == party_key
        )
    ).first()
    if party is None:
        raise NotInRegistry(f"Partij '{party_key}' hoort niet bij {agreement.title}.", field="party")
    legal = agreement_facts(session, agreement).legal
    if legal.model.term.kind != "stilzwijgend":
        raise InvalidRegistryInput(
            "Bezwaar tegen stilzwijgende verlenging kan alleen bij een stilzwijgend verlengd convenant.",
            field="party",
            article=legal.cite(legal.model.term.source),
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
    """A party leaves the cooperation from ``on`` (``legal.term.withdrawal``): from that day its
    professionals are no longer designated and receive nothing under this agreement."""
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
    """The besluit is revoked (``legal.besluit.revocation_source``): from ``revoked_on`` every police-data
    authorisation under it ends at once. A revocation dated in the past is accepted (it is a fact), and the
    provisions recorded on or after that date are flagged (``provisions_after_revocation``)."""
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


def provisions_after_revocation(session: Session, besluit: BesluitRecord) -> list[Provision]:
    """Provisions under ``besluit`` dated on or after its revocation: made without a besluit in force."""
    if besluit.revoked_on is None:
        return []
    return list(
        session.exec(
            select(Provision)
            .where(Provision.besluit_id == besluit.id, col(Provision.provided_on) >= besluit.revoked_on)
            .order_by(col(Provision.provided_on))
        )
    )


def agreement_status(session: Session, agreement: Agreement, on: date) -> RuleAnswer:
    assert agreement.id is not None
    s = term_status(agreement_facts(session, agreement), term_events(session, agreement.id), on)
    return RuleAnswer(
        s.in_force,
        s.period_end if s.in_force and s.period_end != date.max else None,
        s.reason,
        s.article,
        warnings=s.warnings,
    )


def event_citation(session: Session, agreement: Agreement, what: str) -> str:
    """The provisions a recorded event rests on, from the agreement's legal model: ``verklaring`` (the
    conditions asking for a signed declaration), ``evaluatie``, ``bezwaar``, ``uittreding``,
    ``intrekking``."""
    legal = agreement_facts(session, agreement).legal
    model = legal.model
    term = model.term
    keys: list[str]
    if what == "verklaring":
        keys = [k for c in model.conditions if c.kind == "verklaring" for k in c.source]
    elif what == "evaluatie":
        keys = term.evaluation.source if term.evaluation else term.source
    elif what == "bezwaar":
        keys = term.objection_source or term.source
    elif what == "uittreding":
        keys = term.withdrawal.source if term.withdrawal else term.source
    elif what == "intrekking":
        b = model.besluit
        keys = (b.revocation_source or b.term_source) if b else []
    else:
        raise ValueError(what)
    return legal.cite(keys or term.source)
