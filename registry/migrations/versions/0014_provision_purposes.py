"""A provision records one or more purposes (issue 14, item 2: "several may be chosen").

- ``reg_provision.purposes`` (JSON list of use keys of the besluit) replaces ``reg_provision.purpose`` (one
  key or NULL). Existing rows keep their purpose as a one-element list; a row without one gets ``[]``.

Downgrade keeps only the first purpose of each row (a provision recorded with several loses the others).

Revision ID: 0014_provision_purposes
Revises: 0013_pages
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_provision_purposes"
down_revision = "0013_pages"
branch_labels = None
depends_on = None


def _provisions() -> sa.TableClause:
    """``reg_provision`` with both columns, as this migration sees it (never the current model)."""
    return sa.table(
        "reg_provision",
        sa.column("id", sa.Integer),
        sa.column("purpose", sa.String(80)),
        sa.column("purposes", sa.JSON),
    )


def upgrade() -> None:
    with op.batch_alter_table("reg_provision") as batch:
        batch.add_column(sa.Column("purposes", sa.JSON(), nullable=False, server_default="[]"))
    old = _provisions()
    conn = op.get_bind()
    rows = conn.execute(sa.select(old.c.id, old.c.purpose).where(old.c.purpose.is_not(None))).all()
    for row_id, purpose in rows:
        conn.execute(sa.update(old).where(old.c.id == row_id).values(purposes=[purpose]))
    with op.batch_alter_table("reg_provision") as batch:
        batch.drop_column("purpose")


def downgrade() -> None:
    with op.batch_alter_table("reg_provision") as batch:
        batch.add_column(sa.Column("purpose", sa.String(length=80), nullable=True))
    new = _provisions()
    conn = op.get_bind()
    for row_id, purposes in conn.execute(sa.select(new.c.id, new.c.purposes)).all():
        if purposes:
            conn.execute(sa.update(new).where(new.c.id == row_id).values(purpose=purposes[0]))
    with op.batch_alter_table("reg_provision") as batch:
        batch.drop_column("purposes")
