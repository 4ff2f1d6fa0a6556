"""Signing by link: rounds (a document sent out for signature), links (token hashes only), signing events
(the audit trail of each signature).

Tables of ``service.invitations.models``.

Revision ID: 0003_invitations
Revises: 0002_accounts
Create Date: 2026-11-25
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0003_invitations"
down_revision = "0002_accounts"
branch_labels = None
depends_on = None


def _ts(name: str, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "sign_round",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.String(length=80), nullable=False),
        sa.Column("document", sa.String(length=80), nullable=False),
        sa.Column("title", sa.String(length=2000), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("original_sha256", sa.String(length=64), nullable=False),
        sa.Column("current_sha256", sa.String(length=64), nullable=False),
        sa.Column("current_path", sa.String(length=500), nullable=False),
        _ts("created_at"),
        sa.Column("created_by", sa.String(length=300), nullable=False),
        _ts("completed_at", True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_sign_round_dossier_id", "sign_round", ["dossier_id"])
    op.create_table(
        "sign_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=True),
        sa.Column("dossier_id", sa.String(length=80), nullable=False),
        sa.Column("document", sa.String(length=80), nullable=False),
        sa.Column("party_key", sa.String(length=80), nullable=True),
        sa.Column("signatory_key", sa.String(length=80), nullable=True),
        sa.Column("person_key", sa.String(length=80), nullable=True),
        sa.Column("meeting_key", sa.String(length=80), nullable=True),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("organisation", sa.String(length=300), nullable=True),
        sa.Column("on_behalf_of", sa.String(length=600), nullable=True),
        _ts("created_at"),
        sa.Column("created_by", sa.String(length=300), nullable=False),
        _ts("expires_at"),
        _ts("sent_at", True),
        sa.Column("reminders", sa.Integer(), nullable=False),
        _ts("used_at", True),
        _ts("revoked_at", True),
        sa.Column("revoked_reason", sa.String(length=300), nullable=True),
        sa.Column("receipt_hash", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["round_id"], ["sign_round.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_sign_link_token_hash", "sign_link", ["token_hash"], unique=True)
    op.create_index("ix_sign_link_round_id", "sign_link", ["round_id"])
    op.create_index("ix_sign_link_dossier_id", "sign_link", ["dossier_id"])
    op.create_index("ix_sign_link_receipt_hash", "sign_link", ["receipt_hash"])
    op.create_table(
        "sign_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("link_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=True),
        sa.Column("dossier_id", sa.String(length=80), nullable=False),
        sa.Column("document", sa.String(length=80), nullable=False),
        sa.Column("document_title", sa.String(length=2000), nullable=False),
        sa.Column("signer_name", sa.String(length=300), nullable=False),
        sa.Column("signer_email", sa.String(length=254), nullable=False),
        sa.Column("on_behalf_of", sa.String(length=600), nullable=True),
        sa.Column("ground", sa.String(length=300), nullable=True),
        _ts("signed_at"),
        sa.Column("ip_address", sa.String(length=64), nullable=False),
        sa.Column("user_agent", sa.String(length=400), nullable=False),
        sa.Column("sha256_before", sa.String(length=64), nullable=False),
        sa.Column("sha256_after", sa.String(length=64), nullable=False),
        sa.Column("file_path", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(["link_id"], ["sign_link.id"]),
        sa.ForeignKeyConstraint(["round_id"], ["sign_round.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_sign_event_link_id", "sign_event", ["link_id"])
    op.create_index("ix_sign_event_round_id", "sign_event", ["round_id"])


def downgrade() -> None:
    op.drop_table("sign_event")
    op.drop_table("sign_link")
    op.drop_table("sign_round")
