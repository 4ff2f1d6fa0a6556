"""A signature with the signatory's own certificate on another name: held until the privacy officer decides.

The upload passed every check of ``signing.own`` except the name: the certificate's name is not the
signatory's (a maiden name, a card issued in a different spelling, or someone else). It is stored as it came
in and counts for nothing — the link stays unused, the round does not move — until the privacy officer
approves it with a reason (then it is recorded as the signatory's signature, exactly as an accepted upload
would be) or rejects it (the signatory is told by e-mail and can sign again with her link). Both decisions,
and the upload itself, are entries in the audit log.

Her signature covers the version she downloaded. If someone else signed after her upload, the round's
current version is no longer the one her file extends, and approval is refused: the officer rejects it and
the signatory signs the newer version.
"""

from __future__ import annotations

from sqlmodel import Session

from service.accounts.audit import record
from service.clock import utcnow
from service.invitations import files, mails, repository, rounds, storage
from service.invitations.errors import InvalidInvitation, LinkUnknown, RoundConflict
from service.invitations.links import SignedResult
from service.invitations.models import PendingSignature, SigningLink, SigningRound
from service.mail.outbox import Outgoing
from service.settings import Settings
from templates import Dossier

WAITING = repository.WAITING
APPROVED_METHOD = "eigen certificaat; andere naam bevestigd door de privacyfunctionaris"
REASON_MIN = 10


def hold(
    db: Session,
    settings: Settings,
    link: SigningLink,
    rnd: SigningRound,
    uploaded: bytes,
    *,
    certificate_name: str | None,
    certificate_subject: str,
    ip: str,
    user_agent: str,
) -> PendingSignature:
    """Keep the upload for confirmation; an earlier upload of this link that still waits is replaced."""
    now = utcnow()
    for earlier in repository.waiting_for_link(db, link.id):
        earlier.status, earlier.decided_at = "vervallen", now
        earlier.reason = "vervangen door een nieuwere upload van de ondertekenaar"
        repository.save(db, earlier)
    sha = files.sha256(uploaded)
    path = storage.agreement_path(settings, rnd.dossier_id, f"bevestiging-{link.id}", sha)
    storage.store(path, uploaded)
    pending = PendingSignature(
        link_id=link.id or 0,
        round_id=rnd.id or 0,
        dossier_id=rnd.dossier_id,
        expected_name=link.name,
        certificate_name=(certificate_name or "")[:300] or None,
        certificate_subject=certificate_subject[:1000],
        based_on_sha256=rnd.current_sha256,
        sha256=sha,
        file_path=storage.relative(settings, path),
        uploaded_at=now,
        ip_address=ip[:64],
        user_agent=(user_agent or "onbekend")[:400],
    )
    repository.save(db, pending)
    record(
        db,
        "bevestiging gevraagd",
        actor=f"{link.name} <{link.email}>",
        subject=rnd.dossier_id,
        agreement=rnd.dossier_id,
        details={
            "wat": "handtekening met een eigen certificaat op een andere naam",
            "verwacht": link.name,
            "certificaat": certificate_subject,
            "upload": pending.id,
            "sha256": sha,
        },
    )
    return pending


latest_for_link = repository.latest_held_for_link
for_dossier = repository.held_for_dossier


def waiting_count(db: Session, dossier_id: str) -> int:
    return sum(1 for p in for_dossier(db, dossier_id) if p.status == WAITING)


def _waiting(db: Session, dossier_id: str, pending_id: int) -> tuple[PendingSignature, SigningLink]:
    pending = repository.get_held(db, pending_id)
    if pending is None or pending.dossier_id != dossier_id:
        raise LinkUnknown("Deze handtekening ter bevestiging bestaat niet in dit dossier.")
    if pending.status != WAITING:
        raise RoundConflict(f"Over deze handtekening is al besloten ({pending.status}).")
    link = repository.get_link(db, pending.link_id)
    assert link is not None  # foreign key
    return pending, link


def _reason(reason: str, *, required: bool) -> str | None:
    reason = " ".join(reason.split())
    if required and len(reason) < REASON_MIN:
        raise InvalidInvitation(
            f"reden: geef de reden waarom deze handtekening als die van de ondertekenaar geldt "
            f"(minstens {REASON_MIN} tekens), bijvoorbeeld hoe u de identiteit hebt nagegaan.",
            field="reden",
        )
    return reason or None


def approve(
    db: Session, settings: Settings, dossier: Dossier, pending_id: int, *, actor: str, reason: str
) -> SignedResult:
    """Record the held upload as the signatory's signature (the round moves on, and is sealed when it was
    the last one). Refused without a reason, or when the link or the round no longer allows it."""
    why = _reason(reason, required=True)
    pending, link = _waiting(db, dossier.id, pending_id)
    if link.used_at is not None or link.revoked_at is not None:
        raise RoundConflict(
            f"De link van {link.name} is intussen gebruikt of ingetrokken; deze upload telt niet meer."
        )
    rnd = rounds.lock_open_round(db, link)
    if rnd.current_sha256 != pending.based_on_sha256:
        raise RoundConflict(
            "Na deze upload heeft een andere partij ondertekend: het bestand bouwt voort op een oudere "
            "versie en kan niet meer worden toegevoegd. Wijs het af; de ondertekenaar krijgt dan bericht "
            "en ondertekent de nieuwe versie."
        )
    uploaded = files.read_verified(storage.absolute(settings, pending.file_path), pending.sha256)
    result = rounds.record_agreement_signature(
        db,
        settings,
        dossier,
        link,
        rnd,
        uploaded,
        ip=pending.ip_address,
        user_agent=pending.user_agent,
        evidence=rounds.Evidence(APPROVED_METHOD, certificate_subject=pending.certificate_subject),
    )
    _decide(db, pending, "goedgekeurd", actor, why)
    record(
        db,
        "naam bevestigd",
        actor=actor,
        subject=dossier.id,
        agreement=dossier.id,
        details={
            "ondertekenaar": link.name,
            "certificaat": pending.certificate_subject,
            "reden": why,
            "upload": pending.id,
            "sha256": pending.sha256,
        },
    )
    db.flush()
    return result


def reject(
    db: Session, dossier_id: str, pending_id: int, *, actor: str, reason: str
) -> tuple[PendingSignature, SigningLink]:
    """Reject the held upload: it never counts; the signatory can sign again with her link."""
    why = _reason(reason, required=False)
    pending, link = _waiting(db, dossier_id, pending_id)
    _decide(db, pending, "afgewezen", actor, why)
    record(
        db,
        "naam afgewezen",
        actor=actor,
        subject=dossier_id,
        agreement=dossier_id,
        details={
            "ondertekenaar": link.name,
            "certificaat": pending.certificate_subject,
            "reden": why,
            "upload": pending.id,
        },
    )
    db.flush()
    return pending, link


def reject_and_tell(
    db: Session, dossier_id: str, pending_id: int, *, actor: str, reason: str
) -> list[Outgoing]:
    """``reject``, and the e-mail that tells the signatory (sent after the commit)."""
    pending, link = reject(db, dossier_id, pending_id, actor=actor, reason=reason)
    rnd = repository.latest_round(db, dossier_id)
    title = rnd.title if rnd is not None else dossier_id
    return [Outgoing(mails.own_signature_rejected(link, title, pending), "afwijzing", None)]


def _decide(db: Session, pending: PendingSignature, status: str, actor: str, reason: str | None) -> None:
    pending.status, pending.decided_at, pending.decided_by = status, utcnow(), actor[:300]
    pending.reason = reason[:1000] if reason else None
    repository.save(db, pending)
