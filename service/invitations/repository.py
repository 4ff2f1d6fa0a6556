"""Every query of signing by link: rounds, links, signature events, held uploads (the ``sign_*`` tables),
and the few registry rows the links need (the meeting an agendadeelnemer is invited to, its agreement).
The other modules of this package call these functions (and ``service.accounts.repository`` for staff
accounts) and never query themselves.

A link or a round that is about to change is read ``FOR UPDATE`` with ``populate_existing``: the row may
already sit in this session's identity map (read before the lock); after waiting for another transaction
we must see its committed state (e.g. ``used_at``).
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from registry.models import Agreement, Meeting, MeetingAttendee, Person
from service.invitations.models import (
    AGREEMENT,
    PendingSignature,
    SigningEvent,
    SigningLink,
    SigningRound,
)

WAITING = "wacht"  # the status of a held upload that still waits for the privacy officer


def save(db: Session, *rows: object) -> None:
    """Add (or keep) ``rows`` in the session and write them now, so ids and constraints are known."""
    for row in rows:
        db.add(row)
    db.flush()


# --- rounds --------------------------------------------------------------------------------------------


def latest_round(db: Session, dossier_id: str, document: str = AGREEMENT) -> SigningRound | None:
    """The newest round of a dossier's document (open, completed or withdrawn), or None."""
    q = select(SigningRound).where(SigningRound.dossier_id == dossier_id, SigningRound.document == document)
    return db.exec(q.order_by(col(SigningRound.id).desc())).first()


def rounds_of(db: Session, dossier_id: str, document: str = AGREEMENT) -> list[SigningRound]:
    """Every round of a dossier's document, oldest first."""
    q = select(SigningRound).where(SigningRound.dossier_id == dossier_id, SigningRound.document == document)
    return list(db.exec(q.order_by(col(SigningRound.id))).all())


def lock_round(db: Session, round_id: int | None) -> SigningRound:
    """The round, locked for this transaction."""
    q = (
        select(SigningRound)
        .where(SigningRound.id == round_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return db.exec(q).one()


def get_round(db: Session, round_id: int | None) -> SigningRound | None:
    return None if round_id is None else db.get(SigningRound, round_id)


# --- links ---------------------------------------------------------------------------------------------


def get_link(db: Session, link_id: int) -> SigningLink | None:
    return db.get(SigningLink, link_id)


def link_by_token_hash(db: Session, digest: str, *, for_update: bool = False) -> SigningLink | None:
    q = select(SigningLink).where(SigningLink.token_hash == digest)
    if for_update:
        q = q.with_for_update().execution_options(populate_existing=True)
    return db.exec(q).first()


def link_by_receipt_hash(db: Session, digest: str) -> SigningLink | None:
    return db.exec(select(SigningLink).where(SigningLink.receipt_hash == digest)).first()


def round_links(db: Session, round_id: int) -> list[SigningLink]:
    q = select(SigningLink).where(SigningLink.round_id == round_id).order_by(col(SigningLink.id))
    return list(db.exec(q).all())


def current_links(db: Session, round_id: int) -> list[SigningLink]:
    """The live link per signatory (a reminder replaces a link by a new one)."""
    latest: dict[str, SigningLink] = {}
    for link in round_links(db, round_id):
        latest[link.signatory_key or ""] = link
    return list(latest.values())


def meeting_links(db: Session, meeting_key: str) -> list[SigningLink]:
    q = select(SigningLink).where(SigningLink.meeting_key == meeting_key).order_by(col(SigningLink.id))
    return list(db.exec(q).all())


# --- signature events ----------------------------------------------------------------------------------


def event_of_link(db: Session, link_id: int | None) -> SigningEvent | None:
    return db.exec(select(SigningEvent).where(SigningEvent.link_id == link_id)).first()


def round_events(db: Session, round_id: int) -> list[SigningEvent]:
    q = select(SigningEvent).where(SigningEvent.round_id == round_id).order_by(col(SigningEvent.id))
    return list(db.exec(q).all())


# --- uploads held for the privacy officer's confirmation -----------------------------------------------


def get_held(db: Session, pending_id: int) -> PendingSignature | None:
    return db.get(PendingSignature, pending_id)


def waiting_for_link(db: Session, link_id: int | None) -> list[PendingSignature]:
    q = select(PendingSignature).where(
        PendingSignature.link_id == link_id, PendingSignature.status == WAITING
    )
    return list(db.exec(q).all())


def latest_held_for_link(db: Session, link_id: int) -> PendingSignature | None:
    q = select(PendingSignature).where(PendingSignature.link_id == link_id)
    return db.exec(q.order_by(col(PendingSignature.id).desc())).first()


def held_for_dossier(db: Session, dossier_id: str) -> list[PendingSignature]:
    """Every held upload of the dossier, waiting ones first, newest first."""
    q = select(PendingSignature).where(PendingSignature.dossier_id == dossier_id)
    rows = list(db.exec(q.order_by(col(PendingSignature.id).desc())).all())
    return sorted(rows, key=lambda p: p.status != WAITING)


# --- rows of other tables the links need ---------------------------------------------------------------


def meeting_by_key(db: Session, key: str) -> Meeting | None:
    return db.exec(select(Meeting).where(Meeting.key == key)).first()


def meeting_attendees(db: Session, meeting_id: int | None) -> list[str]:
    """The attendees of a meeting as they were given (key, e-mail address or name)."""
    q = select(MeetingAttendee).where(MeetingAttendee.meeting_id == meeting_id)
    return [a.given_as for a in db.exec(q)]


def get_agreement(db: Session, agreement_id: int | None) -> Agreement | None:
    return None if agreement_id is None else db.get(Agreement, agreement_id)


def get_person(db: Session, person_id: int | None) -> Person | None:
    return None if person_id is None else db.get(Person, person_id)
