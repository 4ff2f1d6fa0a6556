"""Staff sign-in: a TOTP second factor (secret, when it was confirmed, the last time step used, so a code
cannot be used twice) and when the password was last changed.

Revision ID: 0007_account_totp
Revises: 0006_legal_model
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_account_totp"
down_revision = "0006_legal_model"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("account_user") as batch:
        batch.add_column(sa.Column("totp_secret", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("totp_enabled_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("totp_last_step", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("account_user") as batch:
        batch.drop_column("password_changed_at")
        batch.drop_column("totp_last_step")
        batch.drop_column("totp_enabled_at")
        batch.drop_column("totp_secret")
