"""The legal model per agreement: the dossier's model and its citations (JSON) on the agreement; role keys
of any length; the capacity in which someone attends a meeting; a provision's purpose and whether it holds
special police data; the besluit's uses.

Revision ID: 0006_legal_model
Revises: 0005_signing_identity
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_legal_model"
down_revision = "0005_signing_identity"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reg_agreement", schema=None) as batch_op:
        batch_op.add_column(sa.Column("legal", sa.JSON(), nullable=True))
        batch_op.alter_column("renewal", existing_type=sa.String(length=20), type_=sa.String(length=40))
    with op.batch_alter_table("reg_designation", schema=None) as batch_op:
        batch_op.alter_column("role", existing_type=sa.String(length=20), type_=sa.String(length=80))
    with op.batch_alter_table("reg_meeting_attendee", schema=None) as batch_op:
        batch_op.add_column(sa.Column("role", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("party_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_reg_meeting_attendee_party", "reg_party", ["party_id"], ["id"])
    with op.batch_alter_table("reg_provision", schema=None) as batch_op:
        batch_op.add_column(sa.Column("purpose", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("special", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("reg_besluit", schema=None) as batch_op:
        batch_op.add_column(sa.Column("uses", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("reg_besluit", schema=None) as batch_op:
        batch_op.drop_column("uses")
    with op.batch_alter_table("reg_provision", schema=None) as batch_op:
        batch_op.drop_column("special")
        batch_op.drop_column("purpose")
    with op.batch_alter_table("reg_meeting_attendee", schema=None) as batch_op:
        batch_op.drop_constraint("fk_reg_meeting_attendee_party", type_="foreignkey")
        batch_op.drop_column("party_id")
        batch_op.drop_column("role")
    with op.batch_alter_table("reg_designation", schema=None) as batch_op:
        batch_op.alter_column("role", existing_type=sa.String(length=80), type_=sa.String(length=20))
    with op.batch_alter_table("reg_agreement", schema=None) as batch_op:
        batch_op.alter_column("renewal", existing_type=sa.String(length=40), type_=sa.String(length=20))
        batch_op.drop_column("legal")
