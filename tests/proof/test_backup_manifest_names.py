"""Issue 10 item 15: a restore loads the database only from the archive's own member for that database kind.
A manifest naming any other file — an absolute path on the restoring machine, a ``..`` path, another
member — is refused before anything is loaded, and leaves nothing behind."""

from __future__ import annotations

import io
import sqlite3
import tarfile
from pathlib import Path

import pytest

from service.backup import BackupCorrupt, restore_backup
from service.backup.manifest import FileEntry, Manifest, sha256_file


def _archive(tmp_path: Path, database_file: str, files: dict[str, bytes]) -> Path:
    import hashlib

    out = tmp_path / "kwaad.tar.gz"
    entries = [FileEntry(name, len(data), hashlib.sha256(data).hexdigest()) for name, data in files.items()]
    manifest = Manifest("2025-01-01T00:00:00+00:00", "sqlite", database_file, entries).to_json().encode()
    with tarfile.open(out, "w:gz") as tar:
        for name, data in [*files.items(), ("manifest.json", manifest)]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    """A database elsewhere on the restoring machine (another installation's, say)."""
    path = tmp_path / "elders" / "geheim.db"
    path.parent.mkdir()
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE geheim (waarde TEXT)")
        conn.execute("INSERT INTO geheim VALUES ('van een ander')")
    return path


@pytest.mark.parametrize("how", ["absolute", "dotdot", "other-member"])
def test_restore_refuses_a_database_file_outside_the_archive(tmp_path, victim, how):
    before = sha256_file(victim)
    name = {
        "absolute": str(victim),
        "dotdot": "../" * 12 + str(victim).lstrip("/"),
        "other-member": "data/documents/a.pdf",
    }[how]
    archive = _archive(tmp_path, name, {"data/documents/a.pdf": b"%PDF-1.7 niets"})
    target = tmp_path / "hersteld"
    with pytest.raises(BackupCorrupt, match="database"):
        restore_backup(archive, data_dir=target)
    assert not target.exists()  # nothing loaded, nothing left behind
    assert sha256_file(victim) == before


def test_a_manifest_entry_that_is_not_a_member_name_is_refused(tmp_path):
    archive = _archive(tmp_path, "database/convenant.db", {"database/convenant.db": b"x"})
    text = tarfile.open(archive).extractfile("manifest.json").read().decode()  # type: ignore[union-attr]
    assert Manifest.from_json(text).database_file == "database/convenant.db"
    evil = text.replace('"path": "database/convenant.db"', '"path": "/etc/passwd"')
    with pytest.raises(BackupCorrupt, match="geen naam in het archief"):
        Manifest.from_json(evil)
    with pytest.raises(BackupCorrupt, match="onbekende velden"):
        Manifest.from_json(text.replace('"format"', '"onbekend": 1, "format"'))
