"""Pages (issue 14): a signatory can decline with a reason.

- ``sign_link.declined_at`` / ``sign_link.declined_reason``: the signatory declined to sign and said why (the
  privacy officer sees it on the dossier page); the link is revoked at the same moment.

Revision ID: 0013_pages
Revises: 0012_audit_tenancy
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_pages"
down_revision = "0012_audit_tenancy"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sign_link") as batch:
        batch.add_column(sa.Column("declined_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("declined_reason", sa.String(length=1000), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sign_link") as batch:
        batch.drop_column("declined_reason")
        batch.drop_column("declined_at")
