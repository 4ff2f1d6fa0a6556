"""The purge job: remove personal data whose retention period has passed, and log each removal.

What goes (Amsterdam art. 13 lid 2, at most 5 years after the last processing):

* police-data provisions (Besluit §3 records: reason, content, provider, recipient) — last processing
  is the day of the provision or of its recording, whichever is later;
* geheimhoudingsverklaringen and their signed PDF — last processing is the latest of signing, the
  last meeting the participant attended under that agreement and the end of the agreement (while the
  agreement runs, the declaration is in use and stays);
* attendance of a meeting (who was there) — last processing is the day of the meeting;
* a person who was referred to by a removed record and is referred to by nothing else any more.

Every removal is written to the audit log (entity, id, date of last processing, article) without
repeating the personal data removed. One transaction per run: a failure removes nothing. Files are
deleted after the commit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from service.retention.policy import (
    DEFAULT_RETENTION_YEARS,
    RETENTION_ARTICLE,
    declaration_last_processed,
    retention_answer,
)

log = logging.getLogger("convenant.retention")
ACTOR = "bewaartermijn (automatisch)"
ADVISORY_LOCK_KEY = 0x636F6E76  # "conv": one purge at a time across workers on PostgreSQL

AuditWriter = Callable[[Session, dict[str, Any]], None]


@dataclass(frozen=True)
class Purged:
    entity: str  # "verstrekking", "geheimhoudingsverklaring", "persoon"
    entity_id: int
    last_processed: date | None
    reason: str
    file: str | None = None


@dataclass
class PurgeReport:
    now: datetime
    years: int
    dry_run: bool
    purged: list[Purged] = field(default_factory=list)
    files_removed: list[str] = field(default_factory=list)
    files_missing: list[str] = field(default_factory=list)

    def count(self, entity: str) -> int:
        return sum(1 for p in self.purged if p.entity == entity)

    def summary(self) -> str:
        verb = "te verwijderen" if self.dry_run else "verwijderd"
        return (
            f"Bewaartermijn ({RETENTION_ARTICLE}, {self.years} jaar) op {self.now.date().isoformat()}: "
            f"{self.count('verstrekking')} verstrekkingen, {self.count('geheimhoudingsverklaring')} "
            f"geheimhoudingsverklaringen, {self.count('deelname aan overleg')} deelnames aan overleg en "
            f"{self.count('persoon')} personen {verb}"
            + (f"; {len(self.files_removed)} bestanden verwijderd" if self.files_removed else "")
            + "."
        )


def _day(value: date | datetime | None) -> date | None:
    if value is None:
        return None
    return value.date() if isinstance(value, datetime) else value


def _agreement_ended(agreement: Any, today: date) -> date | None:
    """The day the agreement ended, or None while it runs."""
    if agreement.ended_on is not None:
        return agreement.ended_on
    if agreement.status != "actief" or agreement.term_end < today:
        return agreement.term_end
    return None


def _lock(session: Session) -> bool:
    if session.get_bind().dialect.name != "postgresql":
        return True  # SQLite: the registry's writer transaction (BEGIN IMMEDIATE) serialises writers
    return bool(
        session.execute(text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": ADVISORY_LOCK_KEY}).scalar()
    )


def run_purge(
    session: Session,
    *,
    now: datetime,
    documents_dir: Path | None,
    audit: AuditWriter,
    years: int = DEFAULT_RETENTION_YEARS,
    dry_run: bool = False,
) -> PurgeReport:
    """Purge what is due on ``now`` (injected: tests control the clock). Commits on success."""
    from registry.models import Agreement, DeclarationRecord, Meeting, MeetingAttendee, Person, Provision

    report = PurgeReport(now=now, years=years, dry_run=dry_run)
    today = now.date()
    if not _lock(session):
        log.info("bewaartermijn: een andere werker voert de opschoning al uit")
        return report

    persons_touched: set[int] = set()

    for prov in session.scalars(select(Provision).order_by(Provision.id)):
        last = max(d for d in (_day(prov.provided_on), _day(prov.recorded_at)) if d is not None)
        answer = retention_answer(last, today, years)
        if answer.due:
            report.purged.append(Purged("verstrekking", prov.id or 0, last, answer.reason))
            persons_touched |= {prov.provider_id, prov.recipient_id}
            session.delete(prov)

    agreements = {a.id: a for a in session.scalars(select(Agreement))}
    last_meetings = {
        (row.agreement_id, row.person_id): row.last
        for row in session.execute(
            select(Meeting.agreement_id, MeetingAttendee.person_id, func.max(Meeting.held_on).label("last"))
            .join(MeetingAttendee, MeetingAttendee.meeting_id == Meeting.id)
            .where(MeetingAttendee.person_id.is_not(None))
            .group_by(Meeting.agreement_id, MeetingAttendee.person_id)
        )
    }
    for decl in session.scalars(select(DeclarationRecord).order_by(DeclarationRecord.id)):
        agreement = agreements.get(decl.agreement_id)
        ended = _agreement_ended(agreement, today) if agreement is not None else decl.signed_on
        last = declaration_last_processed(
            decl.signed_on, last_meetings.get((decl.agreement_id, decl.person_id)), ended, today
        )
        answer = retention_answer(last, today, years)
        if answer.due:
            report.purged.append(
                Purged("geheimhoudingsverklaring", decl.id or 0, last, answer.reason, decl.document_ref)
            )
            persons_touched.add(decl.person_id)
            session.delete(decl)

    for attendee, held_on in session.execute(
        select(MeetingAttendee, Meeting.held_on)
        .join(Meeting, MeetingAttendee.meeting_id == Meeting.id)
        .order_by(MeetingAttendee.id)
    ):
        answer = retention_answer(held_on, today, years)
        if answer.due:
            report.purged.append(Purged("deelname aan overleg", attendee.id or 0, held_on, answer.reason))
            if attendee.person_id is not None:
                persons_touched.add(attendee.person_id)
            session.delete(attendee)

    session.flush()
    for person_id in sorted(persons_touched):
        if _still_referenced(session, person_id):
            continue
        person = session.get(Person, person_id)
        if person is None:
            continue
        report.purged.append(
            Purged("persoon", person_id, None, "geen verklaring, verstrekking, aanwijzing of overleg meer")
        )
        session.delete(person)

    if dry_run:  # everything above ran for real inside the transaction: the report is exact
        session.rollback()
        return report

    for item in report.purged:
        audit(
            session,
            {
                "actor": ACTOR,
                "action": "verwijderd",
                "entity": item.entity,
                "entity_id": str(item.entity_id),
                "changes": {
                    "reden": item.reason,
                    "artikel": RETENTION_ARTICLE,
                    "laatste_verwerking": item.last_processed.isoformat() if item.last_processed else None,
                    "document_verwijderd": bool(item.file),
                },
                "at": now,
            },
        )
    session.commit()
    _remove_files(report, documents_dir)
    return report


def _still_referenced(session: Session, person_id: int) -> bool:
    from registry.models import (
        DeclarationRecord,
        Designation,
        Meeting,
        MeetingAttendee,
        Provision,
    )

    checks = [
        select(Designation.id).where(Designation.person_id == person_id),
        select(DeclarationRecord.id).where(DeclarationRecord.person_id == person_id),
        select(Provision.id).where(
            (Provision.provider_id == person_id) | (Provision.recipient_id == person_id)
        ),
        select(MeetingAttendee.id).where(MeetingAttendee.person_id == person_id),
        select(Meeting.id).where(Meeting.coordinator_id == person_id),
    ]
    return any(session.execute(q.limit(1)).first() is not None for q in checks)


def _remove_files(report: PurgeReport, documents_dir: Path | None) -> None:
    if documents_dir is None:
        return
    root = documents_dir.resolve()
    for item in report.purged:
        if not item.file:
            continue
        path = (root / item.file).resolve()
        if not path.is_relative_to(root):
            log.warning("bewaartermijn: documentverwijzing buiten de documentmap genegeerd: %s", item.file)
            continue
        if path.exists():
            path.unlink()
            report.files_removed.append(item.file)
        else:
            report.files_missing.append(item.file)
