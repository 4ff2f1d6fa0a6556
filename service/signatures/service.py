"""Signing a document for a dossier signatory — after the registry's rule said they may — and validating.

The decision who may sign lives in ``registry.rules.may_sign_for`` (a pure function); this module loads
the values it needs, asks it, and refuses with its Dutch reason and the article it rests on.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from registry.rules import RuleAnswer, may_sign_for
from service.settings import Settings
from service.signatures.errors import SignatoryUnknown, SignatureRefused
from service.signatures.wiring import (
    signer_from_settings,
    signing_ca_from_settings,
    trust_for_signing,
    trust_for_validation,
)
from signing import (
    SignatureRequest,
    Signer,
    StampText,
    ValidationLimits,
    ValidationReport,
    dutch_date,
    list_signature_fields,
    seal_document,
    sign_pdf,
    validate_pdf,
)
from signing.personal import Person, issue_personal_signer
from templates.dossier.model import Dossier, Mandate, Party, Signatory
from templates.fields import signature_field

log = logging.getLogger("convenant.signatures")


def field_name_for(signatory: Signatory) -> str:
    """The signature field of a signatory in every rendered document: ``sig-<signatory key>``."""
    return signature_field(signatory.key)


def find_signatory(dossier: Dossier, party_key: str, signatory_key: str) -> tuple[Party, Signatory]:
    party = dossier.party(party_key)
    if party is None:
        raise SignatoryUnknown(f"Partij '{party_key}' komt niet voor in dossier '{dossier.id}'.")
    signatory = next((s for s in party.signatories if s.key == signatory_key), None)
    if signatory is None:
        raise SignatoryUnknown(
            f"Ondertekenaar '{signatory_key}' is niet vastgelegd voor partij '{party.name}'."
        )
    return party, signatory


def stamp_text(signatory: Signatory, party: Party, mandates: Sequence[Mandate], on: date) -> StampText:
    on_behalf_of, mandate_text = signatory.on_behalf_of, None
    if signatory.capacity == "mandaat":
        mandate = next((m for m in mandates if m.key == signatory.mandate), None)
        if mandate is not None:
            on_behalf_of = on_behalf_of or f"{mandate.mandator.function}, {mandate.mandator.name}"
            mandate_text = f"mandaatbesluit van {dutch_date(mandate.date)}"
    return StampText(
        signatory.name,
        signatory.function,
        party.name,
        on_behalf_of=on_behalf_of,
        mandate=mandate_text,
        signed_on=on,
    )


def refuse(answer: RuleAnswer) -> SignatureRefused:
    problems = [{"pad": "ondertekenaar", "melding": m} for m in answer.missing]
    problems.append({"pad": "grondslag", "melding": answer.article})
    return SignatureRefused(f"{answer.reason} ({answer.article})", problems=problems)


@dataclass
class SignatoryIdentity:
    """A confirmed signatory: her e-mail address and the id of the recorded authentication evidence."""

    email: str
    evidence: str
    issued: dict[str, str] = field(default_factory=dict)
    confirmed_with: str = "een eenmalige code per e-mail"


def personal_signer(settings: Settings, person: Person, identity: SignatoryIdentity) -> Signer:
    """A one-time certificate naming ``person``, issued by the configured signing CA on the recorded evidence;
    its subject and serial are put in ``identity.issued`` (the sign event keeps them)."""
    signer = issue_personal_signer(
        signing_ca_from_settings(settings),
        person,
        evidence=identity.evidence,
        confirmed_with=identity.confirmed_with,
    )
    identity.issued["subject"] = signer.subject
    identity.issued["serial"] = format(signer.certificate.serial_number, "x")
    return signer


def sign_for_signatory(
    pdf: bytes,
    dossier: Dossier,
    *,
    party_key: str,
    signatory_key: str,
    document: str,
    document_title: str,
    on: date,
    settings: Settings,
    mandates: Sequence[Mandate] | None = None,
    signer: Signer | None = None,
    identity: SignatoryIdentity | None = None,
) -> bytes:
    """Sign ``document`` (a document key, e.g. "overeenkomst") in the signatory's own field.

    ``mandates`` are the mandaatbesluiten known for this dossier (the registry's, when it has them;
    else the dossier's own). Raises ``SignatureRefused`` when the signatory may not sign on ``on``.
    With ``identity`` the signature is made with a one-time certificate naming the signatory, issued by the
    configured signing CA after her e-mail address was confirmed (``identity.evidence``); the issued
    certificate's subject and serial are put in ``identity.issued``.
    """
    party, signatory = find_signatory(dossier, party_key, signatory_key)
    known = list(dossier.mandates if mandates is None else mandates)
    answer = may_sign_for(signatory, party, document, on, known)
    if not answer.allowed:
        log.info(
            "ondertekening geweigerd: %s voor %s (%s): %s", signatory.key, party.key, document, answer.reason
        )
        raise refuse(answer)
    level = settings.signature_level
    request = SignatureRequest(
        field_name=field_name_for(signatory),
        level=level,
        stamp=stamp_text(signatory, party, known, on),
        reason=f"Ondertekening {document_title}",
        location=dossier.signing.place or dossier.area,
        tsa_url=settings.tsa_url,
        trust=trust_for_signing(settings) if level in ("B-LT", "B-LTA") else None,
    )
    if identity is not None:
        person = Person(signatory.name, party.name, signatory.function or "", identity.email)
        signer = personal_signer(settings, person, identity)
    result = sign_pdf(pdf, request, signer or signer_from_settings(settings))
    del signer  # a one-time key exists nowhere else: dropped with this reference
    log.info(
        "ondertekend: %s voor %s (%s), niveau %s; %s",
        signatory.key,
        party.key,
        document,
        level,
        answer.article,
    )
    return result


def seal_if_complete(pdf: bytes, settings: Settings) -> bytes | None:
    """Close a fully signed document with a document timestamp (B-LTA), when a TSA is configured.

    Returns the sealed PDF, or ``None`` when there is no TSA or a signature field is still empty. With
    trust roots configured, the validation data of every signature is embedded first (long-term).
    """
    if not settings.tsa_url:
        return None
    fields = list_signature_fields(pdf)
    if not fields or not all(f.signed for f in fields):
        return None
    trust = trust_for_signing(settings)
    return seal_document(pdf, settings.tsa_url, trust if trust.roots else None)


def validate_document(pdf: bytes, settings: Settings) -> ValidationReport:
    """Validate an uploaded PDF with the configured trust roots (fetching only if configured)."""
    return validate_pdf(pdf, trust_for_validation(settings), limits=validation_limits(settings))


def validation_limits(settings: Settings) -> ValidationLimits:
    return ValidationLimits(
        max_signature_fields=settings.validation_max_signature_fields,
        max_revisions=settings.validation_max_revisions,
        time_budget_seconds=settings.validation_time_budget_seconds,
    )
