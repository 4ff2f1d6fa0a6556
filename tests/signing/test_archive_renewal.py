"""Archive timestamp renewal (PAdES-LTA) with the loopback PKI's clock moved years ahead.

The test TSA's certificate runs 730 days. A sealed agreement validated at +800 days without renewal has
no proof of existence any more (INDETERMINATE); renewed at +700 days — fresh validation data and a document
timestamp from a TSA with a renewed certificate — it validates TOTAL_PASSED at +800 days."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from signing import (
    TrustConfig,
    add_signature_fields,
    renew_archive_timestamp,
    renewal_due,
    seal_document,
    sign_pdf,
    validate_pdf,
)
from tests.signing.conftest import field_specs, render_declaration, request_for
from tests.signing.pki import TestPki

NOW = datetime.now(UTC)
RENEWAL = NOW + timedelta(days=700)
LATER = NOW + timedelta(days=800)


@pytest.fixture
def clock(pki: TestPki) -> Iterator[object]:
    """Move the loopback PKI's clock (OCSP, CRL and TSA answer as of that moment); put it back after."""
    animator = pki.app.app
    yield animator
    animator.fixed_time = None


@pytest.fixture(scope="module")
def sealed(pki: TestPki, trust: TrustConfig, signer) -> bytes:  # type: ignore[no-untyped-def]
    pdf = add_signature_fields(render_declaration(("zeist", "politie")), field_specs(("zeist", "politie")))
    for party in ("zeist", "politie"):
        pdf = sign_pdf(pdf, request_for(party, "B-LT", tsa_url=pki.tsa_url, trust=trust), signer)
    return seal_document(pdf, pki.tsa_url, trust)


def _verdicts(pdf: bytes, trust: TrustConfig) -> list[tuple[str, str, str | None]]:
    report = validate_pdf(pdf, trust, at=LATER)
    return [(s.kind, s.indication, s.sub_indication) for s in report.signatures]


def test_renewed_archive_timestamp_keeps_the_agreement_valid_after_the_tsa_certificate_ends(
    sealed, pki, trust, clock
) -> None:
    assert validate_pdf(sealed, trust).all_passed
    assert not renewal_due(sealed, NOW, timedelta(days=180))  # 730 days left: nothing to do yet
    clock.fixed_time = RENEWAL  # type: ignore[attr-defined]
    assert renewal_due(sealed, RENEWAL, timedelta(days=180))  # 30 days left
    renewed = renew_archive_timestamp(sealed, pki.renewed_tsa_url, trust, now=RENEWAL)
    assert not renewal_due(renewed, RENEWAL, timedelta(days=180))
    clock.fixed_time = LATER  # type: ignore[attr-defined]
    without = _verdicts(sealed, trust)
    assert ("documenttijdstempel", "INDETERMINATE", "OUT_OF_BOUNDS_NO_POE") in without
    assert all(indication == "INDETERMINATE" for _, indication, _ in without), without
    with_renewal = _verdicts(renewed, trust)
    assert [k for k, _, _ in with_renewal] == ["handtekening"] * 2 + ["documenttijdstempel"] * 2
    assert all(indication == "TOTAL_PASSED" for _, indication, _ in with_renewal), with_renewal


def test_archief_vernieuwen_renews_the_stored_agreement(
    sealed, pki, trust, clock, tmp_path, monkeypatch
) -> None:
    from sqlmodel import Session, select
    from typer.testing import CliRunner

    from registry.database import make_engine
    from service.cli import app
    from service.invitations import files
    from service.invitations.models import SigningRound
    from service.settings import get_settings

    data = tmp_path / "data"
    monkeypatch.setenv("CONVENANT_DATA_DIR", str(data))
    monkeypatch.setenv("CONVENANT_DATABASE_URL", f"sqlite:///{tmp_path / 'archief.db'}")
    monkeypatch.setenv("CONVENANT_TSA_URL", pki.renewed_tsa_url)
    monkeypatch.setenv("CONVENANT_TRUST_ROOTS", json.dumps([str(pki.root_path)]))
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
        settings = get_settings()
        stored = Path(settings.documents_dir) / "ondertekening" / "zeist" / "overeenkomst-verzegeld.pdf"
        files.write_atomic(stored, sealed)
        engine = make_engine(settings.effective_database_url)
        with Session(engine) as db:
            db.add(
                SigningRound(
                    dossier_id="zeist",
                    document="overeenkomst",
                    title="Overeenkomst",
                    status="voltooid",
                    version=2,
                    original_sha256="0" * 64,
                    current_sha256=files.sha256(sealed),
                    current_path=str(stored.relative_to(settings.documents_dir)),
                    created_at=NOW,
                    created_by="test",
                )
            )
            db.commit()
        not_yet = runner.invoke(app, ["archief", "vernieuwen"])
        assert not_yet.exit_code == 0 and "0 documenten" in not_yet.output, not_yet.output
        clock.fixed_time = RENEWAL  # type: ignore[attr-defined]
        result = runner.invoke(app, ["archief", "vernieuwen", "--op", RENEWAL.date().isoformat()])
        assert result.exit_code == 0, result.output
        assert "1 document van een nieuw archieftijdstempel voorzien" in result.output
        with Session(engine) as db:
            rnd = db.exec(select(SigningRound)).one()
        engine.dispose()
        renewed = files.read_verified(Path(settings.documents_dir) / rnd.current_path, rnd.current_sha256)
        assert stored.read_bytes() == sealed  # the earlier file is kept as it was
        clock.fixed_time = LATER  # type: ignore[attr-defined]
        assert all(indication == "TOTAL_PASSED" for _, indication, _ in _verdicts(renewed, trust))
    finally:
        get_settings.cache_clear()


def _cli_environment(monkeypatch, tmp_path: Path, tsa_url: str, pki: TestPki) -> None:  # type: ignore[no-untyped-def]
    from service.settings import get_settings

    monkeypatch.setenv("CONVENANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CONVENANT_DATABASE_URL", f"sqlite:///{tmp_path / 'archief.db'}")
    monkeypatch.setenv("CONVENANT_TSA_URL", tsa_url)
    monkeypatch.setenv("CONVENANT_TRUST_ROOTS", json.dumps([str(pki.root_path)]))
    get_settings.cache_clear()


def test_documents_signed_without_a_tsa_get_a_first_archive_timestamp_and_declarations_are_renewed(
    pki, trust, signer, one_field_pdf, clock, tmp_path, monkeypatch
) -> None:
    """A round completed and a declaration signed while no TSA was configured (B-B, no document timestamp):
    once a TSA is configured, `convenant archief vernieuwen` gives both their first archive timestamp; the
    declaration's archive copy is renewed again before that timestamp's certificate ends, and validates
    at +800 days."""
    from sqlmodel import Session, col, select
    from typer.testing import CliRunner

    from registry.database import make_engine
    from service.cli import app
    from service.invitations import files
    from service.invitations.models import ArchiveVersion, SigningEvent, SigningLink, SigningRound
    from service.settings import get_settings

    agreement = add_signature_fields(
        render_declaration(("zeist", "politie")), field_specs(("zeist", "politie"))
    )
    for party in ("zeist", "politie"):
        agreement = sign_pdf(agreement, request_for(party, "B-B"), signer)
    declaration = sign_pdf(one_field_pdf, request_for("zeist", "B-B"), signer)
    runner = CliRunner()
    _cli_environment(monkeypatch, tmp_path, pki.tsa_url, pki)
    try:
        assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
        settings = get_settings()
        documents = Path(settings.documents_dir)
        round_file = documents / "ondertekening" / "zeist" / "overeenkomst-v2.pdf"
        declaration_file = documents / "ondertekening" / "zeist" / "verklaringen" / "verklaring-1-abc.pdf"
        files.write_atomic(round_file, agreement)
        files.write_atomic(declaration_file, declaration)
        engine = make_engine(settings.effective_database_url)
        with Session(engine) as db:
            db.add(
                SigningRound(
                    dossier_id="zeist",
                    document="overeenkomst",
                    title="Overeenkomst",
                    status="voltooid",
                    version=2,
                    original_sha256="0" * 64,
                    current_sha256=files.sha256(agreement),
                    current_path=str(round_file.relative_to(documents)),
                    created_at=NOW,
                    created_by="test",
                )
            )
            link = SigningLink(
                token_hash="1" * 64,
                kind="verklaring",
                dossier_id="zeist",
                document="geheimhoudingsverklaring",
                name="A. Deelnemer",
                email="a.deelnemer@example.nl",
                created_at=NOW,
                created_by="test",
                expires_at=NOW + timedelta(days=7),
                used_at=NOW,
            )
            db.add(link)
            db.flush()
            db.add(
                SigningEvent(
                    link_id=link.id or 0,
                    dossier_id="zeist",
                    document="geheimhoudingsverklaring",
                    document_title="Geheimhoudingsverklaring",
                    signer_name="A. Deelnemer",
                    signer_email="a.deelnemer@example.nl",
                    signed_at=NOW,
                    ip_address="192.0.2.1",
                    user_agent="test",
                    sha256_before="0" * 64,
                    sha256_after=files.sha256(declaration),
                    file_path=str(declaration_file.relative_to(documents)),
                )
            )
            db.commit()

        first = runner.invoke(app, ["archief", "vernieuwen"])
        assert first.exit_code == 0, first.output
        assert (
            "2 documenten van een nieuw archieftijdstempel voorzien (waarvan 2 voor het eerst)"
            in first.output
        )
        with Session(engine) as db:
            rnd = db.exec(select(SigningRound)).one()
            [version] = db.exec(select(ArchiveVersion)).all()
            event = db.exec(select(SigningEvent)).one()
        assert round_file.read_bytes() == agreement and declaration_file.read_bytes() == declaration  # kept
        assert event.file_path == str(declaration_file.relative_to(documents))  # the signing record stays
        stamped = files.read_verified(documents / rnd.current_path, rnd.current_sha256)
        kinds = [(s.kind, s.indication) for s in validate_pdf(stamped, trust).signatures]
        assert kinds == [("handtekening", "TOTAL_PASSED")] * 2 + [("documenttijdstempel", "TOTAL_PASSED")]
        archived = files.read_verified(documents / version.file_path, version.sha256)
        assert archived.startswith(declaration)
        kinds = [(s.kind, s.indication) for s in validate_pdf(archived, trust).signatures]
        assert kinds == [("handtekening", "TOTAL_PASSED"), ("documenttijdstempel", "TOTAL_PASSED")]

        again = runner.invoke(app, ["archief", "vernieuwen"])
        assert again.exit_code == 0 and "0 documenten" in again.output and "2 nog niet nodig" in again.output

        # Near the end of the first timestamp's certificate, with a TSA that renewed its own certificate.
        _cli_environment(monkeypatch, tmp_path, pki.renewed_tsa_url, pki)
        clock.fixed_time = RENEWAL  # type: ignore[attr-defined]
        renewed = runner.invoke(app, ["archief", "vernieuwen", "--op", RENEWAL.date().isoformat()])
        assert renewed.exit_code == 0, renewed.output
        assert (
            "2 documenten van een nieuw archieftijdstempel voorzien (waarvan 0 voor het eerst)"
            in renewed.output
        )
        with Session(engine) as db:
            versions = db.exec(select(ArchiveVersion).order_by(col(ArchiveVersion.id))).all()
        engine.dispose()
        assert len(versions) == 2
        newest = files.read_verified(documents / versions[-1].file_path, versions[-1].sha256)
        assert newest.startswith(archived)
        clock.fixed_time = LATER  # type: ignore[attr-defined]
        assert [i for _, i, _ in _verdicts(newest, trust)] == ["TOTAL_PASSED"] * 3
        # Without the renewal the declaration's first archive copy has no proof of existence any more.
        assert "TOTAL_PASSED" not in {i for _, i, _ in _verdicts(archived, trust)}
    finally:
        get_settings.cache_clear()
