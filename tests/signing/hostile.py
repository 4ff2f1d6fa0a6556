"""Hostile and broken PDF inputs for the validation endpoint and CLI."""

from __future__ import annotations

import os


def minimal_pdf(catalog_extra: bytes = b"") -> bytes:
    """A syntactically valid one-page PDF with a correct xref table; ``catalog_extra`` goes in the catalog."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def deeply_nested_pdf(depth: int = 50_000) -> bytes:
    return minimal_pdf(b"/Nest " + b"[" * depth + b"]" * depth)


def random_bytes(size: int = 4096) -> bytes:
    return os.urandom(size)


def truncated(pdf: bytes) -> bytes:
    return pdf[: len(pdf) // 2]


def garbage_with_pdf_header() -> bytes:
    return b"%PDF-1.7\n" + os.urandom(2048) + b"\n%%EOF\n"
