"""PAdES signing and validation: keys, signature fields, signatures, document timestamps, reports.

Uses nothing of ours. The service layer decides *who* may sign; this package only signs and checks.

    signer = open_signer(Pkcs12Key(path, passphrase))           # loaded once, cached
    pdf = add_signature_fields(pdf, [FieldSpec("sig-zeist", 0, (72, 100, 272, 180))])
    pdf = sign_pdf(pdf, SignatureRequest("sig-zeist", "B-T", stamp, reason, location, tsa_url), signer)
    report = validate_pdf(pdf, TrustConfig(roots=[ca_pem], allow_fetching=False))
"""

from signing.devpki import DevelopmentPki, ensure_development_pki
from signing.errors import (
    FieldAlreadySigned,
    FieldNotFound,
    FieldsIncomplete,
    InvalidPdf,
    InvalidRequest,
    KeyUnavailable,
    SigningError,
    TimestampUnavailable,
    ValidationDataUnavailable,
)
from signing.fields import FieldSpec, SignatureField, add_signature_fields, list_signature_fields
from signing.keys import KeySource, Pkcs11Key, Pkcs12Key, Signer, close_signers, open_signer
from signing.report import Coverage, SignatureReport, ValidationReport
from signing.sign import LEVELS, Level, SignatureRequest, seal_document, sign_pdf
from signing.stamp import StampText, dutch_date
from signing.trust import TrustConfig
from signing.validate import validate_pdf

__all__ = [
    "LEVELS",
    "Coverage",
    "DevelopmentPki",
    "FieldAlreadySigned",
    "FieldNotFound",
    "FieldSpec",
    "FieldsIncomplete",
    "InvalidPdf",
    "InvalidRequest",
    "KeySource",
    "KeyUnavailable",
    "Level",
    "Pkcs11Key",
    "Pkcs12Key",
    "SignatureField",
    "SignatureReport",
    "SignatureRequest",
    "Signer",
    "SigningError",
    "StampText",
    "TimestampUnavailable",
    "TrustConfig",
    "ValidationDataUnavailable",
    "ValidationReport",
    "add_signature_fields",
    "close_signers",
    "dutch_date",
    "ensure_development_pki",
    "list_signature_fields",
    "open_signer",
    "seal_document",
    "sign_pdf",
    "validate_pdf",
]
