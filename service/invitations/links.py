"""The life of a link: issued (a token in plain text only in the e-mail), reminded (a fresh link replaces
it), revoked, declined, opened (``resolve``: unknown, used, declined, revoked or expired is a Dutch refusal
that counts towards the per-address limit), and consumed by exactly one signature (``consume``).

A link is bound to one person and one document; only the SHA-256 of its token is stored (``tokens``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypedDict

from sqlmodel import Session

from service.accounts import ratelimit
from service.accounts import repository as accounts_repository
from service.clock import nl_datetime, utcnow
from service.invitations import repository, storage
from service.invitations.errors import (
    InvalidInvitation,
    LinkDeclined,
    LinkExpired,
    LinkRevoked,
    LinkUnknown,
    LinkUsed,
    RoundConflict,
)
from service.invitations.models import SigningEvent, SigningLink, SigningRound
from service.invitations.tokens import new_token, token_hash, well_formed
from service.settings import Settings

LIMIT_KIND = "link"  # the per-address limit on failed look-ups (guessing and replay)


@dataclass(frozen=True)
class IssuedLink:
    link: SigningLink
    token: str  # the only moment the token exists in plain text: put it in the e-mail


@dataclass(frozen=True)
class LinkFor:
    """Who and what a new link is for (copied onto the ``SigningLink``)."""

    kind: str
    dossier_id: str
    document: str
    name: str
    email: str
    organisation: str | None
    on_behalf_of: str | None
    round_id: int | None = None
    party_key: str | None = None
    signatory_key: str | None = None
    person_key: str | None = None
    meeting_key: str | None = None


@dataclass(frozen=True)
class SignedResult:
    link: SigningLink
    event: SigningEvent
    receipt: str
    signed_pdf: bytes
    round_completed: SigningRound | None = None


@dataclass(frozen=True)
class Consumption:
    """What a signature consumed a link with: the document before and after, where it is stored, and who
    submitted it from where."""

    title: str
    sha_before: str
    sha_after: str
    path: Path
    signed: bytes
    ip: str
    user_agent: str
    round_id: int | None = None
    ground: str | None = None


class Contact(TypedDict):
    """Who sent the link: the signatory's contact (shown on the signing pages)."""

    contact: str
    contact_name: str


def link_url(settings: Settings, token: str) -> str:
    return f"{_base(settings)}/ondertekenen/{token}"


def receipt_url(settings: Settings, receipt: str) -> str:
    return f"{_base(settings)}/ondertekend/{receipt}"


def _base(settings: Settings) -> str:
    return (settings.base_url or f"http://{settings.host}:{settings.port}").rstrip("/")


def _expiry(settings: Settings) -> datetime:
    return utcnow() + timedelta(days=settings.link_ttl_days)


def issue(db: Session, settings: Settings, target: LinkFor, *, actor: str) -> IssuedLink:
    token = new_token()
    link = SigningLink(
        token_hash=token_hash(token),
        kind=target.kind,
        round_id=target.round_id,
        dossier_id=target.dossier_id,
        document=target.document,
        party_key=target.party_key,
        signatory_key=target.signatory_key,
        person_key=target.person_key,
        meeting_key=target.meeting_key,
        name=target.name,
        email=target.email.lower(),
        organisation=target.organisation,
        on_behalf_of=target.on_behalf_of,
        created_at=utcnow(),
        created_by=actor,
        expires_at=_expiry(settings),
    )
    repository.save(db, link)
    return IssuedLink(link, token)


def remind(db: Session, settings: Settings, link_id: int, *, actor: str) -> IssuedLink:
    """A reminder carries a fresh link (only hashes are stored, so the old token cannot be re-sent); the
    old link is revoked with a pointer to the new e-mail."""
    old = repository.get_link(db, link_id)
    if old is None:
        raise LinkUnknown("Deze link bestaat niet.")
    if old.used_at is not None:
        raise RoundConflict(f"{old.name} heeft al ondertekend; een herinnering is niet nodig.")
    now = utcnow()
    old.revoked_at = old.revoked_at or now
    old.revoked_reason = old.revoked_reason or "vervangen door een nieuwere link (herinnering)"
    repository.save(db, old)
    issued = issue(
        db,
        settings,
        LinkFor(
            kind=old.kind,
            dossier_id=old.dossier_id,
            document=old.document,
            name=old.name,
            email=old.email,
            organisation=old.organisation,
            on_behalf_of=old.on_behalf_of,
            round_id=old.round_id,
            party_key=old.party_key,
            signatory_key=old.signatory_key,
            person_key=old.person_key,
            meeting_key=old.meeting_key,
        ),
        actor=actor,
    )
    issued.link.reminders = old.reminders + 1
    repository.save(db, issued.link)
    return issued


def revoke(
    db: Session, link_id: int, *, reason: str = "ingetrokken door de privacyfunctionaris"
) -> SigningLink:
    link = repository.get_link(db, link_id)
    if link is None:
        raise LinkUnknown("Deze link bestaat niet.")
    if link.used_at is not None:
        raise RoundConflict(
            f"De link van {link.name} is al gebruikt; een gezette handtekening trekt u zo niet in."
        )
    if link.revoked_at is None:
        link.revoked_at = utcnow()
        link.revoked_reason = reason
        repository.save(db, link)
    return link


def decline(db: Session, link: SigningLink, reason: str) -> SigningLink:
    """The signatory declines to sign, with a reason: the link stops working; the sender sees the reason."""
    text = " ".join(reason.split())
    if not text:
        raise InvalidInvitation("reden: schrijf kort waarom u niet ondertekent.", field="reden")
    now = utcnow()
    link.declined_at = now
    link.declined_reason = text[:1000]
    link.revoked_at = now
    link.revoked_reason = "geweigerd door de ondertekenaar"
    repository.save(db, link)
    return link


def mark_sent(db: Session, link_id: int) -> None:
    link = repository.get_link(db, link_id)
    if link is not None:
        link.sent_at = utcnow()
        repository.save(db, link)


def resolve(
    db: Session, token: str, ip: str, *, for_update: bool = False, limit_checked: bool = False
) -> SigningLink:
    """The link for ``token``, or a Dutch refusal: unknown (tampered), used, revoked, expired.
    Failed look-ups count towards the per-address limit (guessing and replay); ``limit_checked``: this
    request already passed the limit check (the locked re-check of a link it resolved)."""
    if not limit_checked:
        ratelimit.check_token_allowed(db, LIMIT_KIND, ip)
    link = (
        repository.link_by_token_hash(db, token_hash(token), for_update=for_update)
        if well_formed(token)
        else None
    )
    if link is None:
        ratelimit.commit_failure(db, LIMIT_KIND, ip)
        raise LinkUnknown(
            "Deze ondertekeningslink bestaat niet. Controleer of u de hele link uit de e-mail hebt gebruikt."
        )
    if link.used_at is not None:
        ratelimit.commit_failure(db, LIMIT_KIND, ip)
        raise LinkUsed(
            f"Deze link is al gebruikt: het document is op {nl_datetime(link.used_at)} ondertekend. "
            "Een link werkt maar één keer; er is geen tweede handtekening gezet."
        )
    if link.declined_at is not None:
        ratelimit.commit_failure(db, LIMIT_KIND, ip)
        raise LinkDeclined(
            f"U heeft op {nl_datetime(link.declined_at)} laten weten dat u niet ondertekent. "
            "Uw reden is doorgegeven. Deze link werkt daarom niet meer."
        )
    if link.revoked_at is not None:
        ratelimit.commit_failure(db, LIMIT_KIND, ip)
        why = f" ({link.revoked_reason})" if link.revoked_reason else ""
        raise LinkRevoked(
            f"Deze link is ingetrokken{why}. Gebruik de meest recente e-mail, of vraag een nieuwe link aan."
        )
    if link.expires_at <= utcnow():
        ratelimit.commit_failure(db, LIMIT_KIND, ip)
        raise LinkExpired(
            f"Deze link is verlopen op {nl_datetime(link.expires_at)}. Vraag de afzender om een nieuwe link."
        )
    return link


def used_link_event(db: Session, token: str) -> tuple[SigningLink, SigningEvent] | None:
    """For a link that was already used: the link and its signature (to show "U heeft al ondertekend")."""
    if not well_formed(token):
        return None
    link = repository.link_by_token_hash(db, token_hash(token))
    if link is None or link.used_at is None:
        return None
    event = repository.event_of_link(db, link.id)
    return (link, event) if event is not None else None


def contact_of(db: Session, link: SigningLink) -> Contact:
    """Who sent the link (the staff account that started the round or invited): the signatory's contact."""
    email = (link.created_by or "").split(" ", 1)[0].strip().lower()
    user = accounts_repository.user_by_email(db, email) if "@" in email else None
    if user is None:
        return {"contact": "", "contact_name": ""}
    return {"contact": f"{user.name} ({user.email})", "contact_name": user.name}


def consume(db: Session, settings: Settings, link: SigningLink, what: Consumption) -> SignedResult:
    """Use the link up (it never signs again) and record the signature event; returns the receipt token."""
    receipt = new_token()
    now = utcnow()
    link.used_at = now
    link.receipt_hash = token_hash(receipt)
    repository.save(db, link)
    event = SigningEvent(
        link_id=link.id or 0,
        round_id=what.round_id,
        dossier_id=link.dossier_id,
        document=link.document,
        document_title=what.title,
        signer_name=link.name,
        signer_email=link.email,
        on_behalf_of=link.on_behalf_of,
        ground=what.ground,
        signed_at=now,
        ip_address=what.ip[:64],
        user_agent=(what.user_agent or "onbekend")[:400],
        sha256_before=what.sha_before,
        sha256_after=what.sha_after,
        file_path=storage.relative(settings, what.path),
    )
    repository.save(db, event)
    return SignedResult(link, event, receipt, what.signed)


def receipt_event(db: Session, receipt: str, valid_for: timedelta) -> tuple[SigningLink, SigningEvent]:
    """The signature a receipt link shows; valid for ``valid_for`` after signing (the signer also gets the
    signed document by e-mail), then ``LinkExpired``."""
    link = repository.link_by_receipt_hash(db, token_hash(receipt)) if well_formed(receipt) else None
    event = repository.event_of_link(db, link.id) if link is not None else None
    if link is None or event is None:
        raise LinkUnknown("Dit ondertekeningsbewijs bestaat niet.")
    signed_at = event.signed_at if event.signed_at.tzinfo else event.signed_at.replace(tzinfo=UTC)
    if signed_at + valid_for <= utcnow():
        days = max(1, valid_for.days)
        raise LinkExpired(
            f"Dit ondertekeningsbewijs is verlopen: het is {days} dagen na de ondertekening geldig. "
            "Het ondertekende document is u per e-mail toegestuurd; de afzender kan het u opnieuw sturen."
        )
    return link, event
