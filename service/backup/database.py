"""Dumping and loading the database.

* SQLite: the ``sqlite3`` online backup API — a consistent copy while the service keeps running
  (readers and writers are not stopped; the copy is one snapshot).
* PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore`` from the newest PostgreSQL client found
  (``/usr/lib/postgresql/*/bin`` or ``PATH``). Chosen over a logical export through SQLAlchemy because
  it keeps everything the schema holds — constraints, indexes, sequences and their positions, the
  ``alembic_version`` row — with the server's own guarantees of a consistent snapshot, and because an
  operator can read and restore it with standard tools without convenant. The client must be at least
  the server's major version (pg_dump refuses otherwise, with a clear message that we pass on).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import URL, make_url

from service.backup.errors import BackupError, DatabaseToolMissing, RestoreTargetNotEmpty


def kind_of(url: str) -> str:
    backend = make_url(url).get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise BackupError(
            f"Database {backend!r} wordt niet ondersteund voor back-ups (alleen SQLite en PostgreSQL)."
        )
    return backend


def sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("Een SQLite-database in het geheugen kan niet worden geback-upt.")
    return Path(database)


def dump_sqlite(url: str, out: Path) -> None:
    source_path = sqlite_path(url)
    if not source_path.exists():
        raise BackupError(f"De database {source_path} bestaat niet.")
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
    target = sqlite3.connect(out)
    try:
        with target:
            source.backup(target)
    finally:
        target.close()
        source.close()


def load_sqlite(dump: Path, url: str) -> None:
    target_path = sqlite_path(url)
    if target_path.exists() and target_path.stat().st_size > 0:
        raise RestoreTargetNotEmpty(f"Herstellen geweigerd: de database {target_path} bestaat al.")
    target_path.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
    target = sqlite3.connect(target_path)
    try:
        with target:
            source.backup(target)
        result = target.execute("PRAGMA integrity_check").fetchone()
        if not result or result[0] != "ok":
            raise BackupError(f"De herstelde database is niet in orde: {result}")
    finally:
        target.close()
        source.close()


def pg_tool(name: str) -> Path:
    bindirs = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: _major(p.parent.name), reverse=True
    )
    for bindir in bindirs:
        if (bindir / name).exists():
            return bindir / name
    found = shutil.which(name)
    if found:
        return Path(found)
    raise DatabaseToolMissing(
        f"{name} is niet gevonden; installeer de PostgreSQL-client (Debian-pakket postgresql-client)."
    )


def _major(name: str) -> int:
    try:
        return int(name.split(".")[0])
    except ValueError:
        return 0


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """SQLAlchemy URL -> (libpq URI without password, environment with PGPASSWORD)."""
    parsed: URL = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    plain = parsed.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(cmd: list[str], env: dict[str, str], what: str) -> None:
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip().splitlines()
        raise BackupError(f"{what} mislukt: {detail[-1] if detail else f'exitcode {proc.returncode}'}")


def dump_postgresql(url: str, out: Path) -> None:
    uri, env = _libpq(url)
    _run(
        [
            str(pg_tool("pg_dump")),
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            "--file",
            str(out),
            "--dbname",
            uri,
        ],
        env,
        "pg_dump",
    )


def load_postgresql(dump: Path, url: str) -> None:
    engine = create_engine(url)
    try:
        tables = inspect(engine).get_table_names()
    finally:
        engine.dispose()
    if tables:
        raise RestoreTargetNotEmpty(
            f"Herstellen geweigerd: de doeldatabase bevat al tabellen ({', '.join(sorted(tables)[:5])}). "
            "Herstel in een lege database."
        )
    uri, env = _libpq(url)
    _run(
        [
            str(pg_tool("pg_restore")),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            "--dbname",
            uri,
            str(dump),
        ],
        env,
        "pg_restore",
    )
