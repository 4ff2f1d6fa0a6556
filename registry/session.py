"""Sessions that write every change to the audit chain, and one-transaction-per-unit-of-work scopes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event, inspect, select
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session

from registry.audit import Change, append
from registry.database import writer
from registry.models import Agreement, AuditEntry, Meeting

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


def file_under(session: OrmSession, agreement_key: str | None) -> None:
    """The agreement this unit of work concerns (set by a request's access checks, or a sync): every entry
    about a row that does not name its agreement itself (a person, an organisation, an account) is filed
    under it in the audit log."""
    session.info["agreement"] = agreement_key


def made_by_organisation(session: OrmSession, organisation_id: int | None) -> None:
    """The staff organisation of the account making the changes (set by the access guard)."""
    session.info["organisation"] = organisation_id


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


_AGREEMENT = Agreement.__table__  # type: ignore[attr-defined]
_MEETING = Meeting.__table__  # type: ignore[attr-defined]


class _AgreementOf:
    """Which agreement a changed row concerns, from its own columns (by name, for every table):
    ``agreement_key`` or ``dossier_id`` (a dossier's id is its agreement's key), ``agreement_id``, or
    ``meeting_id`` (the meeting's agreement); an agreement row is its own. Lookups are cached per flush and
    see rows of the same flush (also deleted ones)."""

    def __init__(self, session: OrmSession) -> None:
        self.session = session
        self.keys: dict[int, str] = {}
        self.meetings: dict[int, int] = {}

    def _deleted(self, model: type[Any], row_id: int) -> Any:
        for obj in self.session.deleted:  # rows removed in this flush are gone from the database already
            if isinstance(obj, model) and obj.__dict__.get("id") == row_id:
                return obj
        return None

    def _key(self, agreement_id: int) -> str | None:
        if agreement_id not in self.keys:
            found = self.session.execute(
                select(_AGREEMENT.c.key).where(_AGREEMENT.c.id == agreement_id)
            ).first()
            gone = self._deleted(Agreement, agreement_id) if found is None else None
            if found is None and gone is None:
                return None
            self.keys[agreement_id] = str(found[0] if found is not None else gone.__dict__.get("key"))
        return self.keys[agreement_id]

    def _meeting_agreement(self, meeting_id: int) -> int | None:
        if meeting_id not in self.meetings:
            found = self.session.execute(
                select(_MEETING.c.agreement_id).where(_MEETING.c.id == meeting_id)
            ).first()
            gone = self._deleted(Meeting, meeting_id) if found is None else None
            if found is None and gone is None:
                return None
            self.meetings[meeting_id] = int(found[0] if found is not None else gone.__dict__["agreement_id"])
        return self.meetings[meeting_id]

    def __call__(self, obj: Any) -> str | None:
        if isinstance(obj, Agreement):
            return obj.key
        for name in ("agreement_key", "dossier_id"):
            value = getattr(obj, name, None)
            if isinstance(value, str) and value:
                return value
        agreement_id = getattr(obj, "agreement_id", None)
        if isinstance(agreement_id, int):
            return self._key(agreement_id)
        meeting_id = getattr(obj, "meeting_id", None)
        if isinstance(meeting_id, int):
            agreement = self._meeting_agreement(meeting_id)
            return self._key(agreement) if agreement is not None else None
        return None


@event.listens_for(AuditedSession, "after_flush")
def _record_changes(session: OrmSession, _ctx: Any) -> None:
    actor = str(session.info.get("actor", SYSTEM_ACTOR))
    context = session.info.get("agreement")
    organisation = session.info.get("organisation")
    agreement_of = _AgreementOf(session)
    changes: list[Change] = []

    def change(action: str, obj: Any, body: dict[str, Any]) -> Change:
        agreement = agreement_of(obj) or context
        return Change(actor, action, type(obj).__tablename__, _ident(obj), body, agreement, organisation)

    def skip(obj: Any) -> bool:
        if isinstance(obj, AuditEntry):
            return True
        table = getattr(obj, "__table__", None)
        return table is not None and table.info.get("audited", True) is False

    for obj in session.new:
        if skip(obj):
            continue
        changes.append(change("aangemaakt", obj, _columns(obj)))
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
            changes.append(change("gewijzigd", obj, diff))
    for obj in session.deleted:
        if skip(obj):
            continue
        changes.append(change("verwijderd", obj, _columns(obj)))
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
