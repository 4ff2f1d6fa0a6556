"""Signing for a dossier signatory: the registry's rule decides first; refusals carry its Dutch reason."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from service.errors import status_for
from service.settings import Settings
from service.signatures.errors import SignatoryUnknown, SignatureRefused
from service.signatures.service import seal_if_complete, sign_for_signatory
from signing import add_signature_fields, list_signature_fields, validate_pdf
from templates import load_dossier
from tests.signing.conftest import field_specs, render_declaration, stamp_text

ZEIST = Path(__file__).resolve().parents[2] / "examples" / "zeist.yaml"
SIGNATORIES = ("janssen", "bogerd", "schuurmans", "voogd", "wassenberg")
SIGNING_DAY = date(2018, 6, 14)


@pytest.fixture(scope="module")
def dossier():
    return load_dossier(ZEIST.read_bytes(), "zeist.yaml")


@pytest.fixture(scope="module")
def agreement_pdf() -> bytes:
    return add_signature_fields(render_declaration(SIGNATORIES), field_specs(SIGNATORIES))


@pytest.fixture(scope="module")
def settings(pki, tmp_path_factory) -> Settings:
    return Settings(
        data_dir=tmp_path_factory.mktemp("service-data"),
        pkcs12_path=pki.signer_p12,
        pkcs12_passphrase=pki.passphrase,
        signature_level="B-T",
        tsa_url=pki.tsa_url,
        trust_roots=[pki.root_path],
    )


def _sign(pdf, dossier, settings, party, signatory, on=SIGNING_DAY, mandates=None) -> bytes:
    return sign_for_signatory(
        pdf,
        dossier,
        party_key=party,
        signatory_key=signatory,
        document="overeenkomst",
        document_title="Samenwerkingsovereenkomst Wijkgericht Werken Zeist",
        on=on,
        settings=settings,
        mandates=mandates,
    )


def test_representative_signs_in_own_field(agreement_pdf, dossier, settings, trust) -> None:
    signed = _sign(agreement_pdf, dossier, settings, "gemeente", "janssen")
    assert {f.name: f.signed for f in list_signature_fields(signed)}["sig-janssen"] is True
    sig = validate_pdf(signed, trust).by_field("sig-janssen")
    assert sig.indication == "TOTAL_PASSED" and sig.level == "B-T"
    stamp = stamp_text(signed, "sig-janssen")
    assert "Drs. J.J.L.M. Janssen" in stamp
    assert "Burgemeester Gemeente Zeist" in stamp
    assert "op 14 juni 2018" in stamp


def test_mandatary_signs_with_namens_and_mandate_in_the_stamp(
    agreement_pdf, dossier, settings, trust
) -> None:
    signed = _sign(agreement_pdf, dossier, settings, "politie", "bogerd")
    assert validate_pdf(signed, trust).by_field("sig-bogerd").indication == "TOTAL_PASSED"
    stamp = stamp_text(signed, "sig-bogerd")
    assert "namens De politiechef van de eenheid" in stamp
    assert "krachtens mandaatbesluit van 11 april 2018" in stamp


def test_no_mandate_is_refused_and_nothing_signed(agreement_pdf, dossier, settings) -> None:
    with pytest.raises(SignatureRefused) as err:
        _sign(agreement_pdf, dossier, settings, "politie", "bogerd", mandates=[])
    assert "teamchef-zblw" in err.value.message and "niet bekend" in err.value.message
    assert "Awb" in err.value.message  # the article the refusal rests on
    assert status_for(err.value) == 403  # the one status table (service.errors)


def test_expired_mandate_is_refused(agreement_pdf, dossier, settings) -> None:
    expired = [m.model_copy(update={"valid_until": date(2018, 5, 31)}) for m in dossier.mandates]
    with pytest.raises(SignatureRefused) as err:
        _sign(agreement_pdf, dossier, settings, "politie", "bogerd", mandates=expired)
    assert "verlopen op 31 mei 2018" in err.value.message


def test_mandate_dated_after_the_signature_is_refused(agreement_pdf, dossier, settings) -> None:
    with pytest.raises(SignatureRefused) as err:
        _sign(agreement_pdf, dossier, settings, "politie", "bogerd", on=date(2018, 4, 1))
    assert "pas genomen op 11 april 2018" in err.value.message
    assert any(p["pad"] == "grondslag" for p in err.value.problems)


def test_mandate_for_another_document_is_refused(agreement_pdf, dossier, settings) -> None:
    other = [m.model_copy(update={"documents": ["besluit-art20"]}) for m in dossier.mandates]
    with pytest.raises(SignatureRefused) as err:
        _sign(agreement_pdf, dossier, settings, "politie", "bogerd", mandates=other)
    assert "dekt het document 'overeenkomst' niet" in err.value.message


def test_unknown_signatory_is_named(agreement_pdf, dossier, settings) -> None:
    with pytest.raises(SignatoryUnknown) as err:
        _sign(agreement_pdf, dossier, settings, "politie", "janssen")
    assert "janssen" in err.value.message and "Politie" in err.value.message


def test_all_five_sign_through_the_service_in_any_order(agreement_pdf, dossier, settings, trust) -> None:
    pdf = agreement_pdf
    for party, signatory in (
        ("woongoed", "wassenberg"),
        ("politie", "bogerd"),
        ("meander", "voogd"),
        ("gemeente", "janssen"),
        ("rkwbv", "schuurmans"),
    ):
        assert seal_if_complete(pdf, settings) is None  # not yet: a field is still empty
        pdf = _sign(pdf, dossier, settings, party, signatory)
    report = validate_pdf(pdf, trust)
    assert report.all_passed and len(report.signatures) == 5
    sealed = seal_if_complete(pdf, settings)
    assert sealed is not None
    report = validate_pdf(sealed, trust)
    assert report.all_passed and len(report.signatures) == 6
    assert report.signatures[-1].kind == "documenttijdstempel"
    assert {s.level for s in report.signatures if s.kind == "handtekening"} == {"B-LTA"}
