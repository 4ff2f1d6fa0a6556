"""A certificate per signatory: the e-mailed one-time code on the signing link, and the authentication
evidence and certificate of each signature in its audit entry.

Columns of ``service.invitations.models``: ``sign_link.code_*`` and ``sign_event.auth_*`` / ``certificate_*``.

Revision ID: 0005_signing_identity
Revises: 0004_dossier_versions
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_signing_identity"
down_revision = "0004_dossier_versions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sign_link") as batch:
        batch.add_column(sa.Column("code_hash", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("code_sent_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("code_expires_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("code_attempts", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("sign_event") as batch:
        batch.add_column(sa.Column("auth_method", sa.String(length=80), nullable=True))
        batch.add_column(sa.Column("auth_evidence", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("auth_confirmed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("certificate_subject", sa.String(length=1000), nullable=True))
        batch.add_column(sa.Column("certificate_serial", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sign_event") as batch:
        for name in ("certificate_serial", "certificate_subject", "auth_confirmed_at", "auth_evidence"):
            batch.drop_column(name)
        batch.drop_column("auth_method")
    with op.batch_alter_table("sign_link") as batch:
        for name in ("code_attempts", "code_expires_at", "code_sent_at"):
            batch.drop_column(name)
        batch.drop_column("code_hash")
