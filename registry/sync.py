"""Loading dossiers and people into the registry: idempotent create-or-update, every change audited."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any, TypeVar

from sqlmodel import Session, SQLModel, select

from registry.errors import InvalidRegistryInput, MeetingOfAnotherAgreement, NotInRegistry
from registry.models import (
    ROLES,
    Agreement,
    AgreementParty,
    BesluitRecord,
    DeclarationRecord,
    Designation,
    MandateRecord,
    Meeting,
    MeetingAttendee,
    Organisation,
    Person,
    row_id,
)
from registry.rules.terms import add_years
from templates.dossier.model import Dossier

T = TypeVar("T", bound=SQLModel)


def _assign(obj: T, **values: Any) -> T:
    for k, v in values.items():
        if getattr(obj, k) != v:
            setattr(obj, k, v)
    return obj


def _upsert(session: Session, model: type[T], where: Mapping[str, Any], **values: Any) -> T:
    stmt = select(model)
    for k, v in where.items():
        stmt = stmt.where(getattr(model, k) == v)
    obj = session.exec(stmt).first()
    if obj is None:
        obj = model(**where, **values)
        session.add(obj)
        session.flush()
        return obj
    return _assign(obj, **values)


def organisation_key(agreement_key: str, party_key: str) -> str:
    return f"{agreement_key}.{party_key}"


def initial_term_end(dossier: Dossier) -> date:
    """The last day of the first term: the given end, or the day before the anniversary."""
    if dossier.term.end is not None:
        return dossier.term.end
    return dossier.term.effective_end - timedelta(days=1)


def besluit_last_day(decided_on: date, term_years: int, agreement_start: date) -> date:
    """The besluit goes with the samenwerkingsverband (Besluit §1: "behorende bij" the agreement; §6:
    "aangegaan voor een periode van drie jaar"): its years run from the start of the cooperation, or from
    the besluit's own date when that is later. It applies from its own date (``in_force_from``)."""
    return add_years(max(decided_on, agreement_start), term_years) - timedelta(days=1)


def sync_dossier(session: Session, dossier: Dossier) -> Agreement:
    """Create or update the agreement, its parties, besluit and mandates from ``dossier``.

    Idempotent: a second call with the same dossier changes (and audits) nothing. A besluit's revocation
    is never undone."""
    agreement = _upsert(
        session,
        Agreement,
        {"key": dossier.id},
        title=dossier.title,
        kind=dossier.kind,
        municipality=dossier.area,
        signed_on=dossier.signing.date,
        term_start=dossier.term.start,
        term_end=initial_term_end(dossier),
        renewal=dossier.term.renewal,
        renewal_years=dossier.term.renewal_years,
        objection=dossier.term.objection,
    )
    assert agreement.id is not None
    for party in dossier.parties:
        org = _upsert(
            session,
            Organisation,
            {"key": organisation_key(dossier.id, party.key)},
            name=party.name,
            kind=party.kind,
        )
        assert org.id is not None
        _upsert(
            session,
            AgreementParty,
            {"agreement_id": agreement.id, "key": party.key},
            organisation_id=org.id,
            name=party.name,
            kind=party.kind,
            represented_by=party.represented_by,
        )
    if dossier.besluit is not None:
        b = dossier.besluit
        _upsert(
            session,
            BesluitRecord,
            {"agreement_id": agreement.id, "key": b.key},
            title=b.title,
            issuer_name=b.issuer.name,
            issuer_function=b.issuer.function,
            decided_on=b.date,
            in_force_from=b.date,
            in_force_until=besluit_last_day(b.date, b.term_years, dossier.term.start),
            recipients=list(b.recipients),
            categories=[c.key for c in b.categories],
            providers=list(b.providers),
        )
    for m in dossier.mandates:
        _upsert(
            session,
            MandateRecord,
            {"agreement_id": agreement.id, "key": m.key},
            mandator_name=m.mandator.name,
            mandator_function=m.mandator.function,
            mandatary_name=m.mandatary.name,
            mandatary_function=m.mandatary.function,
            documents=list(m.documents),
            document_title=m.document_title,
            decided_on=m.date,
            valid_until=m.valid_until,
        )
    session.flush()
    return agreement


def get_agreement(session: Session, key: str) -> Agreement:
    agreement = session.exec(select(Agreement).where(Agreement.key == key)).first()
    if agreement is None:
        raise NotInRegistry(f"Overeenkomst '{key}' is niet bekend in het register.", field="agreement")
    return agreement


def _date(value: Any, path: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InvalidRegistryInput(f"{path}: '{value}' is geen datum (JJJJ-MM-DD).", field=path) from None


def _required(item: Mapping[str, Any], name: str, path: str) -> Any:
    value = item.get(name)
    if value in (None, ""):
        raise InvalidRegistryInput(f"{path}.{name} is verplicht.", field=f"{path}.{name}")
    return value


def find_person(session: Session, given: str) -> Person | None:
    """A person by key, e-mail (case-insensitive) or exact name."""
    given = given.strip()
    person = session.exec(select(Person).where(Person.key == given)).first()
    if person is None and "@" in given:
        person = session.exec(select(Person).where(Person.email == given.lower())).first()
    if person is None:
        person = session.exec(select(Person).where(Person.name == given)).first()
    return person


def load_people(
    session: Session, data: Mapping[str, Any], agreement_key: str | None = None
) -> dict[str, int]:
    """Load an example-people document (``people``, ``declarations``, ``meetings``) for one agreement.

    Idempotent: persons are matched by key, designations by (person, role, from), declarations by (person,
    signed_on), meetings by key (their attendee list is replaced). Returns counts of what was read.
    """
    key = agreement_key or data.get("agreement")
    if not key:
        raise InvalidRegistryInput("Geef de overeenkomst op waarvoor de personen gelden.", field="agreement")
    agreement = get_agreement(session, str(key))
    assert agreement.id is not None
    parties = {
        p.key: p
        for p in session.exec(select(AgreementParty).where(AgreementParty.agreement_id == agreement.id))
    }
    people: dict[str, Person] = {}
    for i, item in enumerate(data.get("people") or []):
        path = f"people[{i}]"
        pkey = str(_required(item, "key", path))
        role = str(_required(item, "role", path))
        if role not in ROLES:
            raise InvalidRegistryInput(
                f"{path}.role: '{role}' is geen rol ({', '.join(ROLES)}).", field=f"{path}.role"
            )
        party_key = item.get("organisation")
        party = parties.get(party_key) if party_key else None
        if party_key and party is None:
            raise InvalidRegistryInput(
                f"{path}.organisation: '{party_key}' is geen partij van {agreement.title}.",
                field=f"{path}.organisation",
            )
        if role != "agendadeelnemer" and party is None:
            raise InvalidRegistryInput(
                f"{path}.organisation: een {role} hoort bij een partij.", field=f"{path}.organisation"
            )
        email = item.get("email")
        person = _upsert(
            session,
            Person,
            {"key": pkey},
            name=str(_required(item, "name", path)),
            email=email.lower() if email else None,
            function=item.get("function"),
            organisation_id=party.organisation_id if party else None,
        )
        people[pkey] = person
        start = _date(_required(item, "designated_from", path), f"{path}.designated_from")
        _upsert(
            session,
            Designation,
            {"agreement_id": agreement.id, "person_id": person.id, "role": role, "designated_from": start},
            party_id=party.id if party else None,
            designated_until=_date(item.get("designated_until"), f"{path}.designated_until"),
            designated_by=item.get("designated_by") or ("basisteamleiding" if role == "vervanger" else None),
        )
    for i, item in enumerate(data.get("declarations") or []):
        path = f"declarations[{i}]"
        found = people.get(str(_required(item, "person", path))) or find_person(session, str(item["person"]))
        if found is None:
            raise InvalidRegistryInput(
                f"{path}.person: '{item['person']}' is niet bekend.", field=f"{path}.person"
            )
        signed = _date(_required(item, "signed_on", path), f"{path}.signed_on")
        _upsert(
            session,
            DeclarationRecord,
            {"agreement_id": agreement.id, "person_id": found.id, "signed_on": signed},
            ground=str(_required(item, "ground", path)),
            document_ref=item.get("document"),
            document_sha256=item.get("sha256"),
        )
    meetings = 0
    for i, item in enumerate(data.get("meetings") or []):
        path = f"meetings[{i}]"
        coordinator = item.get("coordinator")
        coord = (people.get(coordinator) or find_person(session, coordinator)) if coordinator else None
        save_meeting(
            session,
            agreement,
            str(_required(item, "key", path)),
            _date(_required(item, "date", path), f"{path}.date"),  # type: ignore[arg-type]
            [str(a) for a in item.get("attendees") or []],
            coordinator=coord,
            title=item.get("title"),
        )
        meetings += 1
    session.flush()
    return {
        "personen": len(people),
        "verklaringen": len(data.get("declarations") or []),
        "overleggen": meetings,
    }


def designate(
    session: Session,
    agreement: Agreement,
    person: Person,
    role: str,
    designated_from: date,
    designated_until: date | None,
) -> Designation:
    """Designate an existing person for ``agreement`` in ``role`` without touching the person's own record
    (name, function, organisation), which may belong to another agreement's administration."""
    return _upsert(
        session,
        Designation,
        {
            "agreement_id": row_id(agreement),
            "person_id": row_id(person),
            "role": role,
            "designated_from": designated_from,
        },
        party_id=None,
        designated_until=designated_until,
    )


def agreements_of_person(session: Session, person: Person) -> set[int]:
    """The agreements a person is designated for (any role, any period)."""
    rows = session.exec(select(Designation.agreement_id).where(Designation.person_id == person.id)).all()
    return set(rows)


def save_meeting(
    session: Session,
    agreement: Agreement,
    key: str,
    held_on: date,
    attendees: list[str],
    *,
    coordinator: Person | None = None,
    title: str | None = None,
) -> Meeting:
    """Create or update a meeting; attendees are given as person key, e-mail or name (unknown ones are kept
    as given and reported by the meeting check). A meeting key belongs to one agreement for good: an
    existing meeting of another agreement is refused, never moved (issue 10, item 4)."""
    existing = session.exec(select(Meeting).where(Meeting.key == key)).first()
    if existing is not None and existing.agreement_id != agreement.id:
        raise MeetingOfAnotherAgreement(
            f"sleutel: er bestaat al een wijkoverleg '{key}' bij een andere overeenkomst; kies een andere "
            "sleutel. Een overleg verhuist niet naar een andere overeenkomst.",
            field="sleutel",
        )
    meeting = _upsert(
        session,
        Meeting,
        {"key": key},
        agreement_id=agreement.id,
        held_on=held_on,
        coordinator_id=coordinator.id if coordinator else None,
        title=title,
    )
    current = list(session.exec(select(MeetingAttendee).where(MeetingAttendee.meeting_id == meeting.id)))
    if [a.given_as for a in current] != attendees:
        for old in current:
            session.delete(old)
        session.flush()
        for given in attendees:
            person = find_person(session, given)
            session.add(
                MeetingAttendee(
                    meeting_id=row_id(meeting), person_id=person.id if person else None, given_as=given
                )
            )
    session.flush()
    return meeting
