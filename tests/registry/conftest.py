"""Registry fixtures: a migrated database (SQLite, or PostgreSQL in the second pass), clean per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from sqlalchemy import Engine, MetaData, text

from registry.database import make_engine, migrate
from registry.session import AuditedSession
from registry.database import writer
from templates.dossier.model import Dossier

ROOT = Path(__file__).resolve().parents[2]


def drop_everything(engine: Engine) -> None:
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        else:
            meta = MetaData()
            meta.reflect(conn)
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            meta.drop_all(conn)


@pytest.fixture(scope="module")
def engine(test_database_url: str) -> Iterator[Engine]:
    """A fresh schema per test module, created by the Alembic migrations (never create_all)."""
    eng = make_engine(test_database_url)
    drop_everything(eng)
    migrate(eng)
    yield eng
    eng.dispose()


def _clear(engine: Engine) -> None:
    from registry.models import REGISTRY_TABLES

    with writer(engine).begin() as conn:
        for table in reversed(REGISTRY_TABLES):
            conn.execute(table.delete())


@pytest.fixture
def db_session(engine: Engine) -> Iterator[AuditedSession]:
    session = AuditedSession(writer(engine), actor="test", expire_on_commit=False)
    try:
        yield session
    finally:
        session.rollback()
        session.close()
        _clear(engine)


def load_example(name: str) -> Dossier:
    return Dossier.model_validate(yaml.safe_load((ROOT / "examples" / f"{name}.yaml").read_text("utf-8")))


@pytest.fixture(scope="session")
def zeist_dossier() -> Dossier:
    return load_example("zeist")


@pytest.fixture(scope="session")
def amsterdam_dossier() -> Dossier:
    return load_example("amsterdam")
