"""Renewing the archive timestamp of every stored, fully signed agreement whose newest timestamp's TSA
certificate expires within ``archive_renewal_margin_days``: fresh validation data and a new document
timestamp (``signing.renew_archive_timestamp``), written as a new file; the earlier file stays untouched.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session
from sqlmodel import select

from service.clock import utcnow
from service.invitations import files
from service.invitations.models import SigningRound
from service.settings import Settings

log = logging.getLogger("convenant.archive")


@dataclass
class RenewalReport:
    renewed: list[str] = field(default_factory=list)  # "<dossier>: vernieuwd tot <date>"
    skipped: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{len(self.renewed)} document(en) van een nieuw archieftijdstempel voorzien, "
            f"{self.skipped} nog niet nodig, {len(self.problems)} probleem/problemen."
        )


def renew_stored_documents(
    settings: Settings, *, now: datetime | None = None, margin_days: int | None = None
) -> RenewalReport:
    from registry.database import make_engine, writer
    from service.signatures.wiring import trust_for_signing
    from signing import SigningError, archive_expiry, renew_archive_timestamp, renewal_due

    now = now or utcnow()
    margin = timedelta(days=settings.archive_renewal_margin_days if margin_days is None else margin_days)
    report = RenewalReport()
    if not settings.tsa_url:
        report.problems.append("Er is geen tijdstempeldienst ingesteld (CONVENANT_TSA_URL); niets vernieuwd.")
        return report
    trust = trust_for_signing(settings)
    engine = make_engine(settings.effective_database_url)
    try:
        with Session(writer(engine)) as db:
            rounds = db.execute(select(SigningRound).where(SigningRound.status == "voltooid")).scalars().all()
            for rnd in rounds:
                path = Path(settings.documents_dir) / rnd.current_path
                try:
                    pdf = files.read_verified(path, rnd.current_sha256)
                    if not renewal_due(pdf, now, margin):
                        report.skipped += 1
                        continue
                    renewed = renew_archive_timestamp(pdf, settings.tsa_url, trust, now=now)
                except (SigningError, OSError, ValueError) as exc:
                    message = getattr(exc, "message", str(exc))
                    report.problems.append(f"{rnd.dossier_id}: {message}")
                    log.warning("archieftijdstempel %s niet vernieuwd: %s", rnd.dossier_id, message)
                    continue
                sha = files.sha256(renewed)
                target = path.with_name(f"{rnd.document}-archief-{sha[:16]}.pdf")
                files.write_atomic(target, renewed)  # a new file; the previous one is kept
                rnd.current_path = str(target.relative_to(settings.documents_dir))
                rnd.current_sha256 = sha
                db.add(rnd)
                db.commit()
                expires = archive_expiry(renewed)
                until = expires.date().isoformat() if expires else "?"
                report.renewed.append(f"{rnd.dossier_id}: vernieuwd, nieuw tijdstempel geldig tot {until}")
                log.info("archieftijdstempel vernieuwd: %s (tot %s)", rnd.dossier_id, until)
    finally:
        engine.dispose()
    return report
