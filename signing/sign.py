"""Applying signatures: one incremental PAdES signature per field, and the closing document timestamp."""

from __future__ import annotations

import asyncio
import logging
import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, get_args

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields as pdf_fields
from pyhanko.sign import signers, timestamps
from pyhanko.sign.general import SigningError as PyHankoSigningError
from pyhanko.sign.validation.dss import DocumentSecurityStore, collect_validation_info
from pyhanko.stamp import BaseStampStyle
from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError, ValidationError

from signing.errors import (
    FieldsIncomplete,
    InvalidRequest,
    KeyUnavailable,
    SigningError,
    TimestampUnavailable,
    ValidationDataUnavailable,
)
from signing.fields import _fields, field_size, require_empty_field
from signing.keys import Signer
from signing.pdfio import open_reader, open_writer
from signing.stamp import StampText, appearance_params, layout_stamp, stamp_style
from signing.stampfont import SharedFontStampStyle, covers, shared_font
from signing.trust import TrustConfig

log = logging.getLogger("convenant.signing")

Level = Literal["B-B", "B-T", "B-LT", "B-LTA"]
LEVELS: tuple[str, ...] = get_args(Level)
DIGEST = "sha256"


@dataclass(frozen=True)
class SignatureRequest:
    """What to sign: which field, at which PAdES baseline level, with which stamp.

    B-T and up need ``tsa_url``; B-LT and B-LTA need ``trust`` (fetching allowed) to collect the
    revocation data they embed.
    """

    field_name: str
    level: Level
    stamp: StampText
    reason: str
    location: str
    tsa_url: str | None = None
    trust: TrustConfig | None = None

    def check(self) -> None:
        if self.level not in LEVELS:
            raise InvalidRequest(
                f"Onbekend handtekeningniveau '{self.level}' (kies uit {', '.join(LEVELS)})."
            )
        if self.level != "B-B" and not self.tsa_url:
            raise InvalidRequest(
                f"Niveau {self.level} vereist een tijdstempeldienst (TSA-adres), "
                "maar er is er geen ingesteld."
            )
        if self.level in ("B-LT", "B-LTA") and (self.trust is None or not self.trust.allow_fetching):
            raise InvalidRequest(
                f"Niveau {self.level} vereist vertrouwde wortels en het ophalen "
                "van intrekkingsgegevens (OCSP/CRL)."
            )


_timestampers: dict[str, timestamps.HTTPTimeStamper] = {}
_timestampers_lock = threading.Lock()


def timestamper_for(url: str, timeout: float = 10.0) -> timestamps.HTTPTimeStamper:
    """One timestamper per TSA (it caches the TSA's certificates between requests)."""
    with _timestampers_lock:
        stamper = _timestampers.get(url)
        if stamper is None:
            stamper = _timestampers[url] = timestamps.HTTPTimeStamper(url, timeout=int(timeout))
        return stamper


def _translate(exc: BaseException, what: str) -> SigningError:
    if isinstance(exc, SigningError):
        return exc
    if isinstance(exc, timestamps.TimestampRequestError):
        return TimestampUnavailable(f"De tijdstempeldienst gaf geen geldig tijdstempel voor {what}: {exc}")
    if isinstance(exc, (PathBuildingError, PathValidationError, ValidationError)):
        return ValidationDataUnavailable(
            f"De validatiegegevens (certificaatketen, OCSP/CRL) voor {what} "
            f"konden niet worden verzameld: {exc}"
        )
    if isinstance(exc, OSError):
        return TimestampUnavailable(
            f"Een netwerkdienst (tijdstempel of OCSP/CRL) was niet bereikbaar voor {what}."
        )
    if type(exc).__module__.startswith("pkcs11"):
        return KeyUnavailable(
            f"Het PKCS#11-token weigerde de handtekening voor {what}: {type(exc).__name__}."
        )
    return SigningError(f"Ondertekenen van {what} is mislukt: {exc}")


def _run_sign(
    writer: IncrementalPdfFileWriter,
    pdf_signer: signers.PdfSigner,
    reserved: int | None,
    params: dict[str, str],
) -> bytes:
    out = pdf_signer.sign_pdf(writer, bytes_reserved=reserved, appearance_text_params=params)
    return bytes(out.getvalue())


def sign_pdf(pdf: bytes, request: SignatureRequest, signer: Signer) -> bytes:
    """Sign the empty field ``request.field_name`` in an incremental update; return the new PDF."""
    request.check()
    writer = open_writer(pdf)
    require_empty_field(writer.prev, request.field_name)
    long_term = request.level in ("B-LT", "B-LTA")
    vc = request.trust.validation_context() if long_term and request.trust else None
    meta = signers.PdfSignatureMetadata(
        field_name=request.field_name,
        md_algorithm=DIGEST,
        reason=request.reason,
        location=request.location,
        name=request.stamp.name,
        subfilter=pdf_fields.SigSeedSubFilter.PADES,
        embed_validation_info=long_term,
        use_pades_lta=request.level == "B-LTA",
        validation_context=vc,
    )
    timestamper = timestamper_for(request.tsa_url) if request.level != "B-B" and request.tsa_url else None
    stamp_layout = layout_stamp(request.stamp, *field_size(writer.prev, request.field_name))
    font_ref = shared_font(writer.root)
    style: BaseStampStyle = (
        SharedFontStampStyle(font_ref=font_ref, stamp_layout=stamp_layout)
        if font_ref is not None and covers(stamp_layout.text)
        else stamp_style(stamp_layout.font_size)
    )
    pdf_signer = signers.PdfSigner(meta, signer.cms_signer, timestamper=timestamper, stamp_style=style)
    size_key = f"{request.level}|{request.tsa_url or ''}"
    reserved = signer.reserved_bytes.get(size_key)
    what = f"veld '{request.field_name}'"
    params = appearance_params(stamp_layout)
    with signer.lock:
        try:
            try:
                result = _run_sign(writer, pdf_signer, reserved, params)
            except PyHankoSigningError as exc:
                if reserved is None or "allocated" not in str(exc):
                    raise
                # The cached size was too small (e.g. a larger TSA response): measure afresh.
                signer.reserved_bytes.pop(size_key, None)
                reserved = None
                result = _run_sign(open_writer(pdf), pdf_signer, None, params)
        except (Exception, asyncio.CancelledError) as exc:
            raise _translate(exc, what) from exc
    if reserved is None:
        signer.reserved_bytes[size_key] = _measure_reserved(result, request.field_name, request.level)
    return result


def _measure_reserved(pdf: bytes, field_name: str, level: str) -> int:
    """The room (hex digits) to reserve for the next signature of this level with this key.

    A B-B signature's size is fixed by the key and its certificates (RSA signatures have a fixed length,
    the signing time a fixed encoding): a few bytes of slack suffice. A timestamp token can be some
    bytes longer from one response to the next. Too little room is detected and measured again.
    """
    reader = open_reader(pdf)
    for sig in reader.embedded_signatures:
        if sig.field_name == field_name:
            # /Contents is zero-padded to the room reserved: measure the DER object itself
            actual = len(sig.signed_data.dump()) + 32  # ContentInfo wrapper around the SignedData
            slack = 16 if level == "B-B" else actual // 10 + 256
            return 2 * (actual + slack)
    return 2 * 16_384


def seal_document(
    pdf: bytes, tsa_url: str, trust: TrustConfig | None = None, *, at: datetime | None = None
) -> bytes:
    """Close a fully signed document with a document timestamp (PAdES B-LTA archive timestamp).

    With ``trust`` (fetching allowed), the validation data of every signature (and of earlier document
    timestamps) is first embedded in the DSS, so the timestamp also protects that data. ``at``: the moment
    that data is collected for (default: now).
    """
    if not tsa_url:
        raise InvalidRequest(
            "Verzegelen vereist een tijdstempeldienst (TSA-adres), maar er is er geen ingesteld."
        )
    reader = open_reader(pdf)
    fields = _fields(reader)
    empty = [f.name for f in fields if not f.signed]
    if not fields:
        raise FieldsIncomplete("Het document heeft geen handtekeningvelden; er is niets te verzegelen.")
    if empty:
        raise FieldsIncomplete(
            "Het document kan pas worden verzegeld als alle velden zijn ondertekend; nog leeg: "
            + ", ".join(empty)
            + "."
        )
    writer = open_writer(pdf)
    extra = {"moment": at} if at is not None else {}
    vc = trust.validation_context(**extra) if trust is not None and trust.allow_fetching else None
    stamper = timestamper_for(tsa_url)
    try:
        if vc is not None:
            # every signature and every earlier document timestamp: a renewal seals their data too
            for sig in reader.embedded_signatures:
                paths = asyncio.run(collect_validation_info(sig, vc))
                # No VRI entry (sig_contents=None): rewriting an earlier signature's VRI entry is a
                # modification the diff analysis does not permit.
                DocumentSecurityStore.supply_dss_in_writer(writer, None, paths=paths, validation_context=vc)
        out = signers.PdfTimeStamper(stamper).timestamp_pdf(writer, DIGEST, validation_context=vc)
    except (Exception, asyncio.CancelledError) as exc:
        raise _translate(exc, "de verzegeling") from exc
    return bytes(out.getvalue())
