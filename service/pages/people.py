"""The registry's people as the pages offer them: choices with name, function, organisation and role.

Pages let staff pick a registered person (an attendee, a recipient, the person behind an account) instead of
typing a name or e-mail address that may not resolve.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlmodel import Session

from service.register import repository

if TYPE_CHECKING:
    from registry.models import Person


@dataclass(frozen=True)
class PersonChoice:
    key: str
    name: str
    function: str | None
    organisation: str | None
    role: str | None

    @property
    def role_label(self) -> str:
        """The role as a word (the covenant's own label is in its legal model; this is only a fallback)."""
        return (self.role or "").replace("-", " ").replace("_", " ")

    @property
    def label(self) -> str:
        """ "Ronald Hendriks — wijkagent Zeist Centrum, Politie" (what a person recognises in a list)."""
        details = ", ".join(x for x in (self.function or self.role_label, self.organisation) if x)
        return f"{self.name} — {details}" if details else self.name


def _orgs(db: Session, people: list[Person]) -> dict[int, str]:
    return repository.organisation_names(db, (p.organisation_id for p in people if p.organisation_id))


def designated_people(db: Session, agreement_id: int, *, partners_only: bool = False) -> list[PersonChoice]:
    """Everyone designated for the agreement (once, by name); ``partners_only``: not agendadeelnemers."""
    rows = repository.designations_with_people(db, agreement_id)
    roles: dict[int, str] = {}
    people: dict[int, Person] = {}
    for d, p in rows:
        if partners_only and (d.party_id is None or d.role == "agendadeelnemer"):
            continue
        assert p.id is not None
        people[p.id] = p
        roles.setdefault(p.id, d.role)
    orgs = _orgs(db, list(people.values()))
    out = [
        PersonChoice(
            p.key,
            p.name,
            p.function,
            orgs.get(p.organisation_id) if p.organisation_id else None,
            roles.get(p.id or 0),
        )
        for p in people.values()
    ]
    return sorted(out, key=lambda c: (c.name.lower(), c.key))


def all_people(db: Session) -> list[PersonChoice]:
    people = repository.people_by_name(db)
    orgs = _orgs(db, people)
    return [
        PersonChoice(
            p.key, p.name, p.function, orgs.get(p.organisation_id) if p.organisation_id else None, None
        )
        for p in people
    ]


def person_choice(db: Session, key: str | None) -> PersonChoice | None:
    if not key:
        return None
    p = repository.person_by_key(db, key)
    if p is None:
        return None
    orgs = _orgs(db, [p])
    return PersonChoice(p.key, p.name, p.function, orgs.get(p.organisation_id or 0), None)
