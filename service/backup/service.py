"""Making a backup of a data folder and its database, and restoring one into a fresh folder.

The archive (``.tar.gz``) holds ``database/…`` (the dump), ``data/…`` (every file of the data
folder: stored documents, signing keys unless left out, settings files) and ``manifest.json`` with
the size and SHA-256 of every other member. Restore extracts into a staging folder next to the
target, checks every file against the manifest, loads the database, and only then moves the files
into place: a damaged archive leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import BinaryIO

from registry.database import owner_only_sqlite
from service.backup import database, repository
from service.backup.errors import BackupCorrupt, BackupError, RestoreTargetNotEmpty
from service.backup.manifest import DATABASE_FILES, MANIFEST_NAME, FileEntry, Manifest, sha256_file

SQLITE_SIDE_FILES = ("", "-wal", "-shm", "-journal")


@dataclass(frozen=True)
class BackupReport:
    archive: Path
    database_kind: str
    files: int
    bytes: int
    sha256: str  # of the archive itself, for the operator's log


@dataclass(frozen=True)
class RestoreReport:
    data_dir: Path
    database_url: str
    database_kind: str
    files: int
    created_at: str
    alembic_revision: str | None


class _HashingReader:
    def __init__(self, fh: BinaryIO) -> None:
        self.fh = fh
        self.hash = hashlib.sha256()
        self.size = 0

    def read(self, n: int = -1) -> bytes:
        chunk = self.fh.read(n)
        self.hash.update(chunk)
        self.size += len(chunk)
        return chunk


SECRET_SUFFIXES = {".p12", ".pfx", ".key", ".wachtwoord", ".pass", ".passphrase", ".pin"}
_SECRET_SETTING = re.compile(
    rb"(?im)^\s*(export\s+)?CONVENANT_(PKCS12_PASSPHRASE|PKCS11_PIN|SECRET_KEY|SMTP_PASSWORD)\s*="
)


def is_secret(path: Path, keys_dir: Path | None) -> bool:
    """A file that unlocks something: the server secret (``secret.key``), a private key or its passphrase
    (PKCS#12, ``*.key``, the development key's ``.wachtwoord``), any file in the keys folder that is not a
    plain certificate, and a settings file that sets a passphrase, PIN, secret key or SMTP password."""
    if path.name == "secret.key" or path.suffix.lower() in SECRET_SUFFIXES:
        return True
    try:
        head = path.read_bytes()[:262_144] if path.stat().st_size <= 262_144 else b""
    except OSError:
        return True
    if b"PRIVATE KEY" in head or _SECRET_SETTING.search(head):
        return True
    if keys_dir is not None and path.resolve().is_relative_to(keys_dir.resolve()):
        return not head.lstrip().startswith(b"-----BEGIN CERTIFICATE-----")
    return False


def _excluded(
    data_dir: Path, database_url: str, out: Path, include_keys: bool, keys_dir: Path | None
) -> set[Path]:
    skip = {out.resolve(), out.resolve().with_name(out.name + ".part")}
    if database.kind_of(database_url) == "sqlite":
        db = database.sqlite_path(database_url).resolve()
        skip |= {db.with_name(db.name + suffix) for suffix in SQLITE_SIDE_FILES}
    if not include_keys and data_dir.exists():
        skip |= {p.resolve() for p in data_dir.rglob("*") if p.is_file() and is_secret(p, keys_dir)}
    return skip


def create_backup(
    *,
    data_dir: Path,
    database_url: str,
    out: Path,
    include_keys: bool = False,
    keys_dir: Path | None = None,
) -> BackupReport:
    """Write a backup of ``database_url`` and every file under ``data_dir`` to ``out`` (tar.gz, mode 0600).

    Secrets (``is_secret``: ``secret.key``, signing keys and their passphrases) stay out unless
    ``include_keys``; public certificates are kept, so restored signatures can still be validated."""
    kind = database.kind_of(database_url)
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".part")
    skip = _excluded(data_dir, database_url, out, include_keys, keys_dir)
    entries: list[FileEntry] = []
    with tempfile.TemporaryDirectory(prefix="convenant-backup-") as tmp:
        dump_name = DATABASE_FILES[kind]
        dump = Path(tmp) / Path(dump_name).name
        if kind == "sqlite":
            database.dump_sqlite(database_url, dump)
        else:
            database.dump_postgresql(database_url, dump)
        revision = repository.alembic_revision(f"sqlite:///{dump}" if kind == "sqlite" else database_url)
        try:
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
                entries.append(_add(tar, dump, dump_name))
                if data_dir.exists():
                    for path in sorted(p for p in data_dir.rglob("*") if p.is_file() and not p.is_symlink()):
                        if path.resolve() in skip or _is_temporary(path):
                            continue
                        try:
                            entries.append(_add(tar, path, "data/" + path.relative_to(data_dir).as_posix()))
                        except FileNotFoundError:  # removed while we were busy (a finished temporary file)
                            continue
                manifest = Manifest(
                    created_at=datetime.now(UTC).isoformat(timespec="seconds"),
                    database_kind=kind,
                    database_file=dump_name,
                    files=entries,
                    app_version=_version(),
                    alembic_revision=revision,
                )
                payload = manifest.to_json().encode("utf-8")
                info = tarfile.TarInfo(MANIFEST_NAME)
                info.size = len(payload)
                info.mtime = int(datetime.now(UTC).timestamp())
                tar.addfile(info, io.BytesIO(payload))
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    partial.replace(out)
    return BackupReport(out, kind, len(entries), sum(e.size for e in entries), sha256_file(out))


def _is_temporary(path: Path) -> bool:
    """Files being written right now (``.<name>.<pid>.tmp``, renamed into place when complete)."""
    return path.name.startswith(".") and path.name.endswith(".tmp")


def _add(tar: tarfile.TarFile, path: Path, arcname: str) -> FileEntry:
    info = tar.gettarinfo(str(path), arcname=arcname)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    with path.open("rb") as fh:
        reader = _HashingReader(fh)
        tar.addfile(info, reader)
    if reader.size != info.size:
        raise BackupError(f"{path} veranderde tijdens de back-up; probeer het opnieuw.")
    return FileEntry(arcname, info.size, reader.hash.hexdigest())


def _version() -> str:
    try:
        return metadata.version("convenant")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        return ""


def read_manifest(archive: Path) -> Manifest:
    try:
        with tarfile.open(archive, "r:*") as tar:
            member = tar.getmember(MANIFEST_NAME)
            fh = tar.extractfile(member)
            if fh is None:
                raise BackupCorrupt("De back-up is beschadigd: manifest.json ontbreekt.")
            return Manifest.from_json(fh.read().decode("utf-8"))
    except KeyError as exc:
        raise BackupCorrupt("De back-up is beschadigd: manifest.json ontbreekt.") from exc
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise BackupCorrupt(f"{archive} is geen leesbare back-up: {exc}") from exc


def restore_backup(archive: Path, *, data_dir: Path, database_url: str | None = None) -> RestoreReport:
    """Restore ``archive`` into the fresh folder ``data_dir`` (and database ``database_url``).

    Without ``database_url`` a SQLite backup is restored to ``data_dir/convenant.db``. A PostgreSQL
    backup needs the URL of an empty PostgreSQL database.
    """
    if not archive.is_file():
        raise BackupError(f"Het back-upbestand {archive} bestaat niet.")
    data_dir = data_dir.resolve()
    if data_dir.exists() and any(data_dir.iterdir()):
        raise RestoreTargetNotEmpty(
            f"Herstellen geweigerd: de map {data_dir} is niet leeg. Kies een nieuwe map."
        )
    manifest = read_manifest(archive)
    target_url = database_url or f"sqlite:///{data_dir / 'convenant.db'}"
    target_kind = database.kind_of(target_url)
    if target_kind != manifest.database_kind:
        raise BackupError(
            f"Deze back-up bevat een {manifest.database_kind}-database en kan niet in {target_kind} "
            "worden hersteld."
        )
    created_dir = not data_dir.exists()
    db_existed = target_kind == "sqlite" and database.sqlite_path(target_url).exists()
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{data_dir.name}.herstel-", dir=data_dir.parent))
    try:
        try:
            with tarfile.open(archive, "r:*") as tar:
                tar.extractall(staging, filter="data")
        except (tarfile.TarError, EOFError, OSError) as exc:
            raise BackupCorrupt(f"{archive} kan niet worden uitgepakt: {exc}") from exc
        manifest.verify(staging)
        data_dir.mkdir(parents=True, exist_ok=True)
        dump = staging / manifest.database_file  # a checked member name (Manifest.check_names)
        if not dump.resolve().is_relative_to(staging.resolve()) or not dump.is_file():
            raise BackupCorrupt("De back-up is beschadigd: de database ontbreekt in het archief.")
        if target_kind == "sqlite":
            owner_only_sqlite(target_url)
            database.load_sqlite(dump, target_url)
        else:
            database.load_postgresql(dump, target_url)
        files = 0
        source_root = staging / "data"
        if source_root.exists():
            for path in sorted(p for p in source_root.rglob("*") if p.is_file()):
                dest = data_dir / path.relative_to(source_root)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(str(path), dest)
                files += 1
    except BaseException:
        if target_kind == "sqlite" and not db_existed:
            db = database.sqlite_path(target_url)
            for suffix in SQLITE_SIDE_FILES:
                db.with_name(db.name + suffix).unlink(missing_ok=True)
        if created_dir:
            shutil.rmtree(data_dir, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return RestoreReport(
        data_dir, target_url, target_kind, files, manifest.created_at, manifest.alembic_revision
    )
