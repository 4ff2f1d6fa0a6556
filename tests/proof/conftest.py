"""Fixtures of the proof tests: a fresh, migrated database per test (SQLite file, or a new database
on the PostgreSQL server of the second test pass), so that purges and restores see only their own data.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.proof.api_support import ApiWorld, build_api_world


def _admin_url(url: str) -> str:
    return make_url(url).set(database="postgres").render_as_string(hide_password=False)


def create_database(server_url: str) -> str:
    """A new, empty database on the same PostgreSQL server as ``server_url``; returns its URL."""
    name = f"proof_{uuid.uuid4().hex[:12]}"
    admin = create_engine(_admin_url(server_url), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    name = make_url(url).database
    admin = create_engine(_admin_url(url), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture
def database_url(test_database_url: str, tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """An empty database of the kind under test (auto-marked ``db``: runs on SQLite and PostgreSQL)."""
    if test_database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'convenant.db'}"
        return
    url = create_database(test_database_url)
    try:
        yield url
    finally:
        drop_database(url)


@pytest.fixture
def migrated_url(database_url: str) -> str:
    from registry.database import migrate

    migrate(database_url)
    return database_url


@pytest.fixture
def world(tmp_path, database_url) -> Iterator[ApiWorld]:  # type: ignore[no-untyped-def]
    """The app with the example dossiers and one account (and API token) per role, in one organisation
    (``build_api_world``). A module whose tests need another world defines its own ``world``."""
    w = build_api_world(tmp_path / "data", database_url)
    yield w
    w.app.state.engine.dispose()
