"""Builders for registry rows used by the proof tests (real rows in a real, migrated database)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.orm import Session

from tests.registry.factories import example_legal


@dataclass
class World:
    agreement_id: int
    besluit_id: int
    wijkagent_id: int
    professional_id: int
    deelnemer_id: int
    organisation_id: int


def _k(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def _legal(term_kind: str = "vast") -> dict[str, Any]:
    """The Amsterdam legal model (retention 5 years, art. 13 lid 2; inzage 4 weeks, art. 15 lid 1) with the
    given term rule: by default a fixed term, so the world's agreement ends on its term_end."""
    data = example_legal("amsterdam").as_json()
    data["model"]["term"]["kind"] = term_kind
    return data


def build_world(
    session: Session, *, term_end: date = date(2019, 12, 31), ended_on: date | None = None
) -> World:
    from registry.models import Agreement, BesluitRecord, Organisation, Person

    police = Organisation(key=_k("politie"), name="Politie Midden-Nederland", kind="politie")
    gemeente = Organisation(key=_k("gemeente"), name="Gemeente Zeist", kind="gemeente")
    session.add_all([police, gemeente])
    session.flush()
    agreement = Agreement(
        key=_k("zeist"),
        legal=_legal(),
        title="Samenwerkingsovereenkomst Wijkgericht Werken Zeist",
        kind="samenwerkingsovereenkomst",
        municipality="Zeist",
        term_start=date(2017, 1, 1),
        term_end=term_end,
        renewal="na_evaluatie",
        renewal_years=3,
        ended_on=ended_on,
    )
    session.add(agreement)
    session.flush()
    besluit = BesluitRecord(
        agreement_id=agreement.id,
        key="besluit",
        title="Besluit ex artikel 20 Wpg",
        issuer_name="M.H.C. Barendse",
        issuer_function="Politiechef",
        decided_on=date(2017, 1, 1),
        in_force_from=date(2017, 1, 1),
        in_force_until=date(2019, 12, 31),
        categories=["a", "b"],
        recipients=["gemeente"],
        providers=["wijkagent"],
    )
    wijkagent = Person(
        key=_k("wijkagent"),
        name="Wim Wijkagent",
        email=f"{_k('w')}@politie.example",
        organisation_id=police.id,
        function="wijkagent",
    )
    professional = Person(
        key=_k("prof"),
        name="Petra Professional",
        email=f"{_k('p')}@zeist.example",
        organisation_id=gemeente.id,
        function="wijkmanager",
    )
    deelnemer = Person(
        key=_k("deelnemer"),
        name="Dirk Deelnemer",
        email=f"{_k('d')}@school.example",
        function="intern begeleider",
    )
    session.add_all([besluit, wijkagent, professional, deelnemer])
    session.flush()
    return World(agreement.id, besluit.id, wijkagent.id, professional.id, deelnemer.id, gemeente.id)  # type: ignore[arg-type]


def add_provision(session: Session, world: World, on: date, *, content: str = "Melding over bewoner") -> int:
    from registry.models import Provision

    row = Provision(
        agreement_id=world.agreement_id,
        besluit_id=world.besluit_id,
        provider_id=world.wijkagent_id,
        recipient_id=world.professional_id,
        provided_on=on,
        reason="Zorgen over woonoverlast",
        category="a",
        purposes=["zorg"],
        content_summary=content,
        recorded_at=datetime.combine(on, datetime.min.time(), tzinfo=UTC),
        recorded_by="wijkagent",
    )
    session.add(row)
    session.flush()
    return row.id  # type: ignore[return-value]


def add_declaration(session: Session, world: World, signed_on: date, document_ref: str | None = None) -> int:
    from registry.models import DeclarationRecord

    row = DeclarationRecord(
        agreement_id=world.agreement_id,
        person_id=world.deelnemer_id,
        ground="publiekrechtelijke_taak",
        document_ref=document_ref,
        signed_on=signed_on,
    )
    session.add(row)
    session.flush()
    return row.id  # type: ignore[return-value]


def add_meeting(session: Session, world: World, held_on: date, attendee_ids: list[int]) -> int:
    from registry.models import Meeting, MeetingAttendee

    meeting = Meeting(
        key=_k("overleg"),
        agreement_id=world.agreement_id,
        held_on=held_on,
        coordinator_id=world.professional_id,
        title="Wijkoverleg",
    )
    session.add(meeting)
    session.flush()
    for pid in attendee_ids:
        session.add(MeetingAttendee(meeting_id=meeting.id, person_id=pid, given_as=str(pid)))  # type: ignore[arg-type]
    session.flush()
    return meeting.id  # type: ignore[return-value]
