"""The meeting check asks the database the same number of questions for 3 attendees as for 40: the cost
follows the concerns (one query each), never one query per attendee."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from registry.meetings import check_attendees
from registry.session import AuditedSession
from registry.sync import get_agreement, load_people
from templates.dossier.model import Dossier


def _count(session: AuditedSession, fn: Any) -> int:
    engine = session.get_bind()
    statements: list[str] = []

    def on_execute(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        fn()
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)
    return len(statements)


def test_meeting_check_query_count_does_not_grow_with_attendees(
    zeist_registry: AuditedSession, zeist_dossier: Dossier
) -> None:
    from datetime import date

    many = [
        {
            "key": f"extra-{i}",
            "name": f"Extra {i}",
            "email": f"extra{i}@example.nl",
            "organisation": "woongoed",
            "role": "professional" if i % 4 else "agendadeelnemer",
            "designated_from": "2018-06-14",
        }
        for i in range(40)
    ]
    load_people(zeist_registry, {"people": many}, zeist_dossier.id)
    zeist_registry.commit()
    agreement = get_agreement(zeist_registry, zeist_dossier.id)
    few = ["extra-1", "extra2@example.nl", "niemand@example.org"]
    lots = [f"extra-{i}" for i in range(37)] + ["extra37@example.nl", "Extra 38", "niemand@example.org"]
    on = date(2019, 5, 1)
    zeist_registry.expire_all()
    n_few = _count(zeist_registry, lambda: check_attendees(zeist_registry, agreement, few, on))
    zeist_registry.expire_all()
    n_lots = _count(zeist_registry, lambda: check_attendees(zeist_registry, agreement, lots, on))
    assert n_few == n_lots
    assert n_lots <= 12, n_lots
