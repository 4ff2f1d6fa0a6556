"""The audit log scoped by tenancy: ``reg_audit.agreement_key`` and ``reg_audit.organisation_id``.

Each entry names the agreement it concerns (None: instance-wide) and the staff organisation of the account
that made it, so a privacy officer reads only the entries of the agreements she administers and a beheerder
the instance-wide ones (issue 10). Both are part of the entry's hash when set (``registry.audit.entry_hash``).

Existing entries were hashed without them and keep their hashes (and the signed checkpoints naming them
stay valid). The upgrade attributes each existing entry it can to its agreement, from the entry's own
columns or the row it is about (``agreement_id``, ``agreement_key``, ``dossier_id``, a meeting's agreement,
an agreement's key), fills ``agreement_key`` and records the whole attribution in one new chained entry
(action ``toegewezen``): ``convenant audit verify`` accepts an old entry's agreement only as that entry
records it. Entries it cannot attribute (security events, persons, accounts) stay instance-wide.

Downgrade drops the columns; entries written after the upgrade were hashed with them and no longer verify
with the code of the previous revision.

Revision ID: 0012_audit_tenancy
Revises: 0011_declaration_archive
Create Date: 2026-12-01
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0012_audit_tenancy"
down_revision = "0011_declaration_archive"
branch_labels = None
depends_on = None

_COLUMNS = ("agreement_key", "dossier_id", "agreement_id", "meeting_id")


def upgrade() -> None:
    op.add_column("reg_audit", sa.Column("agreement_key", sa.String(length=80), nullable=True))
    op.add_column("reg_audit", sa.Column("organisation_id", sa.Integer(), nullable=True))
    op.create_index("ix_reg_audit_agreement_key", "reg_audit", ["agreement_key"])
    op.create_index("ix_reg_audit_organisation_id", "reg_audit", ["organisation_id"])
    _attribute_existing_entries(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_reg_audit_organisation_id", table_name="reg_audit")
    op.drop_index("ix_reg_audit_agreement_key", table_name="reg_audit")
    with op.batch_alter_table("reg_audit") as batch:
        batch.drop_column("organisation_id")
        batch.drop_column("agreement_key")


class _Resolver:
    """The agreement an existing entry is about, from its recorded columns or the row it names."""

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn
        inspector = sa.inspect(conn)
        self.tables = {
            name: {c["name"] for c in inspector.get_columns(name)} for name in inspector.get_table_names()
        }
        self.agreements = {
            int(i): str(k) for i, k in conn.execute(sa.text("SELECT id, key FROM reg_agreement"))
        }
        self.meetings = {
            int(i): int(a) for i, a in conn.execute(sa.text("SELECT id, agreement_id FROM reg_meeting"))
        }
        self.rows: dict[str, dict[int, dict[str, Any]]] = {}

    def _row(self, table: str, row_id: int) -> dict[str, Any]:
        if table not in self.rows:
            wanted = [c for c in ("id", "key", *_COLUMNS) if c in self.tables[table]]
            query = sa.text(f"SELECT {', '.join(wanted)} FROM {table}")  # noqa: S608  names from the schema
            self.rows[table] = {int(r["id"]): dict(r) for r in self.conn.execute(query).mappings()}
        return self.rows[table].get(row_id, {})

    def __call__(self, entity: str, entity_id: str, changes: str) -> str | None:
        columns = self.tables.get(entity)
        if columns is None or "id" not in columns:
            return None
        if entity != "reg_agreement" and not columns & set(_COLUMNS):
            return None
        try:
            recorded = json.loads(changes)
        except ValueError:
            recorded = {}
        values: dict[str, Any] = {}
        if isinstance(recorded, dict):
            for name, value in recorded.items():
                values[name] = value.get("nieuw") if isinstance(value, dict) else value
        if entity_id.isdigit():
            values = {**self._row(entity, int(entity_id)), **{k: v for k, v in values.items() if v}}
        if entity == "reg_agreement":
            key = values.get("key")
            return str(key) if key else None
        for name in ("agreement_key", "dossier_id"):
            if isinstance(values.get(name), str) and values[name]:
                return str(values[name])
        if isinstance(values.get("agreement_id"), int):
            return self.agreements.get(values["agreement_id"])
        if isinstance(values.get("meeting_id"), int):
            agreement = self.meetings.get(values["meeting_id"])
            return self.agreements.get(agreement) if agreement is not None else None
        return None


def _attribute_existing_entries(conn: sa.Connection) -> None:
    from registry.audit import ASSIGNMENT_ACTION, Change, append

    resolve = _Resolver(conn)
    found: dict[str, list[int]] = {}
    rows = conn.execute(
        sa.text("SELECT seq, entity, entity_id, changes FROM reg_audit ORDER BY seq")
    ).mappings()
    for row in rows:
        key = resolve(str(row["entity"]), str(row["entity_id"]), str(row["changes"]))
        if key is not None:
            found.setdefault(key, []).append(int(row["seq"]))
    if not found:
        return
    for key, seqs in found.items():
        for start in range(0, len(seqs), 500):
            conn.execute(
                sa.text("UPDATE reg_audit SET agreement_key = :key WHERE seq IN :seqs").bindparams(
                    sa.bindparam("seqs", expanding=True)
                ),
                {"key": key, "seqs": seqs[start : start + 500]},
            )
    record = {
        "overeenkomsten": {k: found[k] for k in sorted(found)},
        "reden": "bestaande regels toegewezen aan hun overeenkomst (migratie 0012_audit_tenancy)",
    }
    append(conn, [Change("systeem", ASSIGNMENT_ACTION, "reg_audit", "-", record)])
