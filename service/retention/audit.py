"""Adapter from a purge event to the registry's hash-chained audit log (``registry.audit.append``).

The purge runs in a plain session (not ``registry.session.AuditedSession``): that session would log each
deleted row with all its columns, copying the very personal data being purged into the permanent chain.
Instead each removal is logged once, with the entity, its id, the date of last processing and the
article — nothing of the content removed.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from registry.audit import Change, append


def write_audit(session: Session, event: dict[str, Any]) -> None:
    change = Change(
        actor=event["actor"],
        action=event["action"],
        entity=event["entity"],
        entity_id=event["entity_id"],
        changes=event["changes"],
        agreement=event.get("agreement"),
    )
    append(session.connection(), [change], now=event.get("at"))
