"""Changes after signing: a flipped byte, changed page text, and a (permitted) further signature."""

from __future__ import annotations

from io import BytesIO

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from signing import sign_pdf, validate_pdf
from tests.signing.conftest import request_for


@pytest.fixture(scope="module")
def signed_once(five_field_pdf, pki, signer) -> bytes:
    return sign_pdf(five_field_pdf, request_for("zeist", "B-T", tsa_url=pki.tsa_url), signer)


def test_one_flipped_byte_in_signed_content_fails_with_hash_failure(signed_once, trust) -> None:
    pdf = bytearray(signed_once)
    # a byte inside the first compressed stream: the file still parses, the digest no longer matches
    position = pdf.index(b"stream\n") + len(b"stream\n") + 20
    pdf[position] ^= 0x01
    sig = validate_pdf(bytes(pdf), trust).by_field("sig-zeist")
    assert sig.indication == "TOTAL_FAILED"
    assert sig.sub_indication == "HASH_FAILURE"
    assert sig.level is None


def _append_page_text(pdf: bytes, text: str) -> bytes:
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    page_ref = writer.root["/Pages"]["/Kids"][0]
    page = page_ref.get_object()
    stream = generic.StreamObject(stream_data=f"BT /F1 24 Tf 100 700 Td ({text}) Tj ET".encode("latin-1"))
    contents = page["/Contents"]
    kids = list(contents) if isinstance(contents, generic.ArrayObject) else [page.raw_get("/Contents")]
    page["/Contents"] = generic.ArrayObject(kids + [writer.add_object(stream)])
    writer.update_container(page)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def test_changed_page_text_after_signing_is_a_modification_not_permitted(signed_once, trust) -> None:
    tampered = _append_page_text(signed_once, "GEWIJZIGD")
    sig = validate_pdf(tampered, trust).by_field("sig-zeist")
    assert sig.coverage.permitted is False
    assert sig.coverage.modification_level == "OTHER"
    assert "NIET toegestaan" in sig.coverage.description
    assert sig.indication == "TOTAL_FAILED"
    assert sig.sub_indication == "FORMAT_FAILURE"


def test_a_further_signature_is_a_permitted_modification(signed_once, pki, signer, trust) -> None:
    twice = sign_pdf(signed_once, request_for("politie", "B-T", tsa_url=pki.tsa_url), signer)
    report = validate_pdf(twice, trust)
    first = report.by_field("sig-zeist")
    assert first.indication == "TOTAL_PASSED"
    assert first.coverage.permitted is True
    assert first.coverage.modification_level == "FORM_FILLING"
    assert first.coverage.later_revisions == 1
    assert "toegestaan" in first.coverage.description
    assert report.by_field("sig-politie").coverage.whole_document


def test_a_garbled_signature_value_is_reported_for_its_field_not_as_an_unreadable_file(
    signed_once, trust
) -> None:
    pdf = bytearray(signed_once)
    contents = pdf.index(b"/Contents <") + len(b"/Contents <")
    pdf[contents + 40 : contents + 44] = b"zz!!"  # not hexadecimal
    report = validate_pdf(bytes(pdf), trust)
    sig = report.by_field("sig-zeist")
    assert sig.indication == "TOTAL_FAILED"
    assert sig.sub_indication == "FORMAT_FAILURE"
    assert "onleesbaar" in sig.problems[0]
    assert not report.all_passed
