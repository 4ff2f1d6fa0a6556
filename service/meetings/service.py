"""Planning a wijkoverleg: one service for the page and the API.

The rules a privacy officer can rely on, whoever plans:

- the agreement must be one the planner may act on (tenancy); an unknown or foreign one is unknown (404);
- a meeting is not planned before its agreement starts (422 ``datum``);
- the coordinator is the person given, or else the planner's own registry person;
- the key is given (API) or made from the title and the date (page; unique, never typed);
- planning a key that exists is idempotent when everything is the same (nothing is written; the API
  answers 200 instead of 201); when the agreement, date, title, coordinator or attendees differ it is
  refused with 409 naming the field: a meeting never moves to another agreement, and moving it to another
  date or changing it is an explicit update (``update_meeting``, ``PUT /meetings/{key}``), which the
  registry audits as a change of that meeting.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from registry.errors import InvalidRegistryInput, NotInRegistry
from registry.meetings import get_meeting
from registry.people import find_person_of
from registry.rules import nl_date
from registry.sync import meeting_capacities, save_meeting
from service.accounts import tenancy
from service.accounts.service import Principal
from service.meetings import repository
from service.meetings.errors import MeetingAlreadyPlanned

if TYPE_CHECKING:
    from registry.models import Agreement, Meeting, Person


@dataclass(frozen=True)
class MeetingPlan:
    """What the planner asks for. ``capacities``: ``{"person", "role", "party"}`` per attendee."""

    agreement: str
    held_on: date
    title: str | None = None
    key: str | None = None
    coordinator: str | None = None
    attendees: Sequence[str] = ()
    capacities: Sequence[Mapping[str, Any]] = field(default_factory=tuple)


@dataclass(frozen=True)
class Planned:
    meeting: Meeting
    created: bool  # False: the same plan was there already, nothing written


_SLUG = re.compile(r"[^a-z0-9]+")


def new_key(db: Session, title: str | None, held_on: date) -> str:
    """A meeting key made from its title and date (never typed): unique, lower case, readable."""
    plain = unicodedata.normalize("NFKD", title or "wijkoverleg").encode("ascii", "ignore").decode()
    base = _SLUG.sub("-", plain.lower()).strip("-")[:50].strip("-") or "wijkoverleg"
    key = f"{base}-{held_on.isoformat()}"
    n = 2
    while repository.meeting(db, key) is not None:
        key = f"{base}-{held_on.isoformat()}-{n}"
        n += 1
    return key


def _agreement(db: Session, principal: Principal, key: str) -> Agreement:
    agreement = repository.agreement_by_key(db, key) if key else None
    if agreement is None or not tenancy.in_scope(db, principal, agreement.key):
        # outside the account's agreements: as unknown as a key that does not exist
        raise NotInRegistry(
            f"overeenkomst: '{key}' is niet bekend in het register; kies de overeenkomst waar dit overleg "
            "onder valt",
            field="overeenkomst",
        )
    tenancy.ensure_agreement(db, principal, agreement.key)  # files this request's changes under it
    return agreement


def _check_date(agreement: Agreement, held_on: date) -> None:
    if held_on < agreement.term_start:
        raise InvalidRegistryInput(
            f"datum: het overleg valt vóór de start van de overeenkomst ({nl_date(agreement.term_start)}); "
            "kies een latere datum",
            field="datum",
        )


def _coordinator(db: Session, principal: Principal, agreement: Agreement, given: str | None) -> Person | None:
    if not given:
        return tenancy.own_person(db, principal)
    person = find_person_of(db, agreement, given)
    if person is None:
        raise NotInRegistry(f"coordinator: '{given}' is niet bekend in het register.", field="coordinator")
    return person


def _differences(
    db: Session,
    meeting: Meeting,
    agreement: Agreement,
    plan: MeetingPlan,
    coordinator: Person | None,
    capacities: Mapping[str, tuple[str, int | None]],
) -> list[str]:
    """The fields in which ``plan`` differs from the planned ``meeting`` (form/API field names)."""
    out = []
    if meeting.agreement_id != agreement.id:
        return ["overeenkomst"]
    if meeting.held_on != plan.held_on:
        out.append("datum")
    if (meeting.title or None) != (plan.title or None):
        out.append("titel")
    if meeting.coordinator_id != (coordinator.id if coordinator else None):
        out.append("coordinator")
    current = repository.attendees(db, meeting.id)
    known = {a.given_as: (a.role, a.party_id) for a in current if a.role}
    wanted = [(g, *{**known, **capacities}.get(g, (None, None))) for g in plan.attendees]
    if [(a.given_as, a.role, a.party_id) for a in current] != wanted:
        out.append("deelnemers")
    return out


def plan_meeting(db: Session, principal: Principal, plan: MeetingPlan) -> Planned:
    """Plan a meeting (the rules: the module docstring). Raises a ``RegistryError`` naming the field."""
    agreement = _agreement(db, principal, plan.agreement)
    _check_date(agreement, plan.held_on)
    coordinator = _coordinator(db, principal, agreement, plan.coordinator)
    capacities = meeting_capacities(db, agreement, list(plan.capacities))
    key = plan.key or new_key(db, plan.title, plan.held_on)
    existing = repository.meeting(db, key)
    if existing is not None:
        differs = _differences(db, existing, agreement, plan, coordinator, capacities)
        if not differs:
            return Planned(existing, created=False)
        first = differs[0]
        if first == "overeenkomst":
            message = (
                f"overeenkomst: er bestaat al een wijkoverleg '{key}' bij een andere overeenkomst; een "
                "overleg verhuist niet naar een andere overeenkomst. Kies een andere sleutel."
            )
        else:
            message = (
                f"{first}: wijkoverleg '{key}' is al gepland (op {nl_date(existing.held_on)}) en uw verzoek "
                f"wijkt af in: {', '.join(differs)}. Opnieuw plannen wijzigt een overleg niet: wijzig het "
                f"uitdrukkelijk (PUT /meetings/{key}) of kies een andere sleutel."
            )
        raise MeetingAlreadyPlanned(message, field=first)
    meeting = save_meeting(
        db,
        agreement,
        key,
        plan.held_on,
        list(plan.attendees),
        coordinator=coordinator,
        title=plan.title,
        capacities=capacities,
    )
    return Planned(meeting, created=True)


@dataclass(frozen=True)
class MeetingChange:
    """An explicit change of a planned meeting (its agreement never changes). ``coordinator`` None keeps
    the current one."""

    held_on: date
    title: str | None = None
    coordinator: str | None = None
    attendees: Sequence[str] = ()
    capacities: Sequence[Mapping[str, Any]] = field(default_factory=tuple)


def update_meeting(db: Session, principal: Principal, key: str, change: MeetingChange) -> Meeting:
    """Change a planned meeting: another date, title, coordinator or attendee list (audited by the
    registry as a change of the meeting row, old and new values)."""
    tenancy.ensure_meeting(db, principal, key)  # 404 when unknown or outside the principal's agreements
    meeting = get_meeting(db, key)
    agreement = agreement_of(db, meeting)
    _check_date(agreement, change.held_on)
    coordinator = (
        _coordinator(db, principal, agreement, change.coordinator)
        if change.coordinator
        else coordinator_of(db, meeting)
    )
    return save_meeting(
        db,
        agreement,
        key,
        change.held_on,
        list(change.attendees),
        coordinator=coordinator,
        title=change.title,
        capacities=meeting_capacities(db, agreement, list(change.capacities)),
    )


def set_attendees(db: Session, meeting: Meeting, attendees: list[str]) -> None:
    """The meeting's attendee list becomes ``attendees`` (the rest of the meeting stays)."""
    save_meeting(
        db,
        agreement_of(db, meeting),
        meeting.key,
        meeting.held_on,
        attendees,
        title=meeting.title,
        coordinator=coordinator_of(db, meeting),
    )


def agreement_of(db: Session, meeting: Meeting) -> Agreement:
    agreement = repository.agreement(db, meeting.agreement_id)
    assert agreement is not None  # a foreign key
    return agreement


def coordinator_of(db: Session, meeting: Meeting) -> Person | None:
    return repository.person(db, meeting.coordinator_id) if meeting.coordinator_id else None


@dataclass(frozen=True)
class Attendee:
    given_as: str
    person: Person | None  # None: not known in the register (as given)


def attendees(db: Session, meeting: Meeting) -> list[Attendee]:
    """The attendees in the order given, each with the registry person when known."""
    rows = repository.attendees(db, meeting.id)
    people = repository.people(db, (a.person_id for a in rows if a.person_id is not None))
    return [Attendee(a.given_as, people.get(a.person_id) if a.person_id is not None else None) for a in rows]
