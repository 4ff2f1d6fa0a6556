"""Loading dossiers and people into the registry: idempotent create-or-update, every change audited."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any, TypeVar

from sqlmodel import Session, SQLModel, select

from registry.errors import InvalidRegistryInput, MeetingOfAnotherAgreement, NotInRegistry
from registry.legal import agreement_legal
from registry.models import (
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
from registry.people import find_person_of
from registry.rules.facts import LegalFacts
from registry.session import file_under
from templates.dossier.citation import citations
from templates.dossier.legal import besluit_period
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
    """The last day of the first term: the given end, or the day before the anniversary (``date.max`` for
    an indefinite term)."""
    if dossier.term.end is not None:
        return dossier.term.end
    if dossier.term.open_ended:
        return date.max
    return dossier.term.effective_end - timedelta(days=1)


def legal_facts(dossier: Dossier) -> LegalFacts:
    """The dossier's legal model with the citation of every key it names, in the dossier's own numbering."""
    return LegalFacts(dossier.legal, citations(dossier, dossier.legal.cited_keys()))


def besluit_dates(dossier: Dossier) -> tuple[date, date]:
    """(first day, last day) of the dossier's besluit, from the rule the dossier declares."""
    assert dossier.besluit is not None
    b = dossier.besluit
    runs_from = dossier.legal.besluit.runs_from if dossier.legal.besluit is not None else "besluit"
    return besluit_period(b.date, b.term_years, runs_from, dossier.term.start)


def sync_dossier(session: Session, dossier: Dossier) -> Agreement:
    """Create or update the agreement, its parties, besluit and mandates from ``dossier``.

    Idempotent: a second call with the same dossier changes (and audits) nothing. A besluit's revocation
    is never undone."""
    file_under(session, dossier.id)  # the organisations and persons it writes are audited under it
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
        renewal=dossier.legal.term.kind,
        renewal_years=dossier.legal.term.renewal_years,
        objection=dossier.legal.term.objection,
        legal=legal_facts(dossier).as_json(),
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
        first, last = besluit_dates(dossier)
        _upsert(
            session,
            BesluitRecord,
            {"agreement_id": agreement.id, "key": b.key},
            title=b.title,
            issuer_name=b.issuer.name,
            issuer_function=b.issuer.function,
            decided_on=b.date,
            in_force_from=first,
            in_force_until=last,
            recipients=list(b.recipients),
            categories=[c.key for c in b.categories],
            providers=list(b.providers),
            uses=[u.key for u in b.uses],
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
    file_under(session, agreement.key)
    assert agreement.id is not None
    parties = {
        p.key: p
        for p in session.exec(select(AgreementParty).where(AgreementParty.agreement_id == agreement.id))
    }
    legal = agreement_legal(agreement)
    people: dict[str, Person] = {}
    for i, item in enumerate(data.get("people") or []):
        path = f"people[{i}]"
        pkey = str(_required(item, "key", path))
        role_key = str(_required(item, "role", path))
        role = legal.role(role_key)
        if role is None:
            known = ", ".join(r.key for r in legal.model.roles)
            raise InvalidRegistryInput(
                f"{path}.role: '{role_key}' is geen rol van {agreement.title} (rollen: {known}).",
                field=f"{path}.role",
            )
        party_key = item.get("organisation")
        party = parties.get(party_key) if party_key else None
        if party_key and party is None:
            raise InvalidRegistryInput(
                f"{path}.organisation: '{party_key}' is geen partij van {agreement.title}.",
                field=f"{path}.organisation",
            )
        if role.of_party and party is None:
            raise InvalidRegistryInput(
                f"{path}.organisation: een {role.label} handelt voor een partij; geef de partij op.",
                field=f"{path}.organisation",
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
        # One person may hold designations in several roles and for several parties: matched on all four.
        _upsert(
            session,
            Designation,
            {
                "agreement_id": agreement.id,
                "person_id": person.id,
                "role": role_key,
                "party_id": party.id if party else None,
                "designated_from": start,
            },
            designated_until=_date(item.get("designated_until"), f"{path}.designated_until"),
            designated_by=item.get("designated_by"),
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
        attendees = [
            _attendee(a, f"{path}.attendees[{j}]", legal, parties)
            for j, a in enumerate(item.get("attendees") or [])
        ]
        save_meeting(
            session,
            agreement,
            str(_required(item, "key", path)),
            _date(_required(item, "date", path), f"{path}.date"),  # type: ignore[arg-type]
            [a[0] for a in attendees],
            coordinator=coord,
            title=item.get("title"),
            capacities={a[0]: (a[1], a[2]) for a in attendees if a[1] is not None},
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


def _attendee(
    item: Any, path: str, legal: LegalFacts, parties: Mapping[str, AgreementParty]
) -> tuple[str, str | None, int | None]:
    """An attendee as a plain string (key, e-mail or name) or ``{person, role, party}``: the capacity in
    which they attend."""
    if not isinstance(item, Mapping):
        return str(item), None, None
    given = str(_required(item, "person", path))
    role = item.get("role")
    if role is None:
        return given, None, None
    if legal.role(str(role)) is None:
        raise InvalidRegistryInput(
            f"{path}.role: '{role}' is geen rol van dit convenant.", field=f"{path}.role"
        )
    party_key = item.get("party")
    party = parties.get(str(party_key)) if party_key else None
    if party_key and party is None:
        raise InvalidRegistryInput(f"{path}.party: '{party_key}' is geen partij.", field=f"{path}.party")
    return given, str(role), party.id if party else None


def meeting_capacities(
    session: Session, agreement: Agreement, items: list[Mapping[str, Any]]
) -> dict[str, tuple[str, int | None]]:
    """``[{person, role, party}]`` -> given -> (role, party id): the capacity in which each attendee takes
    part, checked against the agreement's roles and parties."""
    legal = agreement_legal(agreement)
    parties = {
        p.key: p
        for p in session.exec(select(AgreementParty).where(AgreementParty.agreement_id == agreement.id))
    }
    out: dict[str, tuple[str, int | None]] = {}
    for i, item in enumerate(items):
        given, role, party_id = _attendee(item, f"hoedanigheden[{i}]", legal, parties)
        if role is not None:
            out[given] = (role, party_id)
    return out


def save_meeting(
    session: Session,
    agreement: Agreement,
    key: str,
    held_on: date,
    attendees: list[str],
    *,
    coordinator: Person | None = None,
    title: str | None = None,
    capacities: Mapping[str, tuple[str, int | None]] | None = None,
) -> Meeting:
    """Create or update a meeting; attendees are given as person key, e-mail or name (unknown ones are kept
    as given and reported by the meeting check). ``capacities``: given -> (role, party id), the capacity in
    which that attendee takes part (recorded per meeting). A meeting key belongs to one agreement for good:
    an existing meeting of another agreement is refused, never moved (issue 10, item 4)."""
    capacities = capacities or {}
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
    # A capacity already recorded stays unless a new one is given for that attendee.
    known = {a.given_as: (a.role, a.party_id) for a in current if a.role}
    capacities = {**known, **capacities}
    wanted = [(g, *capacities.get(g, (None, None))) for g in attendees]
    if [(a.given_as, a.role, a.party_id) for a in current] != wanted:
        for old in current:
            session.delete(old)
        session.flush()
        for given, role, party_id in wanted:
            # a person known only under another agreement is not linked (kept as given: unknown here)
            person = find_person_of(session, agreement, given)
            session.add(
                MeetingAttendee(
                    meeting_id=row_id(meeting),
                    person_id=person.id if person else None,
                    given_as=given,
                    role=role,
                    party_id=party_id,
                )
            )
    session.flush()
    return meeting
