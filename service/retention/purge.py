"""The purge job: remove personal data whose retention period has passed, and log each removal.

What goes — each record under the retention of its own agreement (``policy.retention_rule``: the years
its dossier's legal model declares, cited from that dossier; the configured years when it declares none):

* police-data provisions (the besluit's records: reason, content, provider, recipient) — last processing
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
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from registry.audit import redact
from registry.rules import AgreementFacts, LegalFacts, TermEventFacts, term_status
from service.retention import repository
from service.retention.policy import (
    DEFAULT_RETENTION_YEARS,
    RetentionRule,
    declaration_last_processed,
    retention_answer,
    retention_rule,
)

log = logging.getLogger("convenant.retention")
ACTOR = "bewaartermijn (automatisch)"

AuditWriter = Callable[[Session, dict[str, Any]], None]


@dataclass(frozen=True)
class Purged:
    entity: str  # "verstrekking", "geheimhoudingsverklaring", "persoon"
    entity_id: int
    last_processed: date | None
    reason: str
    file: str | None = None
    article: str = ""
    agreement: str | None = None  # the key of the agreement it belonged to (files the audit entry)


@dataclass
class PurgeReport:
    now: datetime
    years: int
    dry_run: bool
    purged: list[Purged] = field(default_factory=list)
    files_removed: list[str] = field(default_factory=list)
    files_missing: list[str] = field(default_factory=list)
    orphans_removed: list[str] = field(default_factory=list)

    def count(self, entity: str) -> int:
        return sum(1 for p in self.purged if p.entity == entity)

    def summary(self) -> str:
        verb = "te verwijderen" if self.dry_run else "verwijderd"
        return (
            f"Bewaartermijn (per overeenkomst; anders {self.years} jaar) op {self.now.date().isoformat()}: "
            f"{self.count('verstrekking')} verstrekkingen, {self.count('geheimhoudingsverklaring')} "
            f"geheimhoudingsverklaringen, {self.count('deelname aan overleg')} deelnames aan overleg en "
            f"{self.count('persoon')} personen {verb}"
            + (f"; {len(self.files_removed)} bestanden verwijderd" if self.files_removed else "")
            + (f"; {len(self.orphans_removed)} verweesde bestanden opgeruimd" if self.orphans_removed else "")
            + "."
        )


def _day(value: date | datetime | None) -> date | None:
    if value is None:
        return None
    return value.date() if isinstance(value, datetime) else value


def _agreement_ended(session: Session, agreement: Any, today: date) -> date | None:
    """The last day the agreement was in force, or None while it runs (or has not started yet).

    Decided by the registry's term rule — the agreement's own legal model (``Agreement.legal``) over its term
    events — so a tacit renewal or a recorded renewal keeps it running; ``term_end`` alone is only the end of
    the first term. An agreement synced before the legal model existed only knows its first term."""
    if not agreement.legal:
        end: date = agreement.ended_on or agreement.term_end
        return end if end < today else None
    party_keys = repository.party_keys(session, agreement.id)
    events = [
        TermEventFacts(e.kind, e.occurred_on, party_keys.get(e.party_id), e.new_term_end, e.document_ref)
        for e in repository.term_events(session, agreement.id)
    ]
    facts = AgreementFacts(
        key=agreement.key,
        title=agreement.title,
        term_start=agreement.term_start,
        term_end=agreement.term_end,
        legal=LegalFacts.from_json(agreement.legal),
        parties=tuple(party_keys.values()),
        ended_on=agreement.ended_on,
    )
    if today < agreement.term_start:
        return None
    status = term_status(facts, events, today)
    return None if status.in_force else status.period_end


def _owned_declaration_file(session: Session, decl: Any, agreement: Any) -> str | None:
    """The stored PDF of a declaration, but only when this service signed it for this person under this
    agreement: a signing record of a declaration link (not an agreement round) for the same person and
    agreement, with the same file and SHA-256. A ``document`` given by hand (API, import) is a reference,
    never a file the purge may delete — otherwise it could name the signed agreement (issue 10, item 1)."""
    ref = decl.document_ref
    if not ref or agreement is None:
        return None
    person = repository.person(session, decl.person_id)
    if person is None:
        return None
    owned = repository.declaration_signed_here(session, ref, decl.document_sha256, person.key, agreement.key)
    if not owned or not ref.startswith(f"ondertekening/{agreement.key}/verklaringen/"):
        return None
    return str(ref)


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
    report = PurgeReport(now=now, years=years, dry_run=dry_run)
    today = now.date()
    if not repository.try_lock(session):
        log.info("bewaartermijn: een andere werker voert de opschoning al uit")
        return report

    persons_touched: set[int] = set()
    agreements = {a.id: a for a in repository.agreements(session)}
    fallback = RetentionRule(years, retention_rule(None, years).article)
    rules = {a_id: retention_rule(a.legal, years) for a_id, a in agreements.items()}

    for prov in repository.provisions(session):
        last = max(d for d in (_day(prov.provided_on), _day(prov.recorded_at)) if d is not None)
        answer = retention_answer(last, today, rules.get(prov.agreement_id, fallback))
        if answer.due:
            report.purged.append(
                Purged(
                    "verstrekking",
                    prov.id or 0,
                    last,
                    answer.reason,
                    article=answer.article,
                    agreement=_key(agreements, prov.agreement_id),
                )
            )
            persons_touched |= {prov.provider_id, prov.recipient_id}
            repository.delete(session, prov)

    ended_by_agreement: dict[int | None, date | None] = {}
    last_meetings = repository.last_meetings(session)
    for decl in repository.declarations(session):
        agreement = agreements.get(decl.agreement_id)
        if agreement is not None and agreement.id not in ended_by_agreement:
            ended_by_agreement[agreement.id] = _agreement_ended(session, agreement, today)
        ended = ended_by_agreement[agreement.id] if agreement is not None else decl.signed_on
        decl_last = declaration_last_processed(
            decl.signed_on, last_meetings.get((decl.agreement_id, decl.person_id)), ended, today
        )
        answer = retention_answer(decl_last, today, rules.get(decl.agreement_id, fallback))
        if answer.due:
            owned = _owned_declaration_file(session, decl, agreement)
            report.purged.append(
                Purged(
                    "geheimhoudingsverklaring",
                    decl.id or 0,
                    decl_last,
                    answer.reason,
                    owned,
                    answer.article,
                    agreement.key if agreement is not None else None,
                )
            )
            persons_touched.add(decl.person_id)
            repository.delete(session, decl)

    for attendee, held_on, agreement_id in repository.attendances(session):
        answer = retention_answer(held_on, today, rules.get(agreement_id, fallback))
        if answer.due:
            report.purged.append(
                Purged(
                    "deelname aan overleg",
                    attendee.id or 0,
                    held_on,
                    answer.reason,
                    article=answer.article,
                    agreement=_key(agreements, agreement_id),
                )
            )
            if attendee.person_id is not None:
                persons_touched.add(attendee.person_id)
            repository.delete(session, attendee)

    _purge_signing_records(session, report, today, fallback)

    session.flush()
    for person_id in sorted(persons_touched):
        if repository.is_referenced(session, person_id):
            continue
        person = repository.person(session, person_id)
        if person is None:
            continue
        report.purged.append(
            Purged("persoon", person_id, None, "geen verklaring, verstrekking, aanwijzing of overleg meer")
        )
        repository.delete(session, person)

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
                "agreement": item.agreement,
                "changes": {
                    "reden": item.reason,
                    "artikel": item.article or fallback.article,
                    "laatste_verwerking": item.last_processed.isoformat() if item.last_processed else None,
                    "document_verwijderd": bool(item.file),
                },
                "at": now,
            },
        )
    _redact_audit_entries(session, report, now)
    session.commit()
    _remove_files(report, documents_dir)
    if documents_dir is not None:
        _sweep_orphans(session, report, documents_dir, now)
    return report


# The table behind each kind of purged record, as the audit log names it.
_AUDIT_ENTITY = {
    "verstrekking": "reg_provision",
    "geheimhoudingsverklaring": "reg_declaration",
    "deelname aan overleg": "reg_meeting_attendee",
    "persoon": "reg_person",
    "ondertekeningsregel": "sign_event",
    "ondertekeningslink": "sign_link",
    "archiefkopie": "sign_archive",
}


def _redact_audit_entries(session: Session, report: PurgeReport, now: datetime) -> None:
    """The audit log copied each record when it was written; blank those copies too (the chain keeps
    their digests, so it still verifies) — otherwise the personal data would outlive its retention."""
    targets = [
        (_AUDIT_ENTITY[p.entity], str(p.entity_id)) for p in report.purged if p.entity in _AUDIT_ENTITY
    ]
    redact(
        session.connection(),
        targets,
        actor=ACTOR,
        reason="bewaartermijn verstreken (per verwijderd record: het artikel in de verwijderregel)",
        now=now,
    )


def _purge_signing_records(session: Session, report: PurgeReport, today: date, rule: RetentionRule) -> None:
    """The online signing trail of a purged declaration (IP address, browser, e-mail: service.invitations)
    goes with it; so does an invitation link that was never used, the configured years after it expired."""
    purged_files = {p.file for p in report.purged if p.entity == "geheimhoudingsverklaring" and p.file}
    # Only the trail of a declaration link: a round's (the agreement's) signing records are never purged.
    events = repository.declaration_signing_events(session, purged_files)
    link_ids = {e.link_id for e in events}
    # the archive-timestamped copies of the declaration (service.archive) go with it
    for version in repository.archive_versions_of(session, [e.id for e in events]):
        report.purged.append(
            Purged(
                "archiefkopie",
                version.id or 0,
                _day(version.created_at),
                "hoort bij een verwijderde geheimhoudingsverklaring",
                file=version.file_path,
                article=rule.article,
            )
        )
        repository.delete(session, version)
    session.flush()
    for event in events:
        report.purged.append(
            Purged(
                "ondertekeningsregel",
                event.id or 0,
                _day(event.signed_at),
                "hoort bij een verwijderde geheimhoudingsverklaring",
                article=rule.article,
                agreement=event.dossier_id,
            )
        )
        repository.delete(session, event)
    session.flush()
    for link in repository.signing_links(session, link_ids):
        report.purged.append(
            Purged(
                "ondertekeningslink",
                link.id or 0,
                _day(link.used_at),
                "hoort bij een verwijderde geheimhoudingsverklaring",
                article=rule.article,
                agreement=link.dossier_id,
            )
        )
        repository.delete(session, link)
    for link in repository.unused_declaration_links(session):
        last = _day(link.expires_at if link.revoked_at is None else min(link.expires_at, link.revoked_at))
        answer = retention_answer(last, today, rule)
        if answer.due and link.id not in link_ids:
            report.purged.append(
                Purged(
                    "ondertekeningslink",
                    link.id or 0,
                    last,
                    "nooit gebruikt; " + answer.reason,
                    article=answer.article,
                    agreement=link.dossier_id,
                )
            )
            repository.delete(session, link)


def _key(agreements: dict[int | None, Any], agreement_id: int | None) -> str | None:
    agreement = agreements.get(agreement_id)
    return str(agreement.key) if agreement is not None else None


ORPHAN_GRACE = timedelta(days=1)


def _sweep_orphans(session: Session, report: PurgeReport, documents_dir: Path, now: datetime) -> None:
    """Signed declarations on disk that no signing record points to — written just before a transaction
    that never committed (a crashed worker): the signature does not count and the link stayed usable, but
    the file holds personal data. Removed once a day old; so are interrupted temporary files and the
    prepared, unsigned concepts (``concept-<link>-<ground>-<day>.pdf``: valid only on their day)."""
    root = documents_dir / "ondertekening"
    if not root.exists():
        return
    referenced = repository.referenced_files(session)
    cutoff = (now - ORPHAN_GRACE).timestamp()
    for path in sorted(root.glob("*/verklaringen/*")):
        rel = path.relative_to(documents_dir).as_posix()
        pdf_rel = rel.removesuffix(".audit.json") + (".pdf" if rel.endswith(".audit.json") else "")
        stale_tmp = path.name.startswith(".") and path.name.endswith(".tmp")
        if (stale_tmp or pdf_rel not in referenced) and path.stat().st_mtime < cutoff:
            path.unlink()
            report.orphans_removed.append(rel)


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
            path.with_suffix(".audit.json").unlink(missing_ok=True)  # the signing trail stored beside it
        else:
            report.files_missing.append(item.file)
