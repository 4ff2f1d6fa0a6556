"""The agreement signed in the signatory's own field with her own certificate and software, uploaded by
her: recorded as her signature when the certificate names her, otherwise held for the privacy officer's
confirmation (``confirmations``)."""

from __future__ import annotations

from sqlmodel import Session

from service.invitations import confirmations, rounds, storage
from service.invitations.links import SignedResult
from service.invitations.models import PendingSignature
from service.settings import Settings
from service.signatures.wiring import trust_for_validation
from signing.own import check_own_signature
from templates import Dossier
from templates.fields import signature_field


def _name_key(name: str) -> str:
    return " ".join(name.casefold().split())


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
    link = rounds.agreement_link(db, token, ip)
    rnd = rounds.lock_open_round(db, link)
    before = storage.current_pdf(settings, rnd)
    field = signature_field(str(link.signatory_key))
    own = check_own_signature(before, uploaded, field, trust_for_validation(settings))
    if _name_key(own.common_name or "") != _name_key(link.name):
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
    return rounds.record_agreement_signature(
        db,
        settings,
        dossier,
        link,
        rnd,
        uploaded,
        ip=ip,
        user_agent=user_agent,
        evidence=rounds.Evidence(rounds.OWN_CERTIFICATE, certificate_subject=own.report.signer),
    )
