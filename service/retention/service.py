"""The retention work as the CLI and the periodic task call it: open the database, run, close."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from registry.database import make_engine, writer
from service.clock import today, utcnow
from service.retention.audit import write_audit
from service.retention.inzage import SubjectExport, collect, write_export
from service.retention.purge import PurgeReport, run_purge
from service.settings import Settings


def _engine(settings: Settings):  # type: ignore[no-untyped-def]
    return make_engine(settings.effective_database_url), writer


def purge(settings: Settings, *, now: datetime | None = None, dry_run: bool = False) -> PurgeReport:
    """Purge what is due at ``now`` (default: the current moment, UTC)."""
    engine, writer = _engine(settings)
    try:
        with Session(writer(engine)) as session:
            return run_purge(
                session,
                now=now or utcnow(),
                documents_dir=settings.documents_dir,
                audit=write_audit,
                years=settings.retention_years,
                dry_run=dry_run,
            )
    finally:
        engine.dispose()


def inzage(
    settings: Settings, subject: str, *, out_dir: Path | None = None, received_on: date | None = None
) -> tuple[SubjectExport, list[Path]]:
    """Collect everything about ``subject``; with ``out_dir``, write JSON, CSV, PDF and documents."""
    engine, _ = _engine(settings)
    try:
        with Session(engine) as session:
            export = collect(session, subject, received_on=received_on or today())
    finally:
        engine.dispose()
    written = write_export(export, out_dir, settings.documents_dir) if out_dir else []
    return export, written
