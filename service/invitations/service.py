"""Signing by link: send the agreement out (a link per signatory), remind, revoke; invite an agendadeelnemer;
open a link; sign (PAdES, in that person's own field) with an audit trail; finish a round.

Atomicity: the signed file is written under a new, content-addressed name (temp file + rename) *before*
the transaction that consumes the link, moves the round to that version and stores the audit entry
commits. A crash in between leaves the link usable and the old version current; the retry signs again.
A link is looked up with ``FOR UPDATE`` (and on SQLite every POST holds the write lock), so two submits
of one link can never both sign. A declaration is signed (CPU work, no database) before that transaction
begins; the locked look-up then re-checks the link and consumes it last, so the lock is held only for the
short write. A submit that loses the race leaves an unreferenced signed file, as a crash would.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlmodel import Session, select

from registry.legal import agreement_legal, invited_role
from registry.models import Agreement, Meeting, MeetingAttendee, Person
from registry.rules import LegalFacts, may_sign_for
from registry.sync import (
    agreements_of_person,
    designate,
    find_person,
    get_agreement,
    load_people,
    save_meeting,
    sync_dossier,
)
from service.accounts import ratelimit
from service.clock import utcnow
from service.invitations import codes, files
from service.invitations.errors import (
    InvalidInvitation,
    LinkDeclined,
    LinkExpired,
    LinkRevoked,
    LinkUnknown,
    LinkUsed,
    RoundConflict,
)
from service.invitations.models import PendingSignature, SigningEvent, SigningLink, SigningRound
from service.invitations.tokens import new_token, token_hash, well_formed
from service.settings import Settings
from service.signatures.service import SignatoryIdentity
from templates import Dossier, Participant, render_declaration, render_pdf
from templates.render import document_title

AGREEMENT = "overeenkomst"  # document key, and the kind of its links
DECLARATION = "geheimhoudingsverklaring"  # document key
DECLARATION_KIND = "verklaring"  # the kind of a declaration link


@dataclass(frozen=True)
class IssuedLink:
    link: SigningLink
    token: str  # the only moment the token exists in plain text: put it in the e-mail


@dataclass(frozen=True)
class SignedResult:
    link: SigningLink
    event: SigningEvent
    receipt: str
    signed_pdf: bytes
    round_completed: SigningRound | None = None


def link_url(settings: Settings, token: str) -> str:
    base = settings.base_url or f"http://{settings.host}:{settings.port}"
    return f"{base.rstrip('/')}/ondertekenen/{token}"


def _expiry(settings: Settings) -> datetime:
    return utcnow() + timedelta(days=settings.link_ttl_days)


def _rel(settings: Settings, path: Path) -> str:
    return str(path.relative_to(settings.documents_dir))


def _abs(settings: Settings, rel: str) -> Path:
    path = (settings.documents_dir / rel).resolve()
    if settings.documents_dir.resolve() not in path.parents:
        raise RoundConflict("Ongeldig documentpad.")
    return path


def signing_dir(settings: Settings) -> Path:
    return settings.documents_dir / "ondertekening"


# --- the agreement: a round with a link per signatory --------------------------------------------------


def open_round(db: Session, dossier_id: str, document: str = AGREEMENT) -> SigningRound | None:
    q = select(SigningRound).where(SigningRound.dossier_id == dossier_id, SigningRound.document == document)
    rounds = list(db.exec(q.order_by(SigningRound.id.desc())).all())  # type: ignore[union-attr]
    return rounds[0] if rounds else None


def round_links(db: Session, round_id: int) -> list[SigningLink]:
    q = select(SigningLink).where(SigningLink.round_id == round_id).order_by(SigningLink.id)  # type: ignore[arg-type]
    return list(db.exec(q).all())


def current_links(db: Session, round_id: int) -> list[SigningLink]:
    """The live link per signatory (a reminder replaces a link by a new one)."""
    latest: dict[str, SigningLink] = {}
    for link in round_links(db, round_id):
        latest[link.signatory_key or ""] = link
    return list(latest.values())


def start_round(
    db: Session,
    settings: Settings,
    dossier: Dossier,
    *,
    actor: str,
    on: date,
    dossier_version: int | None = None,
) -> list[IssuedLink]:
    """Render the agreement with a field per signatory, store it as version 0, and issue a link per signatory.
    ``dossier_version`` is the dossier version sent out (recorded on the round: that version is frozen).

    Refused (nothing stored) when a round is already open, when this dossier version is already signed,
    when a signatory has no e-mail address, or when the registry's rule says a signatory may not sign
    (with the article)."""
    existing = open_round(db, dossier.id)
    newer_version = (
        existing is not None
        and existing.status == "voltooid"
        and dossier_version is not None
        and existing.dossier_version is not None
        and dossier_version > existing.dossier_version
    )
    if existing is not None and existing.status in ("open", "voltooid") and not newer_version:
        state = "loopt al" if existing.status == "open" else "is al voltooid"
        raise RoundConflict(f"De ondertekening van '{existing.title}' {state}.")
    problems: list[str] = []
    signers = []
    for party in dossier.parties:
        for s in party.signatories:
            if not s.email:
                problems.append(
                    f"parties.{party.key}.signatories.{s.key}.email: {s.name} heeft geen e-mailadres"
                )
                continue
            answer = may_sign_for(s, party, AGREEMENT, on, dossier.mandates)
            if not answer.allowed:
                problems.append(f"{s.name} ({party.name}): {answer.reason} ({answer.article})")
                continue
            signers.append((party, s))
    if problems:
        raise InvalidInvitation("Niet verstuurd — " + "; ".join(problems), field="ondertekenaars")
    if not signers:
        raise InvalidInvitation("Het dossier noemt geen ondertekenaars.", field="ondertekenaars")
    from signing import FieldSpec, add_signature_fields

    rendered = render_pdf(dossier, AGREEMENT)
    fields = [FieldSpec(f.name, f.page_index, f.box) for f in rendered.signature_fields]
    pdf = add_signature_fields(rendered.data, fields)
    digest = files.sha256(pdf)
    path = signing_dir(settings) / dossier.id / f"{AGREEMENT}-v0-{digest[:16]}.pdf"
    files.write_atomic(path, pdf)
    now = utcnow()
    rnd = SigningRound(
        dossier_id=dossier.id,
        document=AGREEMENT,
        title=document_title(dossier, AGREEMENT),
        version=0,
        original_sha256=digest,
        current_sha256=digest,
        current_path=_rel(settings, path),
        created_at=now,
        created_by=actor,
        dossier_version=dossier_version,
    )
    db.add(rnd)
    db.flush()
    issued = []
    for party, s in signers:
        on_behalf = s.on_behalf_of or party.name
        issued.append(
            _issue(db, settings, rnd, party.key, s.key, s.name, str(s.email), party.name, on_behalf, actor)
        )
    db.flush()
    return issued


def _issue(
    db: Session,
    settings: Settings,
    rnd: SigningRound,
    party_key: str,
    signatory_key: str,
    name: str,
    email: str,
    organisation: str,
    on_behalf_of: str,
    actor: str,
) -> IssuedLink:
    token = new_token()
    link = SigningLink(
        token_hash=token_hash(token),
        kind=AGREEMENT,
        round_id=rnd.id,
        dossier_id=rnd.dossier_id,
        document=rnd.document,
        party_key=party_key,
        signatory_key=signatory_key,
        name=name,
        email=email.lower(),
        organisation=organisation,
        on_behalf_of=on_behalf_of,
        created_at=utcnow(),
        created_by=actor,
        expires_at=_expiry(settings),
    )
    db.add(link)
    db.flush()
    return IssuedLink(link, token)


def remind(db: Session, settings: Settings, link_id: int, *, actor: str) -> IssuedLink:
    """A reminder carries a fresh link (only hashes are stored, so the old token cannot be re-sent); the
    old link is revoked with a pointer to the new e-mail."""
    old = db.get(SigningLink, link_id)
    if old is None:
        raise LinkUnknown("Deze link bestaat niet.")
    if old.used_at is not None:
        raise RoundConflict(f"{old.name} heeft al ondertekend; een herinnering is niet nodig.")
    token = new_token()
    now = utcnow()
    old.revoked_at = old.revoked_at or now
    old.revoked_reason = old.revoked_reason or "vervangen door een nieuwere link (herinnering)"
    new = SigningLink(
        **{
            k: getattr(old, k)
            for k in (
                "kind",
                "round_id",
                "dossier_id",
                "document",
                "party_key",
                "signatory_key",
                "person_key",
                "meeting_key",
                "name",
                "email",
                "organisation",
                "on_behalf_of",
            )
        },
        token_hash=token_hash(token),
        created_at=now,
        created_by=actor,
        expires_at=_expiry(settings),
        reminders=old.reminders + 1,
    )
    db.add(old)
    db.add(new)
    db.flush()
    return IssuedLink(new, token)


def revoke(
    db: Session, link_id: int, *, reason: str = "ingetrokken door de privacyfunctionaris"
) -> SigningLink:
    link = db.get(SigningLink, link_id)
    if link is None:
        raise LinkUnknown("Deze link bestaat niet.")
    if link.used_at is not None:
        raise RoundConflict(
            f"De link van {link.name} is al gebruikt; een gezette handtekening trekt u zo niet in."
        )
    if link.revoked_at is None:
        link.revoked_at = utcnow()
        link.revoked_reason = reason
        db.add(link)
        db.flush()
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
    db.add(link)
    db.flush()
    return link


def used_link_event(db: Session, token: str) -> tuple[SigningLink, SigningEvent] | None:
    """For a link that was already used: the link and its signature (to show "U heeft al ondertekend")."""
    if not well_formed(token):
        return None
    link = db.exec(select(SigningLink).where(SigningLink.token_hash == token_hash(token))).first()
    if link is None or link.used_at is None:
        return None
    event = db.exec(select(SigningEvent).where(SigningEvent.link_id == link.id)).first()
    return (link, event) if event is not None else None


def contact_of(db: Session, link: SigningLink) -> dict[str, str]:
    """Who sent the link (the staff account that started the round or invited): the signatory's contact."""
    from service.accounts.models import StaffUser

    email = (link.created_by or "").split(" ", 1)[0].strip().lower()
    user = db.exec(select(StaffUser).where(StaffUser.email == email)).first() if "@" in email else None
    if user is None:
        return {"contact": "", "contact_name": ""}
    return {"contact": f"{user.name} ({user.email})", "contact_name": user.name}


def cancel_round(db: Session, dossier_id: str) -> SigningRound:
    """Stop an open round (e.g. to correct the dossier): every unused link is revoked; signatures already
    placed stay in their stored versions and in the audit trail. A new round can then be started."""
    rnd = open_round(db, dossier_id)
    if rnd is None or rnd.status != "open":
        raise RoundConflict("Er loopt geen ondertekening die kan worden ingetrokken.")
    rnd.status = "ingetrokken"
    db.add(rnd)
    for link in round_links(db, rnd.id or 0):
        if link.used_at is None and link.revoked_at is None:
            link.revoked_at = utcnow()
            link.revoked_reason = "de ondertekening is ingetrokken"
            db.add(link)
    db.flush()
    return rnd


def mark_sent(db: Session, link_id: int) -> None:
    link = db.get(SigningLink, link_id)
    if link is not None:
        link.sent_at = utcnow()
        db.add(link)
        db.flush()


# --- opening a link ------------------------------------------------------------------------------------


def resolve(
    db: Session, token: str, ip: str, *, for_update: bool = False, limit_checked: bool = False
) -> SigningLink:
    """The link for ``token``, or a Dutch refusal: unknown (tampered), used, revoked, expired.
    Failed look-ups count towards the per-address limit (guessing and replay); ``limit_checked``: this
    request already passed the limit check (the locked re-check of a link it resolved)."""
    if not limit_checked:
        ratelimit.check_token_allowed(db, "link", ip)
    link = None
    if well_formed(token):
        q = select(SigningLink).where(SigningLink.token_hash == token_hash(token))
        if for_update:
            # populate_existing: the row may already sit in this session's identity map (read before the
            # lock); after waiting for another transaction we must see its committed used_at.
            q = q.with_for_update().execution_options(populate_existing=True)
        link = db.exec(q).first()
    if link is None:
        ratelimit.commit_failure(db, "link", ip)
        raise LinkUnknown(
            "Deze ondertekeningslink bestaat niet. Controleer of u de hele link uit de e-mail hebt gebruikt."
        )
    if link.used_at is not None:
        ratelimit.commit_failure(db, "link", ip)
        raise LinkUsed(
            f"Deze link is al gebruikt: het document is op {_nl(link.used_at)} ondertekend. "
            "Een link werkt maar één keer; er is geen tweede handtekening gezet."
        )
    if link.declined_at is not None:
        ratelimit.commit_failure(db, "link", ip)
        raise LinkDeclined(
            f"U heeft op {_nl(link.declined_at)} laten weten dat u niet ondertekent. "
            "Uw reden is doorgegeven. Deze link werkt daarom niet meer."
        )
    if link.revoked_at is not None:
        ratelimit.commit_failure(db, "link", ip)
        why = f" ({link.revoked_reason})" if link.revoked_reason else ""
        raise LinkRevoked(
            f"Deze link is ingetrokken{why}. Gebruik de meest recente e-mail, of vraag een nieuwe link aan."
        )
    if link.expires_at <= utcnow():
        ratelimit.commit_failure(db, "link", ip)
        raise LinkExpired(
            f"Deze link is verlopen op {_nl(link.expires_at)}. Vraag de afzender om een nieuwe link."
        )
    return link


def _nl(dt: datetime) -> str:
    from service.pages.rendering import nl_datetime

    return nl_datetime(dt)


def current_pdf(settings: Settings, rnd: SigningRound) -> bytes:
    return files.read_verified(_abs(settings, rnd.current_path), rnd.current_sha256)


def declaration_pdf(dossier: Dossier, link: SigningLink, ground_key: str, on: date) -> bytes:
    """The personalised geheimhoudingsverklaring with its (empty) signature field."""
    from signing import FieldSpec, add_signature_fields

    participant = Participant(link.name, link.organisation or link.name, ground_key, on)
    # Not through the in-memory render cache: one person's declaration is rendered once and then kept on
    # disk (prepared_declaration), so caching it would only evict shared documents.
    rendered = render_declaration(dossier, participant, cache=None)
    assert not isinstance(rendered, bytes)
    fields = [FieldSpec(f.name, f.page_index, f.box) for f in rendered.signature_fields]
    return add_signature_fields(rendered.data, fields)


def prepared_declaration(
    settings: Settings, dossier: Dossier, link: SigningLink, ground_key: str, on: date
) -> bytes:
    """The declaration exactly as shown, embedded and signed: prepared once per (link, ground, day) and kept,
    because adding the signature field is not byte-for-byte reproducible."""
    path = (
        signing_dir(settings) / link.dossier_id / "verklaringen" / f"concept-{link.id}-{ground_key}-{on}.pdf"
    )
    if path.exists():
        return path.read_bytes()
    data = declaration_pdf(dossier, link, ground_key, on)
    files.write_atomic(path, data)
    return data


def ground_keys(dossier: Dossier) -> list[tuple[str, str]]:
    if dossier.declaration is None:
        return []
    return [(g.key, " ".join(g.label.split())) for g in dossier.declaration.grounds]


# --- signing -------------------------------------------------------------------------------------------


def _open_round(db: Session, link: SigningLink) -> SigningRound:
    """The link's round, locked; refused unless it is still open."""
    q = (
        select(SigningRound)
        .where(SigningRound.id == link.round_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    rnd = db.exec(q).one()
    if rnd.status != "open":
        raise RoundConflict(
            f"De ondertekening van '{rnd.title}' is {rnd.status}; er wordt niet meer getekend."
        )
    return rnd


def sign_agreement(
    db: Session,
    settings: Settings,
    dossier: Dossier,
    token: str,
    *,
    ip: str,
    user_agent: str,
    today: date,
    code: str,
    second_code: str = "",
) -> SignedResult:
    """Sign the agreement in the signatory's field with a one-time certificate naming her, after the
    e-mailed ``code`` confirmed her address — and, where her organisation requires it, ``second_code`` from
    her account's authenticator app (``second_factor``). A wrong code raises (its attempt is flushed for
    the caller to commit) and signs nothing."""
    from dataclasses import replace

    from service.invitations import second_factor
    from service.signatures.service import SignatoryIdentity, sign_for_signatory

    link = resolve(db, token, ip, for_update=True)
    if link.kind != AGREEMENT or link.round_id is None:
        raise LinkUnknown("Deze link hoort niet bij een overeenkomst.")
    evidence = codes.confirm(db, link, code, ip=ip, user_agent=user_agent)
    confirmed_with = "een eenmalige code per e-mail"
    second = second_factor.confirm(db, settings, link, second_code)
    if second is not None:
        evidence = replace(evidence, method=f"{codes.METHOD} en {second}")
        confirmed_with = f"{confirmed_with} en {second}"
    identity = SignatoryIdentity(link.email, evidence.id, confirmed_with=confirmed_with)
    rnd = _open_round(db, link)
    before = current_pdf(settings, rnd)
    signed = sign_for_signatory(
        before,
        dossier,
        party_key=str(link.party_key),
        signatory_key=str(link.signatory_key),
        document=AGREEMENT,
        document_title=rnd.title,
        on=today,
        settings=settings,
        identity=identity,
    )
    return _record_agreement_signature(
        db,
        settings,
        dossier,
        link,
        rnd,
        signed,
        ip=ip,
        user_agent=user_agent,
        auth=(evidence.method, evidence.id, evidence.confirmed_at),
        certificate=(identity.issued.get("subject"), identity.issued.get("serial")),
    )


OWN_CERTIFICATE = "eigen certificaat (buiten de dienst ondertekend)"


def accept_own_signature(
    db: Session,
    settings: Settings,
    dossier: Dossier,
    token: str,
    uploaded: bytes,
    *,
    ip: str,
    user_agent: str,
) -> SignedResult | PendingSignature:
    """Accept the agreement signed in the signatory's own field with her own certificate and software,
    after ``signing.own.check_own_signature``. When the certificate's name is not hers, the upload is held
    for the privacy officer's confirmation (``confirmations.hold``) and counts for nothing yet."""
    from service.signatures.wiring import trust_for_validation
    from signing.own import check_own_signature

    link = resolve(db, token, ip, for_update=True)
    if link.kind != AGREEMENT or link.round_id is None:
        raise LinkUnknown("Deze link hoort niet bij een overeenkomst.")
    rnd = _open_round(db, link)
    before = current_pdf(settings, rnd)
    own = check_own_signature(before, uploaded, f"sig-{link.signatory_key}", trust_for_validation(settings))
    if _name_key(own.common_name or "") != _name_key(link.name):
        from service.invitations import confirmations

        return confirmations.hold(
            db,
            settings,
            link,
            rnd,
            uploaded,
            certificate_name=own.common_name,
            certificate_subject=own.report.signer or own.common_name or "onbekend",
            ip=ip,
            user_agent=user_agent,
        )
    return _record_agreement_signature(
        db,
        settings,
        dossier,
        link,
        rnd,
        uploaded,
        ip=ip,
        user_agent=user_agent,
        auth=(OWN_CERTIFICATE, None, None),
        certificate=(own.report.signer, None),
    )


def _name_key(name: str) -> str:
    return " ".join(name.casefold().split())


def _record_agreement_signature(
    db: Session,
    settings: Settings,
    dossier: Dossier,
    link: SigningLink,
    rnd: SigningRound,
    signed: bytes,
    *,
    ip: str,
    user_agent: str,
    auth: tuple[str, str | None, datetime | None],
    certificate: tuple[str | None, str | None],
) -> SignedResult:
    """Store the new version, consume the link, record the evidence; seal when it was the last one."""
    from service.signatures.service import seal_if_complete

    sha_before = rnd.current_sha256
    sha_after = files.sha256(signed)
    path = signing_dir(settings) / rnd.dossier_id / f"{AGREEMENT}-v{rnd.version + 1}-{sha_after[:16]}.pdf"
    files.write_atomic(path, signed)  # before the commit: a crash leaves an orphan file, not a lost signature
    rnd.version += 1
    rnd.current_sha256 = sha_after
    rnd.current_path = _rel(settings, path)
    result = _consume(
        db, settings, link, rnd.id, rnd.title, None, sha_before, sha_after, path, ip, user_agent, signed
    )
    event = result.event
    for held in db.exec(
        select(PendingSignature).where(
            PendingSignature.link_id == link.id, PendingSignature.status == "wacht"
        )
    ):  # an upload on another name still waiting for confirmation no longer counts: she has signed
        held.status, held.decided_at = "vervallen", result.event.signed_at
        held.reason = "de ondertekenaar heeft intussen ondertekend"
        db.add(held)
    event.auth_method, event.auth_evidence, event.auth_confirmed_at = auth
    event.certificate_subject, event.certificate_serial = certificate
    db.add(event)
    pending = [x for x in current_links(db, rnd.id or 0) if x.used_at is None]
    completed = None
    if not pending:
        rnd.status = "voltooid"
        rnd.completed_at = utcnow()
        completed = rnd
        sealed = seal_if_complete(signed, settings)  # document timestamp, when a TSA is configured
        if sealed is not None:
            sha_sealed = files.sha256(sealed)
            sealed_path = (
                signing_dir(settings) / rnd.dossier_id / f"{AGREEMENT}-verzegeld-{sha_sealed[:16]}.pdf"
            )
            files.write_atomic(sealed_path, sealed)
            rnd.current_sha256 = sha_sealed
            rnd.current_path = _rel(settings, sealed_path)
            signed = sealed  # the final PDF every party receives
        sync_dossier(db, dossier)  # the registry learns the agreement and its parties
    db.add(rnd)
    _write_audit_sheet(db, settings, rnd)
    db.flush()
    return SignedResult(result.link, result.event, result.receipt, signed, completed)


@dataclass(frozen=True)
class PreparedSignature:
    """A declaration signed and stored under its content-addressed name, not yet recorded (no link
    consumed)."""

    link_id: int
    title: str
    ground_label: str
    sha_before: str
    sha_after: str
    path: Path
    signed: bytes


def signed_declaration(
    settings: Settings,
    dossier: Dossier,
    link: SigningLink,
    ground_key: str,
    *,
    today: date,
    expected_sha256: str | None = None,
    identity: SignatoryIdentity | None = None,
) -> PreparedSignature:
    """The CPU part of signing a declaration, without touching the database: the prepared declaration (the
    bytes the page showed), signed in its one empty field and written to a new content-addressed file.
    Done before the transaction that consumes the link, so no lock is held while signing; a crash or a
    concurrent submit that wins leaves at most an orphan file, never a signature without its record."""
    from service.signatures.wiring import signer_from_settings, trust_for_signing
    from signing import SignatureRequest, StampText, list_signature_fields, sign_pdf

    if link.kind != DECLARATION_KIND:
        raise LinkUnknown("Deze link hoort niet bij een geheimhoudingsverklaring.")
    grounds = dict(ground_keys(dossier))
    if ground_key not in grounds:
        raise InvalidInvitation(
            "grondslag: kies een van de grondslagen uit de verklaring (" + "; ".join(grounds.values()) + ").",
            field="grondslag",
        )
    before = prepared_declaration(settings, dossier, link, ground_key, today)
    sha_before = files.sha256(before)
    if expected_sha256 is not None and expected_sha256 != sha_before:
        raise RoundConflict(
            "Het document is gewijzigd sinds u het opende. Lees het opnieuw en onderteken dan."
        )
    empty = [f.name for f in list_signature_fields(before) if not f.signed]
    if len(empty) != 1:
        raise RoundConflict("De verklaring heeft niet precies één leeg handtekeningveld; niet ondertekend.")
    title = document_title(dossier, DECLARATION)
    level = settings.signature_level
    request = SignatureRequest(
        field_name=empty[0],
        level=level,
        stamp=StampText(link.name, _invited_label(dossier), link.organisation or link.name, signed_on=today),
        reason=f"Ondertekening {title}",
        location=dossier.area,
        tsa_url=settings.tsa_url,
        trust=trust_for_signing(settings) if level in ("B-LT", "B-LTA") else None,
    )
    if identity is None:
        signer = signer_from_settings(settings)
    else:  # a one-time certificate naming her, after her e-mailed code (declaration_personal_certificate)
        from service.signatures.wiring import signing_ca_from_settings
        from signing.personal import Person, issue_personal_signer

        person = Person(link.name, link.organisation or link.name, _invited_label(dossier), link.email)
        signer = issue_personal_signer(
            signing_ca_from_settings(settings),
            person,
            evidence=identity.evidence,
            confirmed_with=identity.confirmed_with,
        )
        identity.issued["subject"] = signer.subject
        identity.issued["serial"] = format(signer.certificate.serial_number, "x")
    signed = sign_pdf(before, request, signer)
    del signer  # a one-time key exists nowhere else
    sha_after = files.sha256(signed)
    path = (
        signing_dir(settings)
        / link.dossier_id
        / "verklaringen"
        / f"verklaring-{link.id}-{sha_after[:16]}.pdf"
    )
    files.write_atomic(path, signed)
    return PreparedSignature(link.id or 0, title, grounds[ground_key], sha_before, sha_after, path, signed)


def confirm_code(db: Session, token: str, code: str, *, ip: str, user_agent: str) -> codes.Evidence:
    """Confirm the e-mailed code of a declaration link in a transaction of its own (committed: a wrong
    attempt counts, a right code is used up), before the declaration is signed without holding a lock."""
    link = resolve(db, token, ip, for_update=True, limit_checked=True)
    try:
        evidence = codes.confirm(db, link, code, ip=ip, user_agent=user_agent)
    finally:
        db.commit()
    return evidence


def sign_declaration(
    db: Session,
    settings: Settings,
    dossier: Dossier,
    token: str,
    ground_key: str,
    *,
    ip: str,
    user_agent: str,
    today: date,
    expected_sha256: str | None = None,
    opened: SigningLink | None = None,
    code: str | None = None,
) -> SignedResult:
    """Sign and record. ``opened``: the link as already resolved by the caller, whose transaction has ended,
    so the signing happens before this session touches the database (on SQLite: before it takes the write
    lock). The link is then looked up again ``FOR UPDATE`` and consumed last; if it was used, revoked or
    expired meanwhile, nothing is recorded."""
    if opened is None:
        opened = resolve(db, token, ip)
    identity, evidence = None, None
    if settings.declaration_personal_certificate:
        evidence = confirm_code(db, token, code or "", ip=ip, user_agent=user_agent)
        identity = SignatoryIdentity(opened.email, evidence.id)
    prepared = signed_declaration(
        settings, dossier, opened, ground_key, today=today, expected_sha256=expected_sha256, identity=identity
    )
    link = resolve(db, token, ip, for_update=True, limit_checked=True)
    if link.id != prepared.link_id:  # pragma: no cover - one token, one link
        raise LinkUnknown("Deze link hoort niet bij deze ondertekening.")
    title, sha_before, sha_after, path, signed = (
        prepared.title,
        prepared.sha_before,
        prepared.sha_after,
        prepared.path,
        prepared.signed,
    )
    result = _consume(
        db,
        settings,
        link,
        None,
        title,
        prepared.ground_label,
        sha_before,
        sha_after,
        path,
        ip,
        user_agent,
        signed,
    )
    if evidence is not None and identity is not None:
        event = result.event
        event.auth_method, event.auth_evidence, event.auth_confirmed_at = (
            evidence.method,
            evidence.id,
            evidence.confirmed_at,
        )
        event.certificate_subject = identity.issued.get("subject")
        event.certificate_serial = identity.issued.get("serial")
        db.add(event)
    # The registry: the signed declaration makes the agendadeelnemer entitled to personal data under this
    # agreement (the condition "verklaring" of the dossier's legal model) until the end of the agreement.
    load_people(
        db,
        {
            "declarations": [
                {
                    "person": link.person_key,
                    "ground": ground_key,
                    "signed_on": today,
                    "document": _rel(settings, path),
                    "sha256": sha_after,
                }
            ]
        },
        link.dossier_id,
    )
    files.write_json_atomic(path.with_suffix(".audit.json"), [audit_dict(result.event)])
    db.flush()
    return result


def _consume(
    db: Session,
    settings: Settings,
    link: SigningLink,
    round_id: int | None,
    title: str,
    ground: str | None,
    sha_before: str,
    sha_after: str,
    path: Path,
    ip: str,
    user_agent: str,
    signed: bytes,
) -> SignedResult:
    receipt = new_token()
    now = utcnow()
    link.used_at = now
    link.receipt_hash = token_hash(receipt)
    db.add(link)
    event = SigningEvent(
        link_id=link.id or 0,
        round_id=round_id,
        dossier_id=link.dossier_id,
        document=link.document,
        document_title=title,
        signer_name=link.name,
        signer_email=link.email,
        on_behalf_of=link.on_behalf_of,
        ground=ground,
        signed_at=now,
        ip_address=ip[:64],
        user_agent=(user_agent or "onbekend")[:400],
        sha256_before=sha_before,
        sha256_after=sha_after,
        file_path=_rel(settings, path),
    )
    db.add(event)
    db.flush()
    return SignedResult(link, event, receipt, signed)


def audit_dict(e: SigningEvent) -> dict[str, object]:
    return {
        "document": e.document_title,
        "ondertekenaar": e.signer_name,
        "email": e.signer_email,
        "namens": e.on_behalf_of,
        "grondslag": e.ground,
        "tijdstip_utc": e.signed_at.isoformat(),
        "ip_adres": e.ip_address,
        "browser": e.user_agent,
        "sha256_voor": e.sha256_before,
        "sha256_na": e.sha256_after,
        "bestand": e.file_path,
        "authenticatie": e.auth_method,
        "bewijs_id": e.auth_evidence,
        "bevestigd_utc": e.auth_confirmed_at.isoformat() if e.auth_confirmed_at else None,
        "certificaat": e.certificate_subject,
        "certificaat_serienummer": e.certificate_serial,
    }


def round_events(db: Session, round_id: int) -> list[SigningEvent]:
    q = select(SigningEvent).where(SigningEvent.round_id == round_id).order_by(SigningEvent.id)  # type: ignore[arg-type]
    return list(db.exec(q).all())


def _write_audit_sheet(db: Session, settings: Settings, rnd: SigningRound) -> None:
    """The audit trail, stored next to the current version of the document (``<pdf>.audit.json``)."""
    path = _abs(settings, rnd.current_path)
    files.write_json_atomic(
        path.with_suffix(".audit.json"),
        {
            "document": rnd.title,
            "dossier": rnd.dossier_id,
            "status": rnd.status,
            "sha256_origineel": rnd.original_sha256,
            "sha256_huidig": rnd.current_sha256,
            "handtekeningen": [audit_dict(e) for e in round_events(db, rnd.id or 0)],
        },
    )


def receipt_event(db: Session, receipt: str, valid_for: timedelta) -> tuple[SigningLink, SigningEvent]:
    """The signature a receipt link shows; valid for ``valid_for`` after signing (the signer also gets the
    signed document by e-mail), then ``LinkExpired``."""
    link = (
        db.exec(select(SigningLink).where(SigningLink.receipt_hash == token_hash(receipt))).first()
        if (well_formed(receipt))
        else None
    )
    if link is None:
        raise LinkUnknown("Dit ondertekeningsbewijs bestaat niet.")
    event = db.exec(select(SigningEvent).where(SigningEvent.link_id == link.id)).one()
    signed_at = event.signed_at if event.signed_at.tzinfo else event.signed_at.replace(tzinfo=UTC)
    if signed_at + valid_for <= utcnow():
        days = max(1, valid_for.days)
        raise LinkExpired(
            f"Dit ondertekeningsbewijs is verlopen: het is {days} dagen na de ondertekening geldig. "
            "Het ondertekende document is u per e-mail toegestuurd; de afzender kan het u opnieuw sturen."
        )
    return link, event


def event_pdf(settings: Settings, event: SigningEvent) -> bytes:
    return files.read_verified(_abs(settings, event.file_path), event.sha256_after)


# --- agendadeelnemers ---------------------------------------------------------------------------------

_SLUG = re.compile(r"[^a-z0-9]+")


_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


def _single_line(value: str, field: str, label: str) -> None:
    """Refuse line breaks and other control characters: they end up in e-mail headers and documents."""
    if _CONTROL.search(value):
        raise InvalidInvitation(
            f"{field}: {label} mag geen regeleinden of andere stuurtekens bevatten", field=field
        )


def invite_agendadeelnemer(
    db: Session,
    settings: Settings,
    dossier: Dossier,
    meeting_key: str,
    *,
    name: str,
    email: str,
    institution: str,
    function: str | None,
    actor: str,
) -> IssuedLink:
    """Register the agendadeelnemer (designated from today until the end of the agreement, art. 11), add
    them to the meeting, and issue a link to their personalised geheimhoudingsverklaring."""
    name, email, institution = name.strip(), email.strip().lower(), institution.strip()
    for value, field, label in (
        (name, "naam", "de naam"),
        (email, "email", "het e-mailadres"),
        (institution, "instelling", "de instelling"),
        (function or "", "functie", "de functie"),
    ):
        _single_line(value, field, label)
    if not name:
        raise InvalidInvitation("naam: vul de naam van de agendadeelnemer in", field="naam")
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        raise InvalidInvitation(f"e-mailadres: '{email}' is geen geldig e-mailadres", field="email")
    if not institution:
        raise InvalidInvitation("instelling: vul de instelling of het beroep in", field="instelling")
    if dossier.declaration is None:
        raise InvalidInvitation("Dit dossier heeft geen geheimhoudingsverklaring voor agendadeelnemers.")
    meeting = db.exec(select(Meeting).where(Meeting.key == meeting_key)).first()
    if meeting is None:
        raise LinkUnknown(f"Er is geen wijkoverleg '{meeting_key}'.")
    agreement = db.get(Agreement, meeting.agreement_id)
    assert agreement is not None
    if agreement.key != dossier.id:
        raise InvalidInvitation("Dit wijkoverleg hoort bij een andere overeenkomst.")
    role = invited_role(agreement_legal(agreement))
    if role is None:
        raise InvalidInvitation(
            "Het rechtsmodel van dit convenant kent geen rol voor genodigden die geen partij zijn "
            "(legal.roles met of_party: false); niemand kan zo worden uitgenodigd."
        )
    existing = find_person(db, email)
    key = existing.key if existing is not None else "agendadeelnemer-" + _SLUG.sub("-", email).strip("-")[:60]
    today = utcnow().date()
    if existing is not None and _kept_elsewhere(db, existing, agreement):
        # The person is registered for another agreement (or is a partner's professional): their record is
        # not this coordinator's to change (issue 10, item 4). Only a designation for this agreement is added.
        if " ".join(existing.name.split()).casefold() != " ".join(name.split()).casefold():
            raise RoundConflict(
                "naam: dit e-mailadres is al geregistreerd voor iemand met een andere naam (bij een andere "
                "overeenkomst of als professional). Controleer de naam of gebruik een ander e-mailadres; "
                "de bestaande gegevens worden niet overschreven.",
                field="naam",
            )
        designate(
            db,
            agreement,
            existing,
            role,
            min(today, meeting.held_on),
            None if agreement.term_end == date.max else agreement.term_end,
        )
    else:
        _register_agendadeelnemer(
            db, agreement, meeting, key, name, email, function or institution, today, role
        )
    _add_attendee(db, agreement, meeting, email)
    return _declaration_link(db, settings, dossier, meeting, key, name, email, institution, actor)


def _invited_label(dossier: Dossier) -> str:
    """The signer's capacity on the signature stamp: the covenant's own role for an invited non-party."""
    role = invited_role(LegalFacts(dossier.legal))
    found = dossier.legal.role(role) if role else None
    return found.label if found is not None else "genodigde"


def _kept_elsewhere(db: Session, person: Person, agreement: Agreement) -> bool:
    return person.organisation_id is not None or bool(agreements_of_person(db, person) - {agreement.id})


def _register_agendadeelnemer(
    db: Session,
    agreement: Agreement,
    meeting: Meeting,
    key: str,
    name: str,
    email: str,
    function: str,
    today: date,
    role: str,
) -> None:
    load_people(
        db,
        {
            "people": [
                {
                    "key": key,
                    "name": name,
                    "email": email,
                    "function": function,
                    "organisation": None,
                    "role": role,
                    "designated_from": min(today, meeting.held_on),
                    "designated_until": None if agreement.term_end == date.max else agreement.term_end,
                }
            ]
        },
        agreement.key,
    )


def _add_attendee(db: Session, agreement: Agreement, meeting: Meeting, email: str) -> None:
    attendees = [
        a.given_as for a in db.exec(select(MeetingAttendee).where(MeetingAttendee.meeting_id == meeting.id))
    ]
    if email not in [a.lower() for a in attendees]:
        save_meeting(
            db,
            agreement,
            meeting.key,
            meeting.held_on,
            [*attendees, email],
            coordinator=None if meeting.coordinator_id is None else _person(db, meeting.coordinator_id),
            title=meeting.title,
        )


def _declaration_link(
    db: Session,
    settings: Settings,
    dossier: Dossier,
    meeting: Meeting,
    key: str,
    name: str,
    email: str,
    institution: str,
    actor: str,
) -> IssuedLink:
    token = new_token()
    link = SigningLink(
        token_hash=token_hash(token),
        kind=DECLARATION_KIND,
        dossier_id=dossier.id,
        document=DECLARATION,
        person_key=key,
        meeting_key=meeting.key,
        name=name,
        email=email,
        organisation=institution,
        on_behalf_of=institution,
        created_at=utcnow(),
        created_by=actor,
        expires_at=_expiry(settings),
    )
    db.add(link)
    db.flush()
    return IssuedLink(link, token)


def _person(db: Session, person_id: int) -> Person | None:
    return db.get(Person, person_id)


def meeting_links(db: Session, meeting_key: str) -> list[SigningLink]:
    q = select(SigningLink).where(SigningLink.meeting_key == meeting_key).order_by(SigningLink.id)  # type: ignore[arg-type]
    return list(db.exec(q).all())


def agreement_exists(db: Session, key: str) -> bool:
    try:
        get_agreement(db, key)
    except Exception:  # noqa: BLE001 - NotInRegistry
        return False
    return True
