"""Archive timestamps for signed declarations: table ``sign_archive``
(``service.invitations.models.ArchiveVersion``), one row per renewed copy of a signed declaration.

Revision ID: 0011_declaration_archive
Revises: 0010_pending_signatures
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_declaration_archive"
down_revision = "0010_pending_signatures"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sign_archive",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("event_id", sa.Integer(), sa.ForeignKey("sign_event.id"), nullable=False),
        sa.Column("file_path", sa.String(length=500), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("timestamp_expires_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_sign_archive_event_id", "sign_archive", ["event_id"])


def downgrade() -> None:
    op.drop_index("ix_sign_archive_event_id", table_name="sign_archive")
    op.drop_table("sign_archive")
