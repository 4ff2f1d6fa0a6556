"""PAdES signing and validation: keys, signature fields, signatures, document timestamps, reports.

Uses nothing of ours. The service layer decides *who* may sign (``registry.rules.may_sign_for``); this
package only signs and checks.

    signer = open_signer(Pkcs12Key(path, passphrase))          # or Pkcs11Key(...); loaded once, cached
    pdf = add_signature_fields(pdf, [FieldSpec("sig-janssen", 0, (72, 100, 272, 180))])
    stamp = StampText("J.D. Bogerd", "Teamchef", "Politie Midden-Nederland",
                      on_behalf_of="de politiechef", mandate="mandaatbesluit van 11 april 2018",
                      signed_on=date(2018, 6, 14))
    pdf = sign_pdf(pdf, SignatureRequest("sig-bogerd", "B-LT", stamp, reason, location,
                                         tsa_url=tsa, trust=TrustConfig([root], allow_fetching=True)), signer)
    pdf = seal_document(pdf, tsa, trust)                        # once every field is signed
    report = validate_pdf(pdf, TrustConfig([root]))             # offline by default
    report.as_dict()

Levels: B-B (CMS signature), B-T (+ RFC 3161 signature timestamp), B-LT (+ certificates and OCSP/CRL
in the DSS, so validation needs no network), B-LTA (+ document timestamp). Validation reports per
signature the EU DSS indication (TOTAL_PASSED / INDETERMINATE / TOTAL_FAILED) and sub-indication, the
PAdES level reached, the chain, the times and what the signature covers. For long-term signatures the
signer's chain is validated at the time proven by the (signature or covering document) timestamp, with
the embedded revocation data.

Every error is a ``SigningError`` with a Dutch ``message`` and a machine ``code``.
"""

from signing.archive import archive_due, archive_expiry, renew_archive_timestamp, renewal_due
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
    ValidationRefused,
)
from signing.fields import FieldSpec, SignatureField, add_signature_fields, list_signature_fields
from signing.keys import KeySource, Pkcs11Key, Pkcs12Key, Signer, close_signers, open_signer
from signing.report import Coverage, SignatureReport, ValidationReport
from signing.sign import LEVELS, Level, SignatureRequest, seal_document, sign_pdf
from signing.stamp import StampText, dutch_date
from signing.trust import TrustConfig
from signing.validate import ValidationLimits, validate_pdf

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
    "ValidationLimits",
    "ValidationRefused",
    "ValidationReport",
    "add_signature_fields",
    "archive_expiry",
    "close_signers",
    "dutch_date",
    "ensure_development_pki",
    "list_signature_fields",
    "open_signer",
    "renew_archive_timestamp",
    "renewal_due",
    "archive_due",
    "seal_document",
    "sign_pdf",
    "validate_pdf",
]
