"""Audit entries name longer actions: reg_audit.action from 20 to 80 characters.

Security events (issue 10 item 11) are audit entries with actions such as "download ondertekend document"
(29 characters). SQLite does not enforce a VARCHAR length, PostgreSQL does: such an entry failed there.

Revision ID: 0009_audit_action_length
Revises: 0008_tenancy
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_audit_action_length"
down_revision = "0008_tenancy"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reg_audit") as batch:
        batch.alter_column("action", type_=sa.String(length=80), existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("reg_audit") as batch:
        batch.alter_column("action", type_=sa.String(length=20), existing_nullable=False)
