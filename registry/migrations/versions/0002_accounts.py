"""Staff accounts: users, server-side sessions, API tokens (hashed), sign-in/token attempts for rate limiting.

Tables of ``service.accounts.models``.

Revision ID: 0002_accounts
Revises: 0001_registry
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_accounts"
down_revision = "0001_registry"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "account_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("password_hash", sa.String(length=300), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_account_user_email", "account_user", ["email"], unique=True)
    op.create_table(
        "account_session",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ip_address", sa.String(length=64), nullable=True),
        sa.Column("user_agent", sa.String(length=400), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["account_user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_account_session_user_id", "account_session", ["user_id"])
    op.create_table(
        "account_api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["account_user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_account_api_token_user_id", "account_api_token", ["user_id"])
    op.create_index("ix_account_api_token_token_hash", "account_api_token", ["token_hash"], unique=True)
    op.create_table(
        "account_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("ip_address", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("success", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_account_attempt_kind", "account_attempt", ["kind"])
    op.create_index("ix_account_attempt_subject", "account_attempt", ["subject"])
    op.create_index("ix_account_attempt_ip_address", "account_attempt", ["ip_address"])
    op.create_index("ix_account_attempt_at", "account_attempt", ["at"])


def downgrade() -> None:
    op.drop_table("account_attempt")
    op.drop_table("account_api_token")
    op.drop_table("account_session")
    op.drop_table("account_user")
