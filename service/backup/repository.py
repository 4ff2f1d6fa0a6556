"""The one query of the backup package: which schema revision a database (or a dump restored as one) is
at, stored with the backup so a restore can say what it brings back."""

from __future__ import annotations

from sqlalchemy import create_engine, inspect, text


def alembic_revision(url: str) -> str | None:
    """The Alembic revision of the database at ``url``; None when it was never migrated."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
            return str(row[0]) if row else None
    finally:
        engine.dispose()
