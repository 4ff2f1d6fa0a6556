"""Archive timestamp renewal (PAdES-LTA): keeping a signed document provable after its TSA certificate ends.

A document timestamp proves the document (and the validation data in it) existed at its time, for as long
as the timestamp's own certificate can be validated. Before the newest timestamp's TSA certificate
expires, ``renew_archive_timestamp`` adds fresh validation data for every signature and timestamp (their
chains and revocation status as of now) and a new document timestamp over all of it, preferably from a TSA
whose certificate runs longer. Validation then proves each older timestamp at the time of the next one.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from signing.pdfio import open_reader
from signing.sign import seal_document
from signing.trust import TrustConfig


def archive_expiry(pdf: bytes) -> datetime | None:
    """When the certificate of the newest document timestamp expires (None: the document has none)."""
    reader = open_reader(pdf)
    stamps = [s for s in reader.embedded_signatures if s.sig_object_type == "/DocTimeStamp"]
    if not stamps:
        return None
    newest = max(stamps, key=lambda s: s.signed_revision)
    expires: datetime = newest.signer_cert["tbs_certificate"]["validity"]["not_after"].native
    return expires


def renewal_due(pdf: bytes, now: datetime, margin: timedelta) -> bool:
    """Whether the newest document timestamp's certificate expires within ``margin`` of ``now``."""
    expires = archive_expiry(pdf)
    return expires is not None and expires - now <= margin


def archive_due(pdf: bytes, now: datetime, margin: timedelta) -> str | None:
    """What a stored signed document needs: "eerste" (it has no document timestamp yet — signed while no
    TSA was configured), "vernieuwen" (``renewal_due``), or None."""
    expires = archive_expiry(pdf)
    if expires is None:
        return "eerste"
    return "vernieuwen" if expires - now <= margin else None


def renew_archive_timestamp(
    pdf: bytes, tsa_url: str, trust: TrustConfig, *, now: datetime | None = None
) -> bytes:
    """Add the validation data of every signature and timestamp, then a new document timestamp."""
    return seal_document(pdf, tsa_url, trust, at=now)
