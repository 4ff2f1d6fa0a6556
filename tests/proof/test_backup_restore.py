"""Backup and restore: a data folder with signed documents and a registry, backed up with `convenant backup`,
restored with `convenant restore` into a fresh folder (and, on PostgreSQL, a fresh database), where every
signed document still validates and the audit chain still verifies."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import tarfile
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from service.backup import BackupCorrupt, RestoreTargetNotEmpty, create_backup, restore_backup
from tests.proof.conftest import create_database, drop_database
from tests.proof.registry_data import add_declaration, add_meeting, build_world

CLI = [sys.executable, "-m", "service.cli"]


def _signed_pdf(signer, text: str) -> bytes:  # type: ignore[no-untyped-def]
    from weasyprint import HTML

    from signing import FieldSpec, SignatureRequest, StampText, add_signature_fields, sign_pdf

    pdf = HTML(string=f"<html lang='nl'><body><p>{text}</p></body></html>").write_pdf()
    pdf = add_signature_fields(pdf, [FieldSpec("sig-deelnemer", 0, (72, 100, 300, 180))])
    stamp = StampText("Dirk Deelnemer", "intern begeleider", "School", signed_on=date(2025, 1, 6))
    return sign_pdf(
        pdf, SignatureRequest("sig-deelnemer", "B-B", stamp, "Geheimhoudingsverklaring", "Zeist"), signer
    )


@pytest.fixture
def installation(migrated_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A data folder as the service keeps it: development keys, three signed declarations, a registry."""
    from registry.database import make_engine
    from registry.session import unit_of_work
    from signing import ensure_development_pki, open_signer

    data = tmp_path / "data"
    pki = ensure_development_pki(data / "keys")
    signer = open_signer(pki.key)
    docs = data / "documents" / "verklaringen"
    docs.mkdir(parents=True)
    engine = make_engine(migrated_url)
    try:
        with unit_of_work(engine, actor="test") as s:
            world = build_world(s, term_end=date(2030, 1, 1))
            for n in range(3):
                pdf = _signed_pdf(signer, f"Verklaring nummer {n} — Dirk Deelnemer")
                (docs / f"verklaring-{n}.pdf").write_bytes(pdf)
                decl = add_declaration(s, world, date(2025, 1, 6), f"verklaringen/verklaring-{n}.pdf")
                from registry.models import DeclarationRecord

                s.get(DeclarationRecord, decl).document_sha256 = hashlib.sha256(pdf).hexdigest()
            add_meeting(s, world, date(2025, 2, 1), [world.deelnemer_id])
    finally:
        engine.dispose()
    return data, migrated_url


def _env(data: Path, url: str) -> dict[str, str]:
    return {
        **os.environ,
        "CONVENANT_DATA_DIR": str(data),
        "CONVENANT_DATABASE_URL": url,
        "CONVENANT_RETENTION_INTERVAL_HOURS": "0",
    }


def _restore_target(url: str, tmp_path: Path) -> tuple[Path, str | None]:
    target = tmp_path / "hersteld"
    return target, (None if url.startswith("sqlite") else create_database(url))


def test_backup_and_restore_into_a_fresh_folder_keeps_every_signature_valid(installation, tmp_path):
    from registry.audit import verify_chain
    from registry.database import make_engine
    from registry.models import DeclarationRecord, MeetingAttendee
    from signing import TrustConfig, validate_pdf

    data, url = installation
    archive = tmp_path / "backup" / "convenant.tar.gz"
    done = subprocess.run(
        [*CLI, "backup", "--out", str(archive)],
        env=_env(data, url),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Back-up geschreven" in done.stdout

    target, target_url = _restore_target(url, tmp_path)
    try:
        args = [*CLI, "restore", str(archive), "--data-dir", str(target)]
        if target_url:
            args += ["--database-url", target_url]
        done = subprocess.run(args, env={**os.environ}, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert "Hersteld in" in done.stdout

        restored = sorted((target / "documents").rglob("*.pdf"))
        assert [p.name for p in restored] == ["verklaring-0.pdf", "verklaring-1.pdf", "verklaring-2.pdf"]
        trust = TrustConfig(roots=[target / "keys" / "ontwikkel-ca.pem"], allow_fetching=False)
        for pdf in restored:
            report = validate_pdf(pdf.read_bytes(), trust)
            assert report.all_passed, (pdf, report.as_dict())
            assert report.signatures[0].coverage.as_dict()  # the report says what the signature covers

        engine = make_engine(target_url or f"sqlite:///{target / 'convenant.db'}")
        try:
            with engine.connect() as conn:
                chain = verify_chain(conn)
                assert chain.ok and chain.entries > 0, chain.problems
                rows = conn.execute(select(DeclarationRecord)).all()
                assert len(rows) == 3
                for row in rows:
                    stored = (target / "documents" / row.document_ref).read_bytes()
                    assert hashlib.sha256(stored).hexdigest() == row.document_sha256
                assert conn.execute(select(func.count()).select_from(MeetingAttendee)).scalar() == 1
        finally:
            engine.dispose()
    finally:
        if target_url:
            drop_database(target_url)


def test_a_damaged_backup_is_refused_and_leaves_nothing_behind(installation, tmp_path):
    data, url = installation
    archive = create_backup(data_dir=data, database_url=url, out=tmp_path / "b.tar.gz").archive
    # Rewrite the archive with one byte of one signed document changed (the manifest left as it was).
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(damaged, "w:gz") as dst:
        for member in src.getmembers():
            payload = src.extractfile(member).read()  # type: ignore[union-attr]
            if member.name.endswith("verklaring-1.pdf"):
                payload = payload[:200] + bytes([payload[200] ^ 1]) + payload[201:]
            dst.addfile(member, io.BytesIO(payload))
    target, target_url = _restore_target(url, tmp_path)
    try:
        with pytest.raises(BackupCorrupt, match="verklaring-1.pdf"):
            restore_backup(damaged, data_dir=target, database_url=target_url)
        assert not target.exists()
        assert not list(tmp_path.glob(".hersteld.herstel-*"))
    finally:
        if target_url:
            drop_database(target_url)


def test_restore_never_overwrites_an_existing_folder(installation, tmp_path):
    data, url = installation
    archive = create_backup(data_dir=data, database_url=url, out=tmp_path / "b.tar.gz").archive
    with pytest.raises(RestoreTargetNotEmpty, match="niet leeg"):
        restore_backup(archive, data_dir=data)
    assert sorted(p.name for p in (data / "documents" / "verklaringen").iterdir())[0] == "verklaring-0.pdf"


def test_an_archive_with_a_path_outside_the_folder_is_refused(tmp_path):
    from service.backup.manifest import Manifest

    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(evil, "w:gz") as tar:
        payload = b"owned"
        info = tarfile.TarInfo("../ontsnapt.txt")
        info.size = len(payload)
        tar.addfile(info, io.BytesIO(payload))
        manifest = Manifest("2025-01-01T00:00:00+00:00", "sqlite", "database/convenant.db").to_json().encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(manifest)
        tar.addfile(info, io.BytesIO(manifest))
    with pytest.raises(BackupCorrupt):
        restore_backup(evil, data_dir=tmp_path / "doel" / "data")
    assert not (tmp_path / "doel" / "ontsnapt.txt").exists() and not (tmp_path / "ontsnapt.txt").exists()
