"""Reading untrusted PDF bytes: every parser failure becomes one Dutch ``InvalidPdf``."""

from __future__ import annotations

import logging
from collections.abc import Callable
from io import BytesIO

from pyhanko.pdf_utils.generic import IndirectObject, NameObject, Reference, TextStringObject
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.metadata.model import VENDOR
from pyhanko.pdf_utils.reader import PdfFileReader

from signing.errors import InvalidPdf

log = logging.getLogger("convenant.signing")

PDF_MAGIC = b"%PDF-"


def _check_magic(pdf: bytes) -> None:
    if not isinstance(pdf, (bytes, bytearray)) or not pdf:
        raise InvalidPdf("Het bestand is leeg.")
    if PDF_MAGIC not in bytes(pdf[:1024]):
        raise InvalidPdf("Het bestand is geen PDF-document (de PDF-kop ontbreekt).")
    if b"%%EOF" not in bytes(pdf[-2048:]):
        raise InvalidPdf("Het PDF-bestand is onvolledig: het einde van het document (%%EOF) ontbreekt.")


def _fail(exc: BaseException) -> InvalidPdf:
    log.info("PDF kon niet worden gelezen: %s: %s", type(exc).__name__, exc)
    if isinstance(exc, RecursionError):
        return InvalidPdf("Het PDF-bestand is te diep genest om veilig te lezen.")
    return InvalidPdf(
        "Het PDF-bestand is beschadigd of heeft een onleesbare structuur en kan niet worden gelezen."
    )


def open_reader(pdf: bytes) -> PdfFileReader:
    """A reader over ``pdf``; the whole cross-reference structure and document catalog are checked."""
    _check_magic(pdf)
    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        _ = reader.root["/Pages"]
        return reader
    except InvalidPdf:
        raise
    except (Exception, RecursionError) as exc:  # the parser raises many types on hostile input
        raise _fail(exc) from exc


def open_writer(pdf: bytes) -> IncrementalPdfFileWriter:
    """An incremental writer over ``pdf`` (signing always appends; earlier revisions stay intact)."""
    _check_magic(pdf)
    try:
        writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
        _ = writer.root["/Pages"]
    except (Exception, RecursionError) as exc:
        raise _fail(exc) from exc
    _align_producer(writer)
    _keep_catalog_unless_changed(writer)
    return writer


def _keep_catalog_unless_changed(writer: IncrementalPdfFileWriter) -> None:
    """Do not rewrite the document catalog just because the XMP metadata was updated in place.

    pyHanko marks the catalog for writing after updating the metadata stream even when the stream kept its
    object number; for a document with a large catalog (named destinations, outlines) that is ~3 KB per
    signature. When nothing else changed the catalog and ``/Metadata`` still points at the same object,
    the catalog stays as it was.
    """
    original: Callable[[], None] = writer._update_meta
    root = writer._root
    key = (root.generation, root.idnum)

    def metadata_ref() -> object:
        ref = writer.root.raw_get("/Metadata") if "/Metadata" in writer.root else None
        return ref.reference if isinstance(ref, IndirectObject) else None

    def update_meta() -> None:
        marked = key in writer.objects
        before = metadata_ref()
        original()
        if not marked and before is not None and metadata_ref() == before:
            writer.objects.pop(key, None)

    setattr(writer, "_update_meta", update_meta)  # noqa: B010 - replacing a method on this instance


def _align_producer(writer: IncrementalPdfFileWriter) -> None:
    """Keep the document information dictionary equal to the XMP metadata (PDF/A-3, ISO 19005-3 6.6.3).

    pyHanko writes ``pdf:Producer`` = "pyHanko <version>" into the XMP of each update but *appends* its
    name to an existing ``/Producer`` in the information dictionary, so the two would differ. Setting the
    information dictionary's value to exactly pyHanko's makes pyHanko leave it as is, and both agree.
    """
    info_ref = writer.trailer.raw_get("/Info") if "/Info" in writer.trailer else None
    if info_ref is None or "/Metadata" not in writer.root:
        return
    try:
        info = info_ref.get_object()
        if str(info.get("/Producer", "")) != VENDOR:
            info[NameObject("/Producer")] = TextStringObject(VENDOR)
            if isinstance(info_ref, (Reference, IndirectObject)):
                writer.mark_update(info_ref)
            else:  # a direct dictionary in the trailer
                writer.update_root()  # type: ignore[no-untyped-call]
    except (Exception, RecursionError) as exc:  # a broken /Info must not stop signing
        log.info("/Info niet bijgewerkt: %s", exc)
