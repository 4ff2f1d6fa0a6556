"""Each PAdES baseline level signs and validates TOTAL_PASSED against the loopback test PKI."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from signing import TrustConfig, sign_pdf, validate_pdf
from tests.signing.conftest import request_for
from tests.signing.pki import TestPki


@pytest.fixture(scope="module")
def signed_by_level(pki: TestPki, trust: TrustConfig, signer, one_field_pdf: bytes) -> dict[str, bytes]:
    return {
        level: sign_pdf(one_field_pdf, request_for("zeist", level, tsa_url=pki.tsa_url, trust=trust), signer)
        for level in ("B-B", "B-T", "B-LT", "B-LTA")
    }


@pytest.mark.parametrize("level", ["B-B", "B-T", "B-LT", "B-LTA"])
def test_each_level_validates_total_passed_and_reaches_its_level(level, signed_by_level, trust) -> None:
    report = validate_pdf(signed_by_level[level], trust)
    sig = report.by_field("sig-zeist")
    assert sig.indication == "TOTAL_PASSED", sig.problems
    assert sig.sub_indication is None
    assert sig.level == level
    assert sig.signer is not None and "Test Ondertekenaar" in sig.signer
    assert sig.trust_chain[-1].startswith("Common Name: Test Root CA")
    assert any("Test Intermediate CA" in c for c in sig.trust_chain)
    assert sig.claimed_signing_time is not None
    assert sig.coverage.permitted
    assert report.all_passed


@pytest.mark.parametrize("level", ["B-T", "B-LT", "B-LTA"])
def test_timestamped_levels_report_the_tsa_time(level, signed_by_level, trust) -> None:
    sig = validate_pdf(signed_by_level[level], trust).by_field("sig-zeist")
    assert sig.timestamped_signing_time is not None
    assert abs((sig.timestamped_signing_time - sig.claimed_signing_time).total_seconds()) < 120


def test_b_lta_carries_a_valid_document_timestamp(signed_by_level, trust) -> None:
    report = validate_pdf(signed_by_level["B-LTA"], trust)
    timestamps = [s for s in report.signatures if s.kind == "documenttijdstempel"]
    assert len(timestamps) == 1
    assert timestamps[0].indication == "TOTAL_PASSED"
    assert "Test Tijdstempeldienst" in (timestamps[0].signer or "")


@pytest.mark.parametrize("level", ["B-LT", "B-LTA"])
def test_long_term_levels_validate_offline_without_any_request(
    level, signed_by_level, pki, offline_trust
) -> None:
    before = list(pki.app.requests)
    report = validate_pdf(signed_by_level[level], offline_trust)
    assert pki.app.requests == before, "validation contacted the PKI"
    sig = report.by_field("sig-zeist")
    assert sig.indication == "TOTAL_PASSED", sig.problems
    assert sig.level == level
    assert report.all_passed


@pytest.mark.parametrize("level", ["B-B", "B-T"])
def test_short_term_levels_cannot_be_validated_offline(level, signed_by_level, pki, offline_trust) -> None:
    # The counterpart of the test above: without embedded validation data and without fetching there is
    # no revocation status, so the validator cannot conclude — which shows the offline mode really is offline.
    before = list(pki.app.requests)
    sig = validate_pdf(signed_by_level[level], offline_trust).by_field("sig-zeist")
    assert pki.app.requests == before
    assert sig.indication == "INDETERMINATE"
    assert sig.sub_indication == "TRY_LATER"
    assert "intrekkingsstatus" in sig.problems[0]
    assert sig.level is None


def test_unknown_root_is_indeterminate_no_chain(signed_by_level, tmp_path) -> None:
    from signing import ensure_development_pki

    other = ensure_development_pki(tmp_path / "andere-ca")
    sig = validate_pdf(signed_by_level["B-B"], TrustConfig(roots=[other.ca_cert_path])).by_field("sig-zeist")
    assert sig.indication == "INDETERMINATE"
    assert sig.sub_indication == "NO_CERTIFICATE_CHAIN_FOUND"


def test_revoked_signer_is_not_passed(pki, trust, one_field_pdf) -> None:
    from signing import Pkcs12Key, open_signer

    revoked = open_signer(Pkcs12Key(pki.revoked_p12, pki.passphrase))
    pdf = sign_pdf(one_field_pdf, request_for("zeist", "B-T", tsa_url=pki.tsa_url), revoked)
    sig = validate_pdf(pdf, trust).by_field("sig-zeist")
    assert sig.indication != "TOTAL_PASSED"
    assert sig.sub_indication in {"REVOKED", "REVOKED_NO_POE"}


@pytest.mark.parametrize("level", ["B-LT", "B-LTA"])
def test_long_term_levels_validate_days_later_when_the_ocsp_answers_are_stale(
    level, signed_by_level, pki, offline_trust
) -> None:
    # The test OCSP responder's answers are valid for ten minutes; three days later only the embedded
    # data and the timestamp (proof of existence at signing time) can carry the validation.
    later = datetime.now(UTC) + timedelta(days=3)
    before = list(pki.app.requests)
    report = validate_pdf(signed_by_level[level], offline_trust, at=later)
    assert pki.app.requests == before
    sig = report.by_field("sig-zeist")
    assert sig.indication == "TOTAL_PASSED", (sig.sub_indication, sig.problems)
    assert sig.level == level
    assert report.all_passed
