"""Tenancy: staff accounts belong to an organisation and are granted per agreement (issue 10).

Tables/columns of ``service.accounts.models``: ``account_organisation``, ``account_user.organisation_id``,
``account_grant``. An existing installation keeps working as it did: its accounts are put in one
organisation ("eigen-organisatie") and granted every agreement the registry holds at upgrade time. New
accounts and agreements get nothing until granted (deny by default).

Revision ID: 0008_tenancy
Revises: 0007_account_totp
Create Date: 2026-12-01
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0008_tenancy"
down_revision = "0007_account_totp"
branch_labels = None
depends_on = None

DEFAULT_ORGANISATION = "eigen-organisatie"


def upgrade() -> None:
    op.create_table(
        "account_organisation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_account_organisation_key", "account_organisation", ["key"], unique=True)
    # A plain ADD COLUMN with the foreign key inline on SQLite (it cannot add a constraint to a table, and a
    # batch rebuild would drop account_user, which sessions and tokens reference).
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE account_user ADD COLUMN organisation_id INTEGER "
            "CONSTRAINT fk_account_user_organisation REFERENCES account_organisation (id)"
        )
    else:
        op.add_column("account_user", sa.Column("organisation_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            "fk_account_user_organisation",
            "account_user",
            "account_organisation",
            ["organisation_id"],
            ["id"],
        )
    op.create_index("ix_account_user_organisation_id", "account_user", ["organisation_id"])
    op.create_table(
        "account_grant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("agreement_key", sa.String(length=80), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("granted_by", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["account_user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "agreement_key", name="uq_account_grant_user_agreement"),
    )
    op.create_index("ix_account_grant_user_id", "account_grant", ["user_id"])
    op.create_index("ix_account_grant_agreement_key", "account_grant", ["agreement_key"])

    conn = op.get_bind()
    users = [r[0] for r in conn.execute(sa.text("SELECT id FROM account_user ORDER BY id"))]
    if not users:
        return
    now = datetime.now(UTC)
    conn.execute(
        sa.text("INSERT INTO account_organisation (key, name, created_at) VALUES (:k, :n, :t)"),
        {"k": DEFAULT_ORGANISATION, "n": "Eigen organisatie", "t": now},
    )
    org_id = conn.execute(
        sa.text("SELECT id FROM account_organisation WHERE key = :k"), {"k": DEFAULT_ORGANISATION}
    ).scalar_one()
    conn.execute(sa.text("UPDATE account_user SET organisation_id = :o"), {"o": org_id})
    keys = [r[0] for r in conn.execute(sa.text("SELECT key FROM reg_agreement ORDER BY key"))]
    for user_id in users:
        for key in keys:
            conn.execute(
                sa.text(
                    "INSERT INTO account_grant (user_id, agreement_key, granted_at, granted_by) "
                    "VALUES (:u, :k, :t, :b)"
                ),
                {"u": user_id, "k": key, "t": now, "b": "migratie 0008_tenancy (bestaande installatie)"},
            )


def downgrade() -> None:
    op.drop_index("ix_account_grant_agreement_key", table_name="account_grant")
    op.drop_index("ix_account_grant_user_id", table_name="account_grant")
    op.drop_table("account_grant")
    op.drop_index("ix_account_user_organisation_id", table_name="account_user")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint("fk_account_user_organisation", "account_user", type_="foreignkey")
        op.drop_column("account_user", "organisation_id")
    else:
        _sqlite_drop_organisation_column()
    op.drop_index("ix_account_organisation_key", table_name="account_organisation")
    op.drop_table("account_organisation")


def _sqlite_drop_organisation_column() -> None:
    """SQLite cannot drop a column that has a foreign key, and rebuilding account_user would break the
    references of sessions and tokens while foreign keys are enforced: rebuild it with them switched off."""
    conn = op.get_bind()
    conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
    try:
        with op.batch_alter_table("account_user", recreate="always") as batch:
            batch.drop_column("organisation_id")
    finally:
        conn.exec_driver_sql("PRAGMA foreign_keys=ON")
