"""Alembic environment for the convenant database (registry tables and those chained after them).

Run through ``registry.database.migrate(url)``; a connection may be handed in via
``config.attributes["connection"]``. For autogenerate the caller that knows every table (the service:
``convenant db revision``) hands in ``config.attributes["load_models"]``, a callable that imports all
model modules; without it only the registry's own tables are known.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import engine_from_config, pool
from sqlmodel import SQLModel

import registry.models  # noqa: F401  (registers the tables on the metadata for autogenerate)

config = context.config
_load_models = config.attributes.get("load_models")
if _load_models is not None:
    _load_models()
target_metadata = SQLModel.metadata


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = engine_from_config(
        config.get_section(config.config_ini_section) or {}, prefix="sqlalchemy.", poolclass=pool.NullPool
    )
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
