"""Dossier versions: every save, upload and import is a numbered version (author, time, comment, SHA-256 of
the text); a signing round records the version it sent out, so a signed version stays frozen.

Tables of ``service.dossiers.versions`` plus ``sign_round.dossier_version``.

Revision ID: 0004_dossier_versions
Revises: 0003_invitations
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_dossier_versions"
down_revision = "0003_invitations"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dossier_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.String(length=80), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=2000), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("path", sa.String(length=500), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("author", sa.String(length=300), nullable=False),
        sa.Column("comment", sa.String(length=1000), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dossier_id", "number", name="uq_dossier_version_number"),
    )
    op.create_index("ix_dossier_version_dossier_id", "dossier_version", ["dossier_id"])
    with op.batch_alter_table("sign_round") as batch:
        batch.add_column(sa.Column("dossier_version", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sign_round") as batch:
        batch.drop_column("dossier_version")
    op.drop_index("ix_dossier_version_dossier_id", table_name="dossier_version")
    op.drop_table("dossier_version")
