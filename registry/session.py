"""Sessions that write every change to the audit chain, and one-transaction-per-unit-of-work scopes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event, inspect
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session

from registry.audit import Change, append
from registry.database import writer
from registry.models import AuditEntry

SYSTEM_ACTOR = "systeem"


class AuditedSession(Session):
    """A SQLModel session whose flushes append audit entries; the actor comes from ``info["actor"]``."""

    def __init__(self, *args: Any, actor: str = SYSTEM_ACTOR, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.info["actor"] = actor

    @property
    def actor(self) -> str:
        return str(self.info.get("actor", SYSTEM_ACTOR))

    @actor.setter
    def actor(self, value: str) -> None:
        self.info["actor"] = value


_SENSITIVE = ("password", "wachtwoord", "secret", "token", "_hash")
REDACTED = "[verborgen]"
# Operational rows that are not changes to the registry (sign-in attempts, sessions) say so on their
# table: ``__table_args__ = {"info": NOT_AUDITED}``. The owner of a table decides, not this module.
NOT_AUDITED = {"audited": False}
HEARTBEAT_COLUMNS = frozenset({"last_used_at", "last_seen_at"})


def _redact(key: str, value: Any) -> Any:
    """Secrets (password hashes, token hashes) never enter the audit log; that they changed does."""
    return REDACTED if value is not None and any(s in key.lower() for s in _SENSITIVE) else value


def _columns(obj: Any) -> dict[str, Any]:
    mapper = inspect(obj).mapper
    return {c.key: _redact(c.key, getattr(obj, c.key)) for c in mapper.column_attrs}


def _ident(obj: Any) -> str:
    # After a flush the primary key of a new row is set on the object, while its identity key is
    # assigned only later: read the key columns themselves so created rows are logged with their id.
    state = inspect(obj)
    key = state.mapper.primary_key_from_instance(obj)
    return ",".join(str(i) for i in key) if key and None not in key else "?"


@event.listens_for(AuditedSession, "after_flush")
def _record_changes(session: OrmSession, _ctx: Any) -> None:
    actor = str(session.info.get("actor", SYSTEM_ACTOR))
    changes: list[Change] = []

    def skip(obj: Any) -> bool:
        if isinstance(obj, AuditEntry):
            return True
        table = getattr(obj, "__table__", None)
        return table is not None and table.info.get("audited", True) is False

    for obj in session.new:
        if skip(obj):
            continue
        changes.append(Change(actor, "aangemaakt", type(obj).__tablename__, _ident(obj), _columns(obj)))
    for obj in session.dirty:
        if skip(obj):
            continue
        state = inspect(obj)
        diff: dict[str, Any] = {}
        for attr in state.mapper.column_attrs:
            hist = state.attrs[attr.key].history
            if hist.has_changes():
                old = hist.deleted[0] if hist.deleted else None
                new = hist.added[0] if hist.added else None
                if old != new:
                    diff[attr.key] = {"oud": _redact(attr.key, old), "nieuw": _redact(attr.key, new)}
        if diff and not set(diff) <= HEARTBEAT_COLUMNS:
            changes.append(Change(actor, "gewijzigd", type(obj).__tablename__, _ident(obj), diff))
    for obj in session.deleted:
        if skip(obj):
            continue
        changes.append(Change(actor, "verwijderd", type(obj).__tablename__, _ident(obj), _columns(obj)))
    if changes:
        append(session.connection(), changes)


@contextmanager
def unit_of_work(
    engine: Engine, *, actor: str = SYSTEM_ACTOR, write: bool = True
) -> Iterator[AuditedSession]:
    """One transaction: committed when the block ends, rolled back on any error."""
    bind = writer(engine) if write else engine
    session = AuditedSession(bind, actor=actor, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
