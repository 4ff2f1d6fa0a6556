"""Signatures with the signatory's own certificate whose name differs from hers wait for the privacy
officer's confirmation: table ``sign_pending`` (``service.invitations.models.PendingSignature``).

Revision ID: 0010_pending_signatures
Revises: 0009_audit_action_length
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_pending_signatures"
down_revision = "0009_audit_action_length"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sign_pending",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("link_id", sa.Integer(), sa.ForeignKey("sign_link.id"), nullable=False),
        sa.Column("round_id", sa.Integer(), sa.ForeignKey("sign_round.id"), nullable=False),
        sa.Column("dossier_id", sa.String(length=80), nullable=False),
        sa.Column("expected_name", sa.String(length=300), nullable=False),
        sa.Column("certificate_name", sa.String(length=300), nullable=True),
        sa.Column("certificate_subject", sa.String(length=1000), nullable=False),
        sa.Column("based_on_sha256", sa.String(length=64), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("file_path", sa.String(length=500), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ip_address", sa.String(length=64), nullable=False),
        sa.Column("user_agent", sa.String(length=400), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(length=300), nullable=True),
        sa.Column("reason", sa.String(length=1000), nullable=True),
    )
    op.create_index("ix_sign_pending_link_id", "sign_pending", ["link_id"])
    op.create_index("ix_sign_pending_round_id", "sign_pending", ["round_id"])
    op.create_index("ix_sign_pending_dossier_id", "sign_pending", ["dossier_id"])


def downgrade() -> None:
    for name in ("dossier_id", "round_id", "link_id"):
        op.drop_index(f"ix_sign_pending_{name}", table_name="sign_pending")
    op.drop_table("sign_pending")
