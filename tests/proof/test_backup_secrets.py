"""Issue 10 item 10 (files): the SQLite database and its WAL are 0600, a backup archive is 0600, and a
backup holds no secret unless asked: without ``--met-sleutels`` (the default, also ``--zonder-sleutels``)
it leaves out ``secret.key``, the signing key and its passphrase and a settings file with a passphrase —
while keeping the certificates that restored signatures are validated against."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from sqlalchemy import text

from registry.database import make_engine, migrate
from service.accounts.secret import load_secret_key
from signing import ensure_development_pki

CLI = [sys.executable, "-m", "service.cli"]
SECRET_NAMES = {
    "secret.key",
    "ontwikkel-ondertekening.p12",
    "ontwikkel-ondertekening.wachtwoord",
    "productie.env",
}


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    old = os.umask(0o022)  # an ordinary umask: files would be 0644 unless the code says otherwise
    try:
        data = tmp_path / "data"
        ensure_development_pki(data / "keys")
        load_secret_key(None, data)
        (data / "documents").mkdir()
        (data / "documents" / "verklaring.pdf").write_bytes(b"%PDF-1.7 ondertekend")
        (data / "productie.env").write_text("CONVENANT_PKCS12_PASSPHRASE=geheim\nCONVENANT_PORT=8000\n")
        url = f"sqlite:///{data / 'convenant.db'}"
        migrate(url)
        engine = make_engine(url)
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE IF NOT EXISTS proef (x INTEGER)"))
            conn.execute(text("INSERT INTO proef VALUES (1)"))
        engine.dispose()
    finally:
        os.umask(old)
    return data


def _backup(data: Path, out: Path, *flags: str) -> set[str]:
    env = {**os.environ, "CONVENANT_DATA_DIR": str(data), "CONVENANT_RETENTION_INTERVAL_HOURS": "0"}
    env.pop("CONVENANT_DATABASE_URL", None)
    done = subprocess.run(
        [*CLI, "backup", "--out", str(out), *flags], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert _mode(out) == 0o600
    with tarfile.open(out) as tar:
        return {Path(n).name for n in tar.getnames()}


def test_the_database_and_its_wal_are_owner_only(data: Path):
    db = data / "convenant.db"
    engine = make_engine(f"sqlite:///{db}")
    try:
        with engine.begin() as conn:  # the WAL exists while a connection is open
            conn.execute(text("INSERT INTO proef VALUES (2)"))
        for p in (db, db.with_name("convenant.db-wal"), db.with_name("convenant.db-shm")):
            assert p.exists() and _mode(p) == 0o600, (p, oct(_mode(p)))
    finally:
        engine.dispose()


@pytest.mark.parametrize("flags", [(), ("--zonder-sleutels",)])
def test_a_backup_leaves_out_every_secret_by_default(data: Path, tmp_path: Path, flags: tuple[str, ...]):
    names = _backup(data, tmp_path / "b.tar.gz", *flags)
    assert not (names & SECRET_NAMES), names & SECRET_NAMES
    assert {"ontwikkel-ca.pem", "verklaring.pdf", "convenant.db"} <= names


def test_with_met_sleutels_the_secrets_are_included(data: Path, tmp_path: Path):
    names = _backup(data, tmp_path / "b.tar.gz", "--met-sleutels")
    assert SECRET_NAMES <= names
