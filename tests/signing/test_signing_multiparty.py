"""Five parties sign one agreement in their own fields, in any order; the document is then sealed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from signing import (
    FieldAlreadySigned,
    FieldNotFound,
    FieldsIncomplete,
    list_signature_fields,
    seal_document,
    sign_pdf,
    validate_pdf,
)
from tests.signing.conftest import PARTIES, request_for

ORDER = ("meander", "politie", "woongoed", "zeist", "rkwbv")  # not the order of the page
LEVELS = {"meander": "B-T", "politie": "B-LT", "woongoed": "B-B", "zeist": "B-T", "rkwbv": "B-LT"}


@pytest.fixture(scope="module")
def signing_rounds(five_field_pdf, pki, trust, signer) -> list[bytes]:
    rounds = []
    pdf = five_field_pdf
    for party in ORDER:
        pdf = sign_pdf(pdf, request_for(party, LEVELS[party], tsa_url=pki.tsa_url, trust=trust), signer)
        rounds.append(pdf)
    return rounds


def test_every_field_is_signed_once_in_arbitrary_order(signing_rounds) -> None:
    fields = {f.name: f.signed for f in list_signature_fields(signing_rounds[-1])}
    assert fields == {f"sig-{p}": True for p in PARTIES}
    after_two = {f.name: f.signed for f in list_signature_fields(signing_rounds[1])}
    assert after_two == {f"sig-{p}": p in ORDER[:2] for p in PARTIES}


def test_earlier_signatures_stay_valid_after_the_last(signing_rounds, trust) -> None:
    report = validate_pdf(signing_rounds[-1], trust)
    assert [s.field_name for s in report.signatures] == [f"sig-{p}" for p in ORDER]
    for sig in report.signatures:
        assert sig.indication == "TOTAL_PASSED", (sig.field_name, sig.problems)
        assert sig.coverage.permitted
    first = report.by_field("sig-meander")
    assert not first.coverage.whole_document
    assert first.coverage.later_revisions >= 4
    assert first.coverage.modification_level in {"FORM_FILLING", "LTA_UPDATES"}
    assert report.by_field("sig-rkwbv").coverage.whole_document is False  # its own DSS update follows
    assert report.by_field("sig-politie").level == "B-LT"


def test_signed_field_cannot_be_signed_again(signing_rounds, signer) -> None:
    with pytest.raises(FieldAlreadySigned) as err:
        sign_pdf(signing_rounds[0], request_for("meander"), signer)
    assert "sig-meander" in err.value.message
    assert "al ondertekend" in err.value.message


def test_unknown_field_is_refused_naming_the_known_fields(five_field_pdf, signer) -> None:
    with pytest.raises(FieldNotFound) as err:
        sign_pdf(five_field_pdf, request_for("gemeente-utrecht"), signer)
    assert "sig-gemeente-utrecht" in err.value.message
    assert "sig-zeist" in err.value.message


def test_sealing_waits_for_every_signature(signing_rounds, pki) -> None:
    with pytest.raises(FieldsIncomplete) as err:
        seal_document(signing_rounds[2], pki.tsa_url)
    assert "sig-zeist" in err.value.message and "sig-rkwbv" in err.value.message


def test_sealed_document_keeps_every_signature_and_validates_offline(
    signing_rounds, pki, trust, offline_trust
) -> None:
    sealed = seal_document(signing_rounds[-1], pki.tsa_url, trust)
    report = validate_pdf(sealed, trust)
    assert report.all_passed
    kinds = [s.kind for s in report.signatures]
    assert kinds.count("handtekening") == 5 and kinds[-1] == "documenttijdstempel"
    # The seal embedded validation data for every signature, so the whole set validates without network.
    before = list(pki.app.requests)
    offline = validate_pdf(sealed, offline_trust)
    assert pki.app.requests == before
    assert offline.all_passed, [(s.field_name, s.indication, s.sub_indication) for s in offline.signatures]
    assert offline.by_field("sig-meander").level == "B-LTA"
    # and still, days later, when every OCSP answer in it has expired
    later = validate_pdf(sealed, offline_trust, at=datetime.now(UTC) + timedelta(days=3))
    assert later.all_passed, [(s.field_name, s.indication, s.sub_indication) for s in later.signatures]
