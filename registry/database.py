"""Engines and schema migration for the convenant database (SQLite by default, PostgreSQL in production).

``make_engine(url)``  an engine tuned for the backend: on SQLite WAL, a busy timeout, foreign keys and
                      explicit ``BEGIN`` / ``BEGIN IMMEDIATE`` (see :func:`writer`), on PostgreSQL a pool
                      with pre-ping.
``writer(engine)``    the same engine, but every transaction on SQLite starts with ``BEGIN IMMEDIATE`` so
                      that concurrent writers queue instead of failing half-way.
``migrate(url)``      Alembic ``upgrade head``: the only way the schema is created or changed.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, event, make_url

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_BEGIN_OPTION = "convenant_sqlite_begin"


def is_sqlite(engine_or_url: Engine | str) -> bool:
    url = engine_or_url if isinstance(engine_or_url, str) else str(engine_or_url.url)
    return url.startswith("sqlite")


SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")


def owner_only_sqlite(url: str) -> None:
    """Create the SQLite file (if missing) readable by its owner only, and make an existing one so, with its
    WAL and shared-memory files (SQLite gives those the database file's mode when it creates them)."""
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    if not path.parent.is_dir():
        return
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
    for p in (path, *(path.with_name(path.name + s) for s in SQLITE_SIDE_FILES)):
        if p.exists() and p.stat().st_mode & 0o077:
            p.chmod(0o600)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine for ``url``. Extra keyword arguments go to :func:`sqlalchemy.create_engine`.

    A SQLite database file is kept readable by its owner only (0600, its WAL too)."""
    if is_sqlite(url):
        owner_only_sqlite(url)
        engine = create_engine(url, connect_args={"timeout": 60, "check_same_thread": False}, **kwargs)

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (pysqlite's own handling is broken)
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=60000")
            if ":memory:" not in url:
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Any) -> None:
            mode = conn.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")
            conn.exec_driver_sql(f"BEGIN {mode}")

        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def writer(engine: Engine) -> Engine:
    """A view of ``engine`` whose transactions take the write lock at once on SQLite (no-op elsewhere)."""
    if is_sqlite(engine):
        return engine.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})
    return engine


def alembic_config(url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("path_separator", "os")
    cfg.set_main_option("version_locations", str(MIGRATIONS / "versions"))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def migrate(url_or_engine: str | Engine, revision: str = "head") -> None:
    """Bring the database at ``url_or_engine`` to ``revision`` (default: the newest). Idempotent."""
    engine = make_engine(url_or_engine) if isinstance(url_or_engine, str) else url_or_engine
    cfg = alembic_config(str(engine.url))
    try:
        with writer(engine).begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    finally:
        if isinstance(url_or_engine, str):
            engine.dispose()


def new_revision(engine: Engine, message: str, load_models: Callable[[], object]) -> str:
    """Write a migration script for the difference between the database and every model (autogenerate).

    ``load_models`` imports the model modules of every package (the caller knows them; the registry
    only knows its own). Returns the path of the new script."""
    cfg = alembic_config(str(engine.url))
    cfg.attributes["load_models"] = load_models
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        script = command.revision(cfg, message=message, autogenerate=True)
    scripts = script if isinstance(script, list) else [script]
    return ", ".join(str(s.path) for s in scripts if s is not None)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
