"""Bounded work on hostile files (issue 10 item 3, issue 12 point 8), and one verdict for the whole file.

The probe's file: a signed PDF plus an update adding thousands of signature fields that all point at the
one signature (each would be validated in full). Refused before any signature is validated; the test
asserts on the refusal, not on a time."""

from __future__ import annotations

from io import BytesIO

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from signing import ValidationLimits, ValidationRefused, seal_document, sign_pdf, validate_pdf
from tests.signing.conftest import PARTIES, request_for
from tests.signing.test_signing_interfaces import _cli, cli_env, validation_api  # noqa: F401


def fake_signature_fields(signed: bytes, count: int) -> bytes:
    """``count`` extra signature fields whose value is the document's existing signature dictionary."""
    writer = IncrementalPdfFileWriter(BytesIO(signed))
    form = writer.root["/AcroForm"]
    fields = form["/Fields"]
    first = fields[0].get_object()
    value_ref = first.raw_get("/V")
    for i in range(count):
        field = generic.DictionaryObject(
            {
                generic.NameObject("/FT"): generic.NameObject("/Sig"),
                generic.NameObject("/T"): generic.pdf_string(f"nep-{i}"),
                generic.NameObject("/V"): value_ref,
            }
        )
        fields.append(writer.add_object(field))
    writer.update_container(fields)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def signed(one_field_pdf, signer) -> bytes:
    return sign_pdf(one_field_pdf, request_for("zeist"), signer)


@pytest.fixture(scope="module")
def three_thousand_fields(signed) -> bytes:
    return fake_signature_fields(signed, 3000)


def test_three_thousand_fake_signature_fields_are_refused_before_validation(
    three_thousand_fields, offline_trust
) -> None:
    assert len(three_thousand_fields) < 400_000  # the probe's file was 289 KB
    with pytest.raises(ValidationRefused) as err:
        validate_pdf(three_thousand_fields, offline_trust)
    assert err.value.message == (
        "Het document heeft meer dan 250 handtekeningvelden; er worden er ten hoogste 250 gevalideerd. "
        "Het bestand is geweigerd."
    )


def test_a_few_extra_fields_within_the_limit_are_validated(signed, offline_trust) -> None:
    report = validate_pdf(fake_signature_fields(signed, 3), offline_trust)
    assert len(report.signatures) == 4  # each field reported; none passes for a field it was not made for


def test_the_api_refuses_the_file_with_a_dutch_422(validation_api, three_thousand_fields) -> None:  # noqa: F811
    response = validation_api.post(
        "/validate", content=three_thousand_fields, headers={"content-type": "application/pdf"}
    )
    assert response.status_code == 422
    assert "meer dan 250 handtekeningvelden" in response.json()["melding"]


def test_the_cli_refuses_the_file_with_a_dutch_message(cli_env, three_thousand_fields) -> None:  # noqa: F811
    path = cli_env / "nep.pdf"
    path.write_bytes(three_thousand_fields)
    result = _cli("verify", str(path))
    assert result.exit_code == 2
    assert "meer dan 250 handtekeningvelden" in result.stderr


def test_too_many_revisions_are_refused(five_field_pdf, signer, offline_trust) -> None:
    pdf = five_field_pdf
    for party in PARTIES[:3]:
        pdf = sign_pdf(pdf, request_for(party), signer)
    with pytest.raises(ValidationRefused) as err:
        validate_pdf(pdf, offline_trust, limits=ValidationLimits(max_revisions=4))
    assert "5 revisies" in err.value.message and "ten hoogste 4" in err.value.message
    assert validate_pdf(pdf, offline_trust, limits=ValidationLimits(max_revisions=5)).signatures


def test_validation_stops_when_the_time_budget_is_spent(signed, offline_trust) -> None:
    with pytest.raises(ValidationRefused) as err:
        validate_pdf(signed, offline_trust, limits=ValidationLimits(time_budget_seconds=0))
    assert "rekentijd" in err.value.message


def test_a_broken_seal_makes_every_signature_under_it_fail(five_field_pdf, pki, signer, trust) -> None:
    pdf = five_field_pdf
    for party in PARTIES:
        pdf = sign_pdf(pdf, request_for(party, "B-T", tsa_url=pki.tsa_url), signer)
    sealed = bytearray(seal_document(pdf, pki.tsa_url, trust))
    assert validate_pdf(bytes(sealed), trust).all_passed
    # change one whitespace byte of the seal's own update: the file reads the same, the seal's digest fails
    update_start = bytes(sealed).rindex(b"%%EOF", 0, len(pdf) + 10)
    position = sealed.index(b"\nendobj", update_start)
    sealed[position] = ord(" ")
    report = validate_pdf(bytes(sealed), trust)
    seal = next(s for s in report.signatures if s.kind == "documenttijdstempel")
    assert seal.indication == "TOTAL_FAILED"
    for party in PARTIES:
        sig = report.by_field(f"sig-{party}")
        assert sig.indication == "TOTAL_FAILED", (party, sig)
        assert any(seal.field_name in problem for problem in sig.problems), sig.problems
