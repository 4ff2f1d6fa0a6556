"""The audit log: every change with actor, time and what changed, chained to the previous entry by SHA-256.

Entries are written automatically by :class:`registry.session.AuditedSession` after each flush (inserts,
updates, deletes of registry rows). Appends are serialised: on PostgreSQL with a transaction-scoped
advisory lock, on SQLite by write transactions that start with ``BEGIN IMMEDIATE`` (see
``registry.database.writer``); the unique ``seq`` column refuses any fork that slips through.

``verify_chain(session)`` recomputes the chain and reports every edited, removed or inserted entry.
Removing the newest entries leaves a valid shorter chain; to detect that, compare with a head hash kept
elsewhere (``expected_head``).

The chain hashes the SHA-256 *digest* of each entry's changes, not the text itself. That lets the
retention job blank the personal data in old entries (``redact``: the agreement's retention period reaches
the log too) while the chain still verifies: a redacted entry keeps its digest, and the redaction is itself an
entry naming every ``seq`` it blanked. An entry blanked without such a record, or whose text no longer
matches its digest, is reported as edited.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, text

from registry.models import AuditEntry

GENESIS = "0" * 64
_LOCK_KEY = 727_274_001  # pg_advisory_xact_lock key for the audit chain
_audit = AuditEntry.__table__  # type: ignore[attr-defined]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def canonical_changes(changes: dict[str, Any]) -> str:
    return json.dumps(_plain(changes), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


REDACTED_CHANGES = '{"geredigeerd":"persoonsgegevens verwijderd na afloop van de bewaartermijn"}'
REDACTION_ACTION = "geredigeerd"
# Entries written before the tenancy columns existed hash without them. The migration that added the
# columns filled in the agreement of each such entry it could attribute and recorded that in one entry of
# its own (action ``toegewezen``, changes ``{"overeenkomsten": {key: [seq, ...]}}``), which the chain covers:
# a legacy entry may carry an agreement only as that record says.
ASSIGNMENT_ACTION = "toegewezen"


def changes_digest(changes: str) -> str:
    return hashlib.sha256(changes.encode()).hexdigest()


def entry_hash(
    prev_hash: str,
    seq: int,
    at: str,
    actor: str,
    action: str,
    entity: str,
    entity_id: str,
    digest: str,
    agreement: str | None = None,
    organisation: int | None = None,
) -> str:
    """The hash of one entry. The tenancy columns (the agreement an entry concerns, the organisation of the
    account that made it) are part of it when set: moving an entry to another agreement, or out of every
    agreement, changes its hash. Entries written before those columns existed hash without them (so their
    hashes, and the checkpoints naming them, stay valid); see ``ASSIGNMENT_ACTION`` for how they got one."""
    fields: dict[str, Any] = {
        "seq": seq,
        "at": at,
        "actor": actor,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "changes_sha256": digest,
    }
    if agreement is not None:
        fields["agreement"] = agreement
    if organisation is not None:
        fields["organisation"] = organisation
    payload = json.dumps(
        fields,
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(f"{prev_hash}\n{payload}".encode()).hexdigest()


@dataclass(frozen=True)
class Change:
    actor: str
    action: str  # aangemaakt | gewijzigd | verwijderd | a domain verb
    entity: str
    entity_id: str
    changes: dict[str, Any]
    agreement: str | None = None  # the key of the agreement the entry concerns (None: instance-wide)
    organisation: int | None = None  # the staff organisation of the account that made it, when known


def lock_chain(conn: Connection) -> None:
    """Serialise appends for the rest of this transaction (PostgreSQL; SQLite relies on BEGIN IMMEDIATE)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})


def append(conn: Connection, changes: Iterable[Change], *, now: datetime | None = None) -> str | None:
    """Append ``changes`` to the chain within the caller's transaction; returns the new head hash."""
    items = list(changes)
    if not items:
        return None
    lock_chain(conn)
    head = conn.execute(select(_audit.c.seq, _audit.c.hash).order_by(_audit.c.seq.desc()).limit(1)).first()
    seq, prev = (head[0], head[1]) if head else (0, GENESIS)
    at = (now or datetime.now(UTC)).isoformat(timespec="microseconds")
    rows = []
    for c in items:
        seq += 1
        body = canonical_changes(c.changes)
        digest = changes_digest(body)
        h = entry_hash(
            prev, seq, at, c.actor, c.action, c.entity, c.entity_id, digest, c.agreement, c.organisation
        )
        rows.append(
            {
                "seq": seq,
                "at": at,
                "actor": c.actor,
                "action": c.action,
                "entity": c.entity,
                "entity_id": c.entity_id,
                "changes": body,
                "changes_digest": digest,
                "agreement_key": c.agreement,
                "organisation_id": c.organisation,
                "prev_hash": prev,
                "hash": h,
            }
        )
        prev = h
    conn.execute(insert(_audit), rows)
    return prev


def _assignments(conn: Connection) -> dict[int, str]:
    """seq -> agreement key, as recorded by the first ``toegewezen`` entry (the migration's, see
    ``ASSIGNMENT_ACTION``), for entries before it. A later one counts for nothing: appending an entry
    cannot move an old entry to another agreement."""
    out: dict[int, str] = {}
    query = (
        select(_audit.c.seq, _audit.c.changes)
        .where(_audit.c.action == ASSIGNMENT_ACTION, _audit.c.entity == "reg_audit")
        .order_by(_audit.c.seq)
        .limit(1)
    )
    for at, body in conn.execute(query):
        try:
            for key, seqs in json.loads(body).get("overeenkomsten", {}).items():
                out.update((int(s), str(key)) for s in seqs if int(s) < at)
        except (ValueError, TypeError, AttributeError):
            pass  # a damaged record is caught by its own digest check
    return out


@dataclass
class ChainReport:
    ok: bool
    entries: int
    head: str
    problems: list[str] = field(default_factory=list)
    # the entry each problem is about (None: the chain as a whole), parallel to ``problems``
    problem_seqs: list[int | None] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "in_orde": self.ok,
            "aantal": self.entries,
            "laatste_hash": self.head,
            "problemen": self.problems,
        }


def verify_chain(conn: Connection, *, expected_head: str | None = None) -> ChainReport:
    """Recompute the whole chain. Reports edited entries (hash mismatch), removed entries (gap in ``seq`` or
    a broken link) and inserted entries (a link that does not match its predecessor)."""
    problems: list[str] = []
    seqs: list[int | None] = []

    def problem(about: int | None, text: str) -> None:
        problems.append(text)
        seqs.append(about)

    prev = GENESIS
    expected_seq = 1
    count = 0
    redactions: set[int] = set()
    for (body,) in conn.execute(select(_audit.c.changes).where(_audit.c.action == REDACTION_ACTION)):
        try:
            redactions.update(int(s) for s in json.loads(body).get("regels", []))
        except (ValueError, TypeError, AttributeError):
            pass  # a damaged redaction record is caught by its own digest check below
    assigned = _assignments(conn)
    rows = conn.execute(select(_audit).order_by(_audit.c.seq)).mappings()
    for row in rows:
        count += 1
        seq = row["seq"]
        if seq != expected_seq:
            if seq > expected_seq:
                problem(seq, f"regel(s) {expected_seq}–{seq - 1} ontbreken (verwijderd) vóór regel {seq}")
            else:
                problem(seq, f"regel {seq} staat niet op zijn plaats (ingevoegd)")
        if row["prev_hash"] != prev:
            problem(seq, f"regel {seq}: verwijst niet naar de vorige regel (ingevoegd of verwijderd)")
        base = (
            row["prev_hash"],
            seq,
            row["at"],
            row["actor"],
            row["action"],
            row["entity"],
            row["entity_id"],
            row["changes_digest"],
        )
        agreement, organisation = row["agreement_key"], row["organisation_id"]
        recomputed = entry_hash(*base, agreement, organisation)
        if agreement is None and seq in assigned:
            problem(seq, f"regel {seq}: overeenkomst gewijzigd (niet zoals vastgelegd)")
        if recomputed != row["hash"] and (agreement is not None or organisation is not None):
            # an entry from before the tenancy columns: hashed without them, its agreement as recorded
            if entry_hash(*base) == row["hash"]:
                if organisation is not None or assigned.get(seq) != agreement:
                    problem(seq, f"regel {seq}: overeenkomst gewijzigd (niet zoals vastgelegd)")
                recomputed = row["hash"]
        if recomputed != row["hash"]:
            problem(seq, f"regel {seq}: inhoud gewijzigd (hash klopt niet)")
        elif row["changes"] == REDACTED_CHANGES:
            if seq not in redactions:
                problem(seq, f"regel {seq}: inhoud verwijderd zonder vastgelegde redactie")
        elif changes_digest(row["changes"]) != row["changes_digest"]:
            problem(seq, f"regel {seq}: inhoud gewijzigd (hash klopt niet)")
        prev = row["hash"]
        expected_seq = seq + 1
    if expected_head is not None and expected_head != prev:
        problem(
            None, "de laatste hash wijkt af van de verwachte: regels aan het eind verwijderd of toegevoegd"
        )
    return ChainReport(ok=not problems, entries=count, head=prev, problems=problems, problem_seqs=seqs)


def redact(
    conn: Connection,
    targets: Iterable[tuple[str, str]],
    *,
    actor: str,
    reason: str,
    now: datetime | None = None,
) -> list[int]:
    """Blank the changes of every entry about the given (entity, entity_id) pairs, keeping their digests,
    and append one entry recording which ``seq`` were blanked and why. Returns the blanked seqs."""
    pairs = sorted(set(targets))
    if not pairs:
        return []
    lock_chain(conn)
    seqs: list[int] = []
    for entity, entity_id in pairs:
        found = conn.execute(
            select(_audit.c.seq).where(
                _audit.c.entity == entity,
                _audit.c.entity_id == entity_id,
                _audit.c.action != REDACTION_ACTION,
                _audit.c.changes != REDACTED_CHANGES,
            )
        ).scalars()
        seqs.extend(found)
    seqs.sort()
    if not seqs:
        return []
    conn.execute(_audit.update().where(_audit.c.seq.in_(seqs)).values(changes=REDACTED_CHANGES))
    append(
        conn,
        [Change(actor, REDACTION_ACTION, "reg_audit", "-", {"regels": seqs, "reden": reason})],
        now=now,
    )
    return seqs
