"""Registry fixtures: a migrated database (SQLite, or PostgreSQL in the second pass), clean per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from sqlalchemy import Engine, MetaData, text

from registry.database import make_engine, migrate, writer
from registry.session import AuditedSession
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


ZEIST_PEOPLE = {
    "people": [
        {
            "key": "coord",
            "name": "Carla Coördinator",
            "email": "c.coord@example.nl",
            "function": "wijkmanager",
            "organisation": "gemeente",
            "role": "coordinator",
            "designated_from": "2018-06-14",
        },
        {
            "key": "wijkagent",
            "name": "Wim Wijkagent",
            "email": "w.agent@example.nl",
            "function": "wijkagent",
            "organisation": "politie",
            "role": "wijkagent",
            "designated_from": "2018-06-14",
        },
        {
            "key": "vervanger",
            "name": "Vera Vervanger",
            "email": "v.vervanger@example.nl",
            "function": "wijkagent",
            "organisation": "politie",
            "role": "vervanger",
            "designated_from": "2018-06-14",
            "designated_until": "2019-12-31",
            "designated_by": "basisteamleiding ZBLW",
        },
        {
            "key": "woongoed",
            "name": "Wendy Woongoed",
            "email": "w.woongoed@example.nl",
            "function": "consulent",
            "organisation": "woongoed",
            "role": "professional",
            "designated_from": "2018-06-14",
            "designated_until": "2019-05-20",
        },
        {
            "key": "meander",
            "name": "Mo Meander",
            "email": "m.meander@example.nl",
            "function": "jongerenwerker",
            "organisation": "meander",
            "role": "professional",
            "designated_from": "2018-06-14",
            "designated_until": "2019-01-31",
        },
        {
            "key": "huisarts",
            "name": "dr. Hans Huisarts",
            "email": "h.huisarts@example.nl",
            "function": "huisarts",
            "organisation": None,
            "role": "agendadeelnemer",
            "designated_from": "2019-01-01",
            "designated_until": "2019-12-31",
        },
        {
            "key": "ib",
            "name": "Iris Intern",
            "email": "i.intern@example.nl",
            "function": "intern begeleider",
            "organisation": None,
            "role": "agendadeelnemer",
            "designated_from": "2019-01-01",
        },
    ],
    "declarations": [
        {
            "person": "huisarts",
            "ground": "toestemming",
            "signed_on": "2019-03-01",
            "document": "verklaring-huisarts.pdf",
            "sha256": "ab" * 32,
        }
    ],
    "meetings": [
        {
            "key": "wijkoverleg-2019-05-01",
            "date": "2019-05-01",
            "coordinator": "coord",
            "attendees": [
                "coord",
                "w.agent@example.nl",
                "woongoed",
                "meander",
                "huisarts",
                "ib",
                "Onbekende Gast",
                "gast@example.org",
            ],
        }
    ],
}


@pytest.fixture
def zeist_registry(db_session: AuditedSession, zeist_dossier: Dossier) -> AuditedSession:
    from registry.sync import load_people, sync_dossier

    sync_dossier(db_session, zeist_dossier)
    load_people(db_session, ZEIST_PEOPLE, zeist_dossier.id)
    db_session.commit()
    return db_session
