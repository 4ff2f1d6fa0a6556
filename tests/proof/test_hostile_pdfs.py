"""Malformed and malicious PDFs to the validator (signing.validate_pdf): truncated, random bytes, mutated
signed files, deep nesting, loops, lying lengths, forged signature dictionaries, a decompression bomb.
Each gets a clear Dutch refusal (InvalidPdf) or a report that does not pass — never another exception,
never a hang (pytest-timeout bounds each case), never a TOTAL_PASSED for a damaged file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.proof import hostile_pdfs as H


@pytest.fixture(scope="module")
def signed(tmp_path_factory):  # type: ignore[no-untyped-def]
    from weasyprint import HTML

    from signing import (
        FieldSpec,
        SignatureRequest,
        StampText,
        TrustConfig,
        add_signature_fields,
        ensure_development_pki,
        open_signer,
        sign_pdf,
    )

    pki = ensure_development_pki(tmp_path_factory.mktemp("keys"))
    pdf = HTML(string="<html lang='nl'><body><p>Geheimhoudingsverklaring</p></body></html>").write_pdf()
    pdf = add_signature_fields(pdf, [FieldSpec("sig-deelnemer", 0, (72, 100, 300, 180))])
    stamp = StampText("Dirk Deelnemer", "intern begeleider", "School", signed_on=date(2025, 1, 6))
    request = SignatureRequest("sig-deelnemer", "B-B", stamp, "Verklaring", "Zeist")
    data = sign_pdf(pdf, request, open_signer(pki.key))
    return data, TrustConfig(roots=[Path(pki.ca_cert_path)], allow_fetching=False)


def check_hostile(data: bytes, trust) -> str:  # type: ignore[no-untyped-def]
    from signing import SigningError, validate_pdf

    try:
        report = validate_pdf(data, trust)
    except SigningError as exc:
        assert exc.message and exc.message[0].isupper()  # a sentence, in Dutch, for the user
        assert "Traceback" not in exc.message
        return "geweigerd"
    assert not report.all_passed
    return "niet geldig"


def test_the_untouched_signed_file_passes(signed):
    from signing import validate_pdf

    data, trust = signed
    assert validate_pdf(data, trust).all_passed


CONSTRUCTED = {
    "random bytes": H.random_bytes,
    "random bytes with PDF header and %%EOF": H.random_with_header,
    "empty": lambda: b"",
    "header only": lambda: b"%PDF-1.7\n%%EOF\n",
    "100,000 nested arrays": H.deep_arrays,
    "50,000 nested dictionaries": H.deep_dictionaries,
    "page tree and field cycles": H.page_tree_cycle,
    "xref section pointing at itself": H.self_referencing_xref,
    "stream length of a terabyte": H.lying_lengths,
    "signature with a ByteRange beyond the file": H.forged_signature,
    "signature with a negative ByteRange": lambda: H.forged_signature(b"[-5 -1 0 0]"),
    "200 MB flate bomb": H.flate_bomb,
    "unsigned minimal PDF": H.minimal,
}


@pytest.mark.timeout(60)
@pytest.mark.parametrize("name", list(CONSTRUCTED))
def test_constructed_hostile_pdf_is_refused_or_fails(signed, name):
    _, trust = signed
    assert check_hostile(CONSTRUCTED[name](), trust) in {"geweigerd", "niet geldig"}


@pytest.mark.timeout(120)
def test_truncated_signed_files_never_pass(signed):
    data, trust = signed
    outcomes = [check_hostile(t, trust) for t in H.truncations(data)]
    assert len(outcomes) == 5


@pytest.mark.timeout(120)
def test_randomly_damaged_signed_files_never_pass(signed):
    data, trust = signed
    outcomes = [check_hostile(m, trust) for m in H.mutations(data, count=40)]
    assert len(outcomes) == 40
