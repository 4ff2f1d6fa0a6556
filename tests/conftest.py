"""Shared test wiring.

Tests that touch the database use fixtures whose names are listed in ``DB_FIXTURES``; they get the
``db`` marker automatically, so the second test pass (PostgreSQL, see scripts/run_tests.py) runs them.
"""

from __future__ import annotations

import os

import pytest

DB_FIXTURES = {
    "engine",
    "db_session",
    "session",
    "registry_db",
    "client",
    "app",
    "live_server",
    "database_url",
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if DB_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.db)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "db: uses the database (runs on SQLite and on PostgreSQL)")


@pytest.fixture(scope="session")
def test_database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """PostgreSQL when CONVENANT_TEST_DATABASE_URL is set (second pass), else a fresh SQLite file."""
    url = os.environ.get("CONVENANT_TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
