"""Archive timestamps of stored signed documents: completed signing rounds and signed declarations.

A document whose newest document timestamp's TSA certificate expires within ``archive_renewal_margin_days``
gets fresh validation data and a new document timestamp (``signing.renew_archive_timestamp``); a document
signed while no TSA was configured (no document timestamp at all) gets its first one as soon as a TSA is.
Each renewal is written as a new file; the earlier file stays untouched. A round's current file moves to
the new one; a declaration keeps its signed file (its signing record points at it) and gains an
``ArchiveVersion`` row per renewal.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from registry.database import make_engine, writer
from service.archive import repository
from service.clock import utcnow
from service.invitations import files
from service.invitations.models import ArchiveVersion
from service.settings import Settings
from service.signatures.wiring import trust_for_signing
from signing import SigningError, archive_due, archive_expiry, renew_archive_timestamp
from templates.formatting import count_phrase

log = logging.getLogger("convenant.archive")


@dataclass
class RenewalReport:
    renewed: list[str] = field(default_factory=list)  # "<dossier>: vernieuwd tot <date>"
    first: int = 0  # of which received their first archive timestamp
    skipped: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{count_phrase(len(self.renewed), 'document', 'documenten')} van een nieuw archieftijdstempel "
            f"voorzien (waarvan {self.first} voor het eerst), "
            f"{self.skipped} nog niet nodig, {count_phrase(len(self.problems), 'probleem', 'problemen')}."
        )


@dataclass
class _Renewal:
    settings: Settings
    now: datetime
    margin: timedelta
    report: RenewalReport
    renew: Callable[[bytes], bytes]

    def __call__(
        self, label: str, path: Path, sha256: str, name: str
    ) -> tuple[Path, str, datetime | None] | None:
        """Renew the file at ``path`` when due; the new file is written beside it as ``name``-<sha>.pdf."""
        try:
            pdf = files.read_verified(path, sha256)
            due = archive_due(pdf, self.now, self.margin)
            if due is None:
                self.report.skipped += 1
                return None
            renewed = self.renew(pdf)
        except (SigningError, OSError, ValueError) as exc:
            message = getattr(exc, "message", str(exc))
            self.report.problems.append(f"{label}: {message}")
            log.warning("archieftijdstempel %s niet vernieuwd: %s", label, message)
            return None
        sha = files.sha256(renewed)
        target = path.with_name(f"{name}-{sha[:16]}.pdf")
        files.write_atomic(target, renewed)  # a new file; the previous one is kept
        expires = archive_expiry(renewed)
        until = expires.date().isoformat() if expires else "?"
        kind = "eerste archieftijdstempel" if due == "eerste" else "vernieuwd"
        self.report.first += due == "eerste"
        self.report.renewed.append(f"{label}: {kind}, tijdstempel geldig tot {until}")
        log.info("archieftijdstempel %s: %s (tot %s)", label, kind, until)
        return target, sha, expires


def renew_stored_documents(
    settings: Settings, *, now: datetime | None = None, margin_days: int | None = None
) -> RenewalReport:
    now = now or utcnow()
    margin = timedelta(days=settings.archive_renewal_margin_days if margin_days is None else margin_days)
    report = RenewalReport()
    tsa_url = settings.tsa_url
    if not tsa_url:
        report.problems.append("Er is geen tijdstempeldienst ingesteld (CONVENANT_TSA_URL); niets vernieuwd.")
        return report
    trust = trust_for_signing(settings)
    renewal = _Renewal(
        settings, now, margin, report, lambda pdf: renew_archive_timestamp(pdf, tsa_url, trust, now=now)
    )
    documents = Path(settings.documents_dir)
    engine = make_engine(settings.effective_database_url)
    try:
        with Session(writer(engine)) as db:
            for rnd in repository.completed_rounds(db):
                path = documents / rnd.current_path
                done = renewal(rnd.dossier_id, path, rnd.current_sha256, f"{rnd.document}-archief")
                if done is not None:
                    rnd.current_path = str(done[0].relative_to(documents))
                    rnd.current_sha256 = done[1]
                    repository.save(db, rnd)
            for event in repository.declaration_events(db):
                latest = repository.latest_archive_version(db, event.id)
                rel, sha = (
                    (latest.file_path, latest.sha256) if latest else (event.file_path, event.sha256_after)
                )
                label = f"{event.dossier_id}: verklaring (link {event.link_id})"
                done = renewal(label, documents / rel, sha, f"verklaring-{event.link_id}-archief")
                if done is not None:
                    version = ArchiveVersion(
                        event_id=event.id or 0,
                        file_path=str(done[0].relative_to(documents)),
                        sha256=done[1],
                        created_at=now,
                        timestamp_expires_at=done[2],
                    )
                    repository.save(db, version)
    finally:
        engine.dispose()
    return report
