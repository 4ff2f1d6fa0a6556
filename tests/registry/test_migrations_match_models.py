"""Alembic owns the schema: after ``upgrade head`` the database matches every model of every package."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine

from service.schema import import_all_models


def test_migrations_create_exactly_the_tables_and_columns_of_all_models(engine: Engine) -> None:
    metadata = import_all_models()
    assert {"account_user", "sign_link", "reg_agreement"} <= set(metadata.tables)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == [], "\n".join(str(d) for d in diff)
