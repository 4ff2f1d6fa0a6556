"""Errors of the signing package: each carries a Dutch ``message`` and a machine ``code``."""

from __future__ import annotations


class SigningError(Exception):
    """Base of every error this package raises; the same shape as every domain error of the house
    (``service.failures.DomainError``): ``message``, ``code``, ``article``, ``as_problems()``."""

    code = "ondertekenfout"
    article: str | None = None

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def as_problems(self) -> list[dict[str, str]]:
        return []


class InvalidPdf(SigningError):
    """The bytes are not a PDF this package can read (random data, truncated, malformed, too deep)."""

    code = "pdf_ongeldig"


class FieldNotFound(SigningError):
    code = "handtekeningveld_onbekend"


class FieldAlreadySigned(SigningError):
    code = "handtekeningveld_al_ondertekend"


class FieldsIncomplete(SigningError):
    """Sealing was asked for while some signature fields are still empty."""

    code = "handtekeningen_onvolledig"


class KeyUnavailable(SigningError):
    """The PKCS#12 file or PKCS#11 token could not be opened or holds no usable key."""

    code = "sleutel_niet_beschikbaar"


class TimestampUnavailable(SigningError):
    """The time-stamping authority could not be reached or returned no valid token."""

    code = "tijdstempel_niet_beschikbaar"


class ValidationDataUnavailable(SigningError):
    """Revocation data (OCSP/CRL) for a long-term signature could not be collected."""

    code = "validatiegegevens_niet_beschikbaar"


class InvalidRequest(SigningError):
    """The signature request itself is inconsistent (e.g. B-T without a TSA address)."""

    code = "verzoek_ongeldig"


class ValidationRefused(SigningError):
    """The document exceeds the configured bounds for validation (signature fields, revisions, time)."""

    code = "validatie_geweigerd"


class OwnSignatureRefused(SigningError):
    """A file signed elsewhere is not the received document with one valid signature in the signatory's
    own field and nothing else changed."""

    code = "eigen_handtekening_geweigerd"
