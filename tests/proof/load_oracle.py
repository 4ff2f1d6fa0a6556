"""The oracle of a load run: every signing link is either complete (event + signed file with the recorded
SHA-256 + registry declaration + audit entries) or absent (unused link, no event, no declaration); nothing
twice; the audit chain holds. Used by tests/proof/test_load_fault.py and scripts/loadtest.py through
``bench.load.load_run(check=verify)``."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from bench.load import DOSSIER_ID, Installation
from registry.audit import verify_chain
from registry.database import make_engine
from registry.models import AuditEntry, DeclarationRecord, Person
from service.invitations.models import SigningEvent, SigningLink


@dataclass
class Verdict:
    complete: list[str] = field(default_factory=list)  # tokens fully signed
    absent: list[str] = field(default_factory=list)  # tokens with nothing done (link still usable)
    half_done: list[str] = field(default_factory=list)  # messages
    duplicated: list[str] = field(default_factory=list)
    orphan_files: list[str] = field(default_factory=list)  # signed PDFs no record points to
    chain_ok: bool = False
    chain_entries: int = 0
    chain_problems: list[str] = field(default_factory=list)

    @property
    def consistent(self) -> bool:
        return not self.half_done and not self.duplicated and self.chain_ok

    def summary(self) -> str:
        return (
            f"{len(self.complete)} volledig, {len(self.absent)} afwezig, {len(self.half_done)} half, "
            f"{len(self.duplicated)} dubbel, {len(self.orphan_files)} verweesde bestanden, "
            f"auditketen {'in orde' if self.chain_ok else 'VERBROKEN'} ({self.chain_entries} regels)"
        )


def verify(inst: Installation) -> Verdict:
    """Check every invitation of ``inst`` against the database, the stored files and the audit chain."""
    docs = inst.settings().documents_dir
    verdict = Verdict()
    engine = make_engine(inst.database_url)
    try:
        with Session(engine) as db:
            rows = db.execute(select(SigningLink)).scalars().all()
            links = {row.id: row for row in rows}
            events: dict[int, list[Any]] = {}
            for ev in db.execute(select(SigningEvent)).scalars():
                events.setdefault(ev.link_id, []).append(ev)
            persons = {p.key: p for p in db.execute(select(Person)).scalars()}
            declarations: dict[int, list[Any]] = {}
            for d in db.execute(select(DeclarationRecord)).scalars():
                declarations.setdefault(d.person_id, []).append(d)
            # The audit entry of a signing event carries its columns, the signed file's SHA-256 among them
            # (created rows are logged before their id is known, so the id cannot be used to match).
            audited = "\n".join(
                db.execute(
                    select(col(AuditEntry.changes)).where(col(AuditEntry.entity) == "sign_event")
                ).scalars()
            )
            referenced = {ev.file_path for evs in events.values() for ev in evs}
            for inv in inst.invitations:
                link = links.get(inv.link_id)
                evs = events.get(inv.link_id, [])
                person = persons.get(inv.person_key)
                decls = declarations.get(person.id, []) if person is not None else []
                if link is None:
                    verdict.half_done.append(f"link {inv.link_id} ontbreekt")
                    continue
                if len(evs) > 1 or len(decls) > 1:
                    verdict.duplicated.append(
                        f"link {inv.link_id}: {len(evs)} ondertekeningen, {len(decls)} verklaringen"
                    )
                    continue
                if link.used_at is None and not evs and not decls:
                    verdict.absent.append(inv.token)
                    continue
                problems = []
                if link.used_at is None:
                    problems.append("link niet als gebruikt gemarkeerd")
                if not evs:
                    problems.append("geen ondertekeningsregel (audit trail)")
                else:
                    ev = evs[0]
                    path = docs / ev.file_path
                    if not path.is_file():
                        problems.append(f"ondertekend bestand ontbreekt: {ev.file_path}")
                    elif hashlib.sha256(path.read_bytes()).hexdigest() != ev.sha256_after:
                        problems.append("ondertekend bestand wijkt af van de vastgelegde SHA-256")
                    if ev.sha256_after not in audited:
                        problems.append("ondertekening staat niet in het auditlog")
                    if decls and decls[0].document_sha256 != ev.sha256_after:
                        problems.append("registerverklaring wijst naar een ander document")
                if not decls:
                    problems.append("geen verklaring in het register")
                if problems:
                    verdict.half_done.append(f"link {inv.link_id}: " + "; ".join(problems))
                else:
                    verdict.complete.append(inv.token)
            signed_dir = docs / "ondertekening" / DOSSIER_ID / "verklaringen"
            if signed_dir.exists():
                for pdf in signed_dir.glob("verklaring-*.pdf"):  # concept-*.pdf: prepared, not signed
                    if pdf.relative_to(docs).as_posix() not in referenced:
                        verdict.orphan_files.append(pdf.name)
            with engine.connect() as conn:
                report = verify_chain(conn)
            verdict.chain_ok, verdict.chain_entries, verdict.chain_problems = (
                report.ok,
                report.entries,
                report.problems,
            )
    finally:
        engine.dispose()
    return verdict
