"""Malformed and malicious PDF files, generated (deterministically) for the validator tests."""

from __future__ import annotations

import random
import zlib


def _pdf(objects: list[bytes], *, trailer_extra: bytes = b"", root: int = 1) -> bytes:
    """Assemble numbered objects into a PDF with a correct classic xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root,
        trailer_extra,
        xref,
    )
    return bytes(out)


def minimal() -> bytes:
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        ]
    )


def deep_arrays(depth: int = 100_000) -> bytes:
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /Deep 4 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
            b"[" * depth + b"]" * depth,
        ]
    )


def deep_dictionaries(depth: int = 50_000) -> bytes:
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 " + b"/A << " * depth + b">> " * depth + b">>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        ]
    )


def page_tree_cycle() -> bytes:
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] >> >>",
            b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
            b"<< /FT /Sig /T (sig) /Kids [4 0 R] /Parent 4 0 R /V 5 0 R >>",
            b"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange [0 10 20 30]"
            b" /Contents <00> >>",
        ]
    )


def self_referencing_xref() -> bytes:
    """An incremental xref section whose /Prev points at itself (a loop for naive readers)."""
    base = minimal()
    at = len(base)
    section = b"xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 4 /Root 1 0 R /Prev %d >>\n" % at
    return base + section + b"startxref\n%d\n%%%%EOF\n" % at


def lying_lengths() -> bytes:
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"<< /Length 999999999999 >>\nstream\nBT ET\nendstream",
        ]
    )


def forged_signature(byte_range: bytes = b"[0 999999999 999999999 999999999]") -> bytes:
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] /SigFlags 3 >> >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [4 0 R] >>",
            b"<< /FT /Sig /Type /Annot /Subtype /Widget /T (sig-vals) /Rect [0 0 0 0] /P 3 0 R /V 5 0 R >>",
            b"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange "
            + byte_range
            + b" /Contents <"
            + b"30" * 4000
            + b"> /M (D:20250101000000Z) >>",
        ]
    )


def flate_bomb(megabytes: int = 200) -> bytes:
    """A content stream that inflates to ``megabytes`` MB of zeros (about a thousandth of that on disk)."""
    comp = zlib.compressobj(9)
    chunk = b"\0" * (1 << 20)
    data = b"".join(comp.compress(chunk) for _ in range(megabytes)) + comp.flush()
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
        ]
    )


def random_bytes(n: int = 200_000, seed: int = 6) -> bytes:
    return random.Random(seed).randbytes(n)


def random_with_header(n: int = 200_000, seed: int = 7) -> bytes:
    return b"%PDF-1.7\n" + random.Random(seed).randbytes(n) + b"\n%%EOF\n"


def mutations(signed: bytes, count: int = 40, seed: int = 8) -> list[bytes]:
    """The signed PDF with random byte runs overwritten at random places."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        data = bytearray(signed)
        for _ in range(rng.randint(1, 8)):
            at = rng.randrange(len(data))
            run = rng.randbytes(rng.randint(1, 64))
            data[at : at + len(run)] = run
        out.append(bytes(data))
    return out


def truncations(signed: bytes) -> list[bytes]:
    n = len(signed)
    return [
        signed[: n // 2],
        signed[: n // 2] + b"\n%%EOF\n",
        signed[: n - 10],
        signed[:1024] + b"\n%%EOF\n",
        signed[: n * 9 // 10] + b"\n%%EOF\n",
    ]
