"""Migration 0014: a provision's one ``purpose`` becomes the list ``purposes`` and back (issue 14, item 2)."""

from __future__ import annotations

import json

from alembic import command
from sqlalchemy import Engine, inspect, text

from registry.database import alembic_config, migrate, writer
from registry.provisions import ProvisionInput, record_provision
from registry.session import AuditedSession
from templates.dossier.model import Dossier


def _to(engine: Engine, revision: str, *, down: bool) -> None:
    cfg = alembic_config(str(engine.url))
    with writer(engine).begin() as conn:
        cfg.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(cfg, revision)


def test_existing_provisions_keep_their_purpose_as_a_list(
    engine: Engine, zeist_registry: AuditedSession, zeist_dossier: Dossier
) -> None:
    def provision(purposes: tuple[str, ...], reason: str) -> int:
        view = record_provision(
            zeist_registry,
            ProvisionInput(
                zeist_dossier.id,
                "wijkagent",
                "woongoed",
                zeist_dossier.term.start,
                reason,
                "d",
                "melding",
                purposes=purposes,
            ),
            recorded_by="test",
        )
        return view.id

    several = provision(("zorg", "overlast"), "twee doelen")
    one = provision(("overlast",), "een doel")
    zeist_registry.commit()
    zeist_registry.close()
    try:
        _to(engine, "0013_pages", down=True)
        columns = {c["name"] for c in inspect(engine).get_columns("reg_provision")}
        assert "purpose" in columns and "purposes" not in columns
        with engine.connect() as conn:
            old = dict(conn.execute(text("SELECT id, purpose FROM reg_provision")).all())
        assert old == {several: "zorg", one: "overlast"}  # the downgrade keeps the first purpose
        with writer(engine).begin() as conn:  # a row written by the old code, without a purpose
            conn.execute(text("UPDATE reg_provision SET purpose = NULL WHERE id = :i"), {"i": several})
        _to(engine, "head", down=False)
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT id, purposes FROM reg_provision")).all()
        new = {i: (json.loads(p) if isinstance(p, str) else p) for i, p in rows}
        assert new == {several: [], one: ["overlast"]}
    finally:
        migrate(engine)
