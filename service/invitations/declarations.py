"""The geheimhoudingsverklaring of an agendadeelnemer: invited to a meeting (registered, designated, a link
to her personalised declaration), the declaration prepared per chosen ground, signed and recorded in the
registry (the condition "verklaring" of the dossier's legal model).

A declaration is signed (CPU work, no database) before the transaction that records it begins; the locked
look-up then re-checks the link and consumes it last, so the lock is held only for the short write. A
submit that loses the race leaves an unreferenced signed file, as a crash would.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypedDict

from email_validator import EmailNotValidError, validate_email
from sqlmodel import Session

from registry.errors import NotInRegistry
from registry.legal import agreement_legal, invited_role
from registry.models import Agreement, Meeting, Person
from registry.rules import LegalFacts
from registry.sync import (
    agreements_of_person,
    designate,
    find_person,
    get_agreement,
    load_people,
    save_meeting,
)
from service.clock import utcnow
from service.invitations import codes, files, links, mails, repository, storage
from service.invitations.errors import InvalidInvitation, LinkUnknown, RoundConflict
from service.invitations.links import IssuedLink, LinkFor, SignedResult
from service.invitations.models import DECLARATION, DECLARATION_KIND, SigningLink
from service.invitations.rounds import Author
from service.mail.outbox import Outgoing
from service.settings import Settings
from service.signatures.service import SignatoryIdentity, personal_signer
from service.signatures.wiring import signer_from_settings, trust_for_signing
from signing import (
    FieldSpec,
    SignatureRequest,
    StampText,
    add_signature_fields,
    list_signature_fields,
    sign_pdf,
)
from signing.personal import Person as CertificatePerson
from templates import Dossier, Participant, render_declaration
from templates.render import document_title

meeting_links = repository.meeting_links

_SLUG = re.compile(r"[^a-z0-9]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


@dataclass(frozen=True)
class Invitee:
    """The agendadeelnemer as the coordinator typed her in."""

    name: str
    email: str
    institution: str
    function: str | None = None


class PersonRow(TypedDict):
    """A person for ``registry.sync.load_people`` (its ``people`` list)."""

    key: str
    name: str
    email: str
    function: str
    organisation: None
    role: str
    designated_from: date
    designated_until: date | None


class DeclarationRow(TypedDict):
    """A signed declaration for ``registry.sync.load_people`` (its ``declarations`` list)."""

    person: str | None
    ground: str
    signed_on: date
    document: str
    sha256: str


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


# --- the invitation -------------------------------------------------------------------------------------


def _single_line(value: str, field: str, label: str) -> None:
    """Refuse line breaks and other control characters: they end up in e-mail headers and documents."""
    if _CONTROL.search(value):
        raise InvalidInvitation(
            f"{field}: {label} mag geen regeleinden of andere stuurtekens bevatten", field=field
        )


def checked_email(email: str) -> str:
    """The address, or a Dutch refusal. Checked by ``email-validator`` (the syntax of RFC 5321/5322 and
    domain names, reserved names such as ``.test`` or ``localhost`` refused), without a DNS look-up."""
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        raise InvalidInvitation(f"e-mailadres: '{email}' is geen geldig e-mailadres", field="email") from None
    return email


def invite_agendadeelnemer(
    db: Session,
    settings: Settings,
    dossier: Dossier,
    meeting_key: str,
    invitee: Invitee,
    *,
    actor: str,
) -> IssuedLink:
    """Register the agendadeelnemer (designated from today until the end of the agreement, art. 11), add
    them to the meeting, and issue a link to their personalised geheimhoudingsverklaring."""
    name, email, institution = (
        invitee.name.strip(),
        invitee.email.strip().lower(),
        invitee.institution.strip(),
    )
    for value, field, label in (
        (name, "naam", "de naam"),
        (email, "email", "het e-mailadres"),
        (institution, "instelling", "de instelling"),
        (invitee.function or "", "functie", "de functie"),
    ):
        _single_line(value, field, label)
    if not name:
        raise InvalidInvitation("naam: vul de naam van de agendadeelnemer in", field="naam")
    checked_email(email)
    if not institution:
        raise InvalidInvitation("instelling: vul de instelling of het beroep in", field="instelling")
    if dossier.declaration is None:
        raise InvalidInvitation("Dit dossier heeft geen geheimhoudingsverklaring voor agendadeelnemers.")
    meeting = repository.meeting_by_key(db, meeting_key)
    if meeting is None:
        raise LinkUnknown(f"Er is geen wijkoverleg '{meeting_key}'.")
    agreement = repository.get_agreement(db, meeting.agreement_id)
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
    designated_from = min(today, meeting.held_on)
    designated_until = None if agreement.term_end == date.max else agreement.term_end
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
        designate(db, agreement, existing, role, designated_from, designated_until)
    else:
        person: PersonRow = {
            "key": key,
            "name": name,
            "email": email,
            "function": invitee.function or institution,
            "organisation": None,
            "role": role,
            "designated_from": designated_from,
            "designated_until": designated_until,
        }
        load_people(db, {"people": [person]}, agreement.key)
    _add_attendee(db, agreement, meeting, email)
    return links.issue(
        db,
        settings,
        LinkFor(
            kind=DECLARATION_KIND,
            dossier_id=dossier.id,
            document=DECLARATION,
            name=name,
            email=email,
            organisation=institution,
            on_behalf_of=institution,
            person_key=key,
            meeting_key=meeting.key,
        ),
        actor=actor,
    )


def invite(
    db: Session,
    settings: Settings,
    dossier: Dossier,
    meeting_key: str,
    invitee: Invitee,
    *,
    actor: str,
    author: Author,
) -> list[Outgoing]:
    """``invite_agendadeelnemer`` and the invitation e-mail, to be sent after the commit."""
    issued = invite_agendadeelnemer(db, settings, dossier, meeting_key, invitee, actor=actor)
    meeting = repository.meeting_by_key(db, meeting_key)
    assert meeting is not None  # checked above
    agreement = repository.get_agreement(db, meeting.agreement_id)
    meeting_name = meeting.title or f"het wijkoverleg ({agreement.title if agreement else dossier.id})"
    message = mails.declaration_invitation(
        issued.link,
        document_title(dossier, DECLARATION),
        links.link_url(settings, issued.token),
        meeting_name,
        meeting.held_on,
        sender=author.name,
        contact=author.contact,
    )
    return [Outgoing(message, "uitnodiging", issued.link.id)]


def _invited_label(dossier: Dossier) -> str:
    """The signer's capacity on the signature stamp: the covenant's own role for an invited non-party."""
    role = invited_role(LegalFacts(dossier.legal))
    found = dossier.legal.role(role) if role else None
    return found.label if found is not None else "genodigde"


def _kept_elsewhere(db: Session, person: Person, agreement: Agreement) -> bool:
    return person.organisation_id is not None or bool(agreements_of_person(db, person) - {agreement.id})


def _add_attendee(db: Session, agreement: Agreement, meeting: Meeting, email: str) -> None:
    attendees = repository.meeting_attendees(db, meeting.id)
    if email not in [a.lower() for a in attendees]:
        save_meeting(
            db,
            agreement,
            meeting.key,
            meeting.held_on,
            [*attendees, email],
            coordinator=repository.get_person(db, meeting.coordinator_id),
            title=meeting.title,
        )


def agreement_exists(db: Session, key: str) -> bool:
    try:
        get_agreement(db, key)
    except NotInRegistry:
        return False
    return True


# --- the document ---------------------------------------------------------------------------------------


def ground_keys(dossier: Dossier) -> list[tuple[str, str]]:
    if dossier.declaration is None:
        return []
    return [(g.key, " ".join(g.label.split())) for g in dossier.declaration.grounds]


def declaration_pdf(dossier: Dossier, link: SigningLink, ground_key: str, on: date) -> bytes:
    """The personalised geheimhoudingsverklaring with its (empty) signature field."""
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
    path = storage.declaration_concept_path(settings, link.dossier_id, link.id, ground_key, on)
    if path.exists():
        return path.read_bytes()
    data = declaration_pdf(dossier, link, ground_key, on)
    storage.store(path, data)
    return data


# --- signing --------------------------------------------------------------------------------------------


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
        person = CertificatePerson(
            link.name, link.organisation or link.name, _invited_label(dossier), link.email
        )
        signer = personal_signer(settings, person, identity)
    signed = sign_pdf(before, request, signer)
    del signer  # a one-time key exists nowhere else
    sha_after = files.sha256(signed)
    path = storage.signed_declaration_path(settings, link.dossier_id, link.id, sha_after)
    storage.store(path, signed)
    return PreparedSignature(link.id or 0, title, grounds[ground_key], sha_before, sha_after, path, signed)


def confirm_code(db: Session, token: str, code: str, *, ip: str, user_agent: str) -> codes.Evidence:
    """Confirm the e-mailed code of a declaration link in a transaction of its own (committed: a wrong
    attempt counts, a right code is used up), before the declaration is signed without holding a lock."""
    link = links.resolve(db, token, ip, for_update=True, limit_checked=True)
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
        opened = links.resolve(db, token, ip)
    identity, evidence = None, None
    if settings.declaration_personal_certificate:
        evidence = confirm_code(db, token, code or "", ip=ip, user_agent=user_agent)
        identity = SignatoryIdentity(opened.email, evidence.id)
    prepared = signed_declaration(
        settings, dossier, opened, ground_key, today=today, expected_sha256=expected_sha256, identity=identity
    )
    link = links.resolve(db, token, ip, for_update=True, limit_checked=True)
    if link.id != prepared.link_id:  # pragma: no cover - one token, one link
        raise LinkUnknown("Deze link hoort niet bij deze ondertekening.")
    result = links.consume(
        db,
        settings,
        link,
        links.Consumption(
            title=prepared.title,
            sha_before=prepared.sha_before,
            sha_after=prepared.sha_after,
            path=prepared.path,
            signed=prepared.signed,
            ip=ip,
            user_agent=user_agent,
            ground=prepared.ground_label,
        ),
    )
    if evidence is not None and identity is not None:
        event = result.event
        event.auth_method, event.auth_evidence = evidence.method, evidence.id
        event.auth_confirmed_at = evidence.confirmed_at
        event.certificate_subject = identity.issued.get("subject")
        event.certificate_serial = identity.issued.get("serial")
        repository.save(db, event)
    # The registry: the signed declaration makes the agendadeelnemer entitled to personal data under this
    # agreement (the condition "verklaring" of the dossier's legal model) until the end of the agreement.
    declaration: DeclarationRow = {
        "person": link.person_key,
        "ground": ground_key,
        "signed_on": today,
        "document": storage.relative(settings, prepared.path),
        "sha256": prepared.sha_after,
    }
    load_people(db, {"declarations": [declaration]}, link.dossier_id)
    storage.write_declaration_audit(prepared.path, result.event)
    db.flush()
    return result
