"""The agreement sent out for signature: a round with a link per signatory, reminders, withdrawal, and each
signature placed in the signatory's own field (a one-time certificate naming her, after her e-mailed code).

Atomicity: the signed file is written under a new, content-addressed name (temp file + rename) *before*
the transaction that consumes the link, moves the round to that version and stores the audit entry
commits. A crash in between leaves the link usable and the old version current; the retry signs again.
A link is looked up with ``FOR UPDATE`` (and on SQLite every POST holds the write lock), so two submits
of one link can never both sign.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlmodel import Session

from registry.rules import may_sign_for
from registry.sync import sync_dossier
from service.clock import utcnow
from service.invitations import codes, files, links, mails, repository, second_factor, storage
from service.invitations.errors import InvalidInvitation, LinkUnknown, RoundConflict
from service.invitations.links import IssuedLink, LinkFor, SignedResult
from service.invitations.models import AGREEMENT, SigningLink, SigningRound
from service.mail.outbox import Outgoing
from service.settings import Settings
from service.signatures.service import SignatoryIdentity, seal_if_complete, sign_for_signatory
from signing import FieldSpec, add_signature_fields
from templates import Dossier, render_pdf
from templates.render import document_title

OWN_CERTIFICATE = "eigen certificaat (buiten de dienst ondertekend)"

latest_round = repository.latest_round
current_links = repository.current_links
round_events = repository.round_events


@dataclass(frozen=True)
class Author:
    """The staff member on whose behalf a mail goes out (named in its footer as the contact)."""

    name: str
    email: str

    @property
    def contact(self) -> str:
        return f"{self.name} ({self.email})"


@dataclass(frozen=True)
class Evidence:
    """How a signature was confirmed, recorded on its event."""

    method: str
    evidence_id: str | None = None
    confirmed_at: datetime | None = None
    certificate_subject: str | None = None
    certificate_serial: str | None = None


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
    existing = repository.latest_round(db, dossier.id)
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
    rendered = render_pdf(dossier, AGREEMENT)
    fields = [FieldSpec(f.name, f.page_index, f.box) for f in rendered.signature_fields]
    pdf = add_signature_fields(rendered.data, fields)
    digest = files.sha256(pdf)
    path = storage.agreement_path(settings, dossier.id, "v0", digest)
    storage.store(path, pdf)
    rnd = SigningRound(
        dossier_id=dossier.id,
        document=AGREEMENT,
        title=document_title(dossier, AGREEMENT),
        version=0,
        original_sha256=digest,
        current_sha256=digest,
        current_path=storage.relative(settings, path),
        created_at=utcnow(),
        created_by=actor,
        dossier_version=dossier_version,
    )
    repository.save(db, rnd)
    issued = [
        links.issue(
            db,
            settings,
            LinkFor(
                kind=AGREEMENT,
                dossier_id=rnd.dossier_id,
                document=rnd.document,
                name=s.name,
                email=str(s.email),
                organisation=party.name,
                on_behalf_of=s.on_behalf_of or party.name,
                round_id=rnd.id,
                party_key=party.key,
                signatory_key=s.key,
            ),
            actor=actor,
        )
        for party, s in signers
    ]
    db.flush()
    return issued


def send_out(
    db: Session,
    settings: Settings,
    dossier: Dossier,
    *,
    actor: str,
    author: Author,
    on: date,
    dossier_version: int | None = None,
) -> list[Outgoing]:
    """Start the round (``start_round``), let the registry learn the agreement and its parties, and return
    the invitation per signatory, to be sent after the commit."""
    issued = start_round(db, settings, dossier, actor=actor, on=on, dossier_version=dossier_version)
    sync_dossier(db, dossier)
    title = document_title(dossier, AGREEMENT)
    return [_invitation(settings, i, title, author, reminder=False) for i in issued]


def remind(
    db: Session, settings: Settings, dossier: Dossier, link_id: int, *, actor: str, author: Author
) -> list[Outgoing]:
    """A fresh link for a signatory who has not signed yet (``links.remind``), and its e-mail."""
    issued = links.remind(db, settings, link_id, actor=actor)
    return [_invitation(settings, issued, document_title(dossier, AGREEMENT), author, reminder=True)]


def _invitation(
    settings: Settings, issued: IssuedLink, title: str, author: Author, *, reminder: bool
) -> Outgoing:
    message = mails.agreement_invitation(
        issued.link,
        title,
        links.link_url(settings, issued.token),
        reminder=reminder,
        sender=author.name,
        contact=author.contact,
    )
    return Outgoing(message, "herinnering" if reminder else "uitnodiging", issued.link.id)


def cancel_round(db: Session, dossier_id: str) -> SigningRound:
    """Stop an open round (e.g. to correct the dossier): every unused link is revoked; signatures already
    placed stay in their stored versions and in the audit trail. A new round can then be started."""
    rnd = repository.latest_round(db, dossier_id)
    if rnd is None or rnd.status != "open":
        raise RoundConflict("Er loopt geen ondertekening die kan worden ingetrokken.")
    rnd.status = "ingetrokken"
    repository.save(db, rnd)
    for link in repository.round_links(db, rnd.id or 0):
        if link.used_at is None and link.revoked_at is None:
            link.revoked_at = utcnow()
            link.revoked_reason = "de ondertekening is ingetrokken"
            repository.save(db, link)
    db.flush()
    return rnd


def lock_open_round(db: Session, link: SigningLink) -> SigningRound:
    """The link's round, locked; refused unless it is still open."""
    rnd = repository.lock_round(db, link.round_id)
    if rnd.status != "open":
        raise RoundConflict(
            f"De ondertekening van '{rnd.title}' is {rnd.status}; er wordt niet meer getekend."
        )
    return rnd


def agreement_link(db: Session, token: str, ip: str) -> SigningLink:
    """The link of ``token``, locked, refused unless it is a signatory's link to an agreement."""
    link = links.resolve(db, token, ip, for_update=True)
    if link.kind != AGREEMENT or link.round_id is None:
        raise LinkUnknown("Deze link hoort niet bij een overeenkomst.")
    return link


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
    link = agreement_link(db, token, ip)
    evidence = codes.confirm(db, link, code, ip=ip, user_agent=user_agent)
    confirmed_with = "een eenmalige code per e-mail"
    second = second_factor.confirm(db, settings, link, second_code)
    if second is not None:
        evidence = replace(evidence, method=f"{codes.METHOD} en {second}")
        confirmed_with = f"{confirmed_with} en {second}"
    identity = SignatoryIdentity(link.email, evidence.id, confirmed_with=confirmed_with)
    rnd = lock_open_round(db, link)
    before = storage.current_pdf(settings, rnd)
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
    return record_agreement_signature(
        db,
        settings,
        dossier,
        link,
        rnd,
        signed,
        ip=ip,
        user_agent=user_agent,
        evidence=Evidence(
            evidence.method,
            evidence.id,
            evidence.confirmed_at,
            identity.issued.get("subject"),
            identity.issued.get("serial"),
        ),
    )


def record_agreement_signature(
    db: Session,
    settings: Settings,
    dossier: Dossier,
    link: SigningLink,
    rnd: SigningRound,
    signed: bytes,
    *,
    ip: str,
    user_agent: str,
    evidence: Evidence,
) -> SignedResult:
    """Store the new version, consume the link, record the evidence; seal when it was the last one."""
    sha_before = rnd.current_sha256
    sha_after = files.sha256(signed)
    path = storage.agreement_path(settings, rnd.dossier_id, f"v{rnd.version + 1}", sha_after)
    storage.store(path, signed)  # before the commit: a crash leaves an orphan file, not a lost signature
    rnd.version += 1
    rnd.current_sha256 = sha_after
    rnd.current_path = storage.relative(settings, path)
    result = links.consume(
        db,
        settings,
        link,
        links.Consumption(rnd.title, sha_before, sha_after, path, signed, ip, user_agent, round_id=rnd.id),
    )
    event = result.event
    for held in repository.waiting_for_link(db, link.id):
        # an upload on another name still waiting for confirmation no longer counts: she has signed
        held.status, held.decided_at = "vervallen", event.signed_at
        held.reason = "de ondertekenaar heeft intussen ondertekend"
        repository.save(db, held)
    event.auth_method, event.auth_evidence = evidence.method, evidence.evidence_id
    event.auth_confirmed_at = evidence.confirmed_at
    event.certificate_subject = evidence.certificate_subject
    event.certificate_serial = evidence.certificate_serial
    repository.save(db, event)
    pending = [x for x in repository.current_links(db, rnd.id or 0) if x.used_at is None]
    completed = None
    if not pending:
        rnd.status = "voltooid"
        rnd.completed_at = utcnow()
        completed = rnd
        sealed = seal_if_complete(signed, settings)  # document timestamp, when a TSA is configured
        if sealed is not None:
            sha_sealed = files.sha256(sealed)
            sealed_path = storage.agreement_path(settings, rnd.dossier_id, "verzegeld", sha_sealed)
            storage.store(sealed_path, sealed)
            rnd.current_sha256 = sha_sealed
            rnd.current_path = storage.relative(settings, sealed_path)
            signed = sealed  # the final PDF every party receives
        sync_dossier(db, dossier)  # the registry learns the agreement and its parties
    repository.save(db, rnd)
    storage.write_round_audit(settings, rnd, repository.round_events(db, rnd.id or 0))
    db.flush()
    return SignedResult(result.link, result.event, result.receipt, signed, completed)
