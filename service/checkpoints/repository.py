"""The queries of the audit checkpoints: the chain's head and the hash of one entry (``reg_audit``, read
on a plain connection). The only module of ``service.checkpoints`` that reads rows."""

from __future__ import annotations

from sqlalchemy import Connection, select

from registry.models import AuditEntry

_audit = AuditEntry.__table__  # type: ignore[attr-defined]


def chain_head(conn: Connection) -> tuple[int, str] | None:
    """The sequence number and hash of the newest audit entry; None when the log is empty."""
    row = conn.execute(select(_audit.c.seq, _audit.c.hash).order_by(_audit.c.seq.desc()).limit(1)).first()
    return (int(row[0]), str(row[1])) if row else None


def hash_at(conn: Connection, seq: int) -> str | None:
    """The stored hash of entry ``seq``; None when it no longer exists."""
    row = conn.execute(select(_audit.c.hash).where(_audit.c.seq == seq)).first()
    return str(row[0]) if row else None
