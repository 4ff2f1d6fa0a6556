"""The provision log of police data (the recording duty the besluit lays down, ``legal.besluit``): record,
list, export provisions.

A provision is recorded only when every rule holds on its date: the provider is in a role from which the
model lets police data flow, the recipient may receive police data, the category and the purpose are in the
besluit, special police data only as the besluit allows (e.g. only in addition to other police data), and
the besluit is in force and not revoked. Otherwise :class:`Refused` is raised with every reason and nothing
is stored. A provision dated on or after a revocation that was recorded later (a revocation dated in the
past) is flagged in the list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlmodel import Session, col, select

from registry.csvsafe import csv_text
from registry.errors import InvalidRegistryInput, NotInRegistry, Refused
from registry.models import Agreement, BesluitRecord, Person, Provision, row_id
from registry.people import find_person_of
from registry.repository import (
    agreement_facts,
    besluit_facts,
    besluit_record,
    declarations_by_person,
    designations_by_person,
    term_events,
)
from registry.rules import (
    LegalFacts,
    PersonFacts,
    besluit_status,
    may_provide_police_data,
    may_receive_police_data,
    term_status,
)
from registry.sync import get_agreement
from templates.dossier.legal import DATA_LABELS


@dataclass(frozen=True)
class ProvisionInput:
    agreement: str
    provider: str  # person key or e-mail
    recipient: str  # person key or e-mail
    provided_on: date
    reason: str
    category: str  # category key(s) of the besluit; several as "a,c"
    content_summary: str
    besluit: str | None = None  # besluit key; default: the besluit in force on the date
    purposes: tuple[str, ...] = ()  # use keys of the besluit (what the recipient may use the data for)
    special: bool = False  # the provision includes special police data


@dataclass(frozen=True)
class ProvisionView:
    id: int
    agreement: str
    besluit: str
    besluit_title: str
    provided_on: date
    provider: str
    recipient: str
    recipient_email: str | None
    category: str
    reason: str
    content_summary: str
    recorded_at: datetime
    recorded_by: str
    article: str
    purposes: tuple[str, ...] = ()
    special: bool = False
    flag: str | None = None  # e.g. provided on or after the besluit's revocation


def recording_citation(legal: LegalFacts) -> str:
    b = legal.model.besluit
    if b is not None and b.recording_source:
        return legal.cite(b.recording_source)
    return legal.cite([k for f in legal.model.flows if f.data.endswith("politiegegevens") for k in f.source])


def _person(session: Session, agreement: Agreement, given: str, field: str, label: str) -> Person:
    # only a person of this agreement: someone known only under another one is "not known" here
    person = find_person_of(session, agreement, given)
    if person is None:
        raise NotInRegistry(f"{label} '{given}' is niet bekend in het register.", field=field)
    return person


def record_provision(session: Session, data: ProvisionInput, *, recorded_by: str) -> ProvisionView:
    for name, label in (("reason", "reden"), ("content_summary", "inhoud"), ("category", "categorie")):
        if not str(getattr(data, name)).strip():
            raise InvalidRegistryInput(
                f"{name}: de {label} van de verstrekking is verplicht (vastleggingsplicht van het besluit).",
                field=name,
            )
    agreement = get_agreement(session, data.agreement)
    assert agreement.id is not None
    provider = _person(session, agreement, data.provider, "provider", "Verstrekker")
    recipient = _person(session, agreement, data.recipient, "recipient", "Ontvanger")
    on = data.provided_on
    record = besluit_record(session, agreement.id, on, data.besluit)
    if record is None and data.besluit:
        raise NotInRegistry(
            f"Besluit '{data.besluit}' is niet bekend bij {agreement.title}.", field="besluit"
        )
    besluit = besluit_facts(record)
    facts = agreement_facts(session, agreement)
    legal = facts.legal
    record_cite = recording_citation(legal)
    events = term_events(session, agreement.id)
    status = term_status(facts, events, on)
    ids = [provider.id, recipient.id]
    designations = designations_by_person(session, agreement.id, [i for i in ids if i is not None])
    declarations = declarations_by_person(session, agreement.id, [i for i in ids if i is not None])

    def facts_of(p: Person) -> PersonFacts:
        assert p.id is not None
        return PersonFacts(p.name, tuple(designations.get(p.id, ())), tuple(declarations.get(p.id, ())))

    problems: list[tuple[str, str, str]] = []  # (field, reason, article)
    b = besluit_status(besluit, facts, on)
    if not b.allowed:
        problems.append(("besluit", b.reason, b.article))
    elif record is None:
        problems.append(
            (
                "besluit",
                "Er is geen besluit vastgelegd; dit verstrekkingenlog legt verstrekkingen onder een besluit "
                "vast (de politie logt haar verstrekkingen zelf volgens de Wet politiegegevens).",
                b.article,
            )
        )
    giver = may_provide_police_data(facts_of(provider), facts, besluit, on, events, term=status)
    if not giver.allowed and giver.reason != b.reason:
        problems.append(("provider", giver.reason, giver.article))
    taker = may_receive_police_data(facts_of(recipient), facts, besluit, on, events, term=status)
    if not taker.allowed and taker.reason not in (b.reason, giver.reason):
        problems.append(("recipient", taker.reason, taker.article))
    # Several categories may be provided at once: "a,c" (each must fall under the besluit).
    chosen = list(dict.fromkeys(c.strip() for c in data.category.split(",") if c.strip()))
    outside = [c for c in chosen if besluit is not None and c not in besluit.categories]
    if besluit is not None and outside:
        problems.append(
            (
                "category",
                f"Categorie '{', '.join(outside)}' valt niet onder het besluit (toegestaan: "
                f"{', '.join(besluit.categories)}).",
                record_cite,
            )
        )
    # Several purposes may be chosen at once; each must be a use of the besluit.
    purposes = list(dict.fromkeys(p.strip() for p in data.purposes if p.strip()))
    if besluit is not None and besluit.uses:
        allowed_uses = ", ".join(besluit.uses)
        if not purposes:
            problems.append(
                (
                    "purpose",
                    "Geef het doel van de verstrekking op: een of meer doelen van het besluit "
                    f"({allowed_uses}).",
                    record_cite,
                )
            )
        for purpose in purposes:
            if purpose not in besluit.uses:
                problems.append(
                    (
                        "purpose",
                        f"Het doel '{purpose}' is geen doel van het besluit (toegestaan: {allowed_uses}).",
                        record_cite,
                    )
                )
    if data.special:
        problems += _special_problems(legal)
    if problems:
        message = "Verstrekking geweigerd en niet vastgelegd: " + " ".join(p[1] for p in problems)
        raise Refused(
            message,
            field=problems[0][0],
            article="; ".join(dict.fromkeys(p[2] for p in problems)),
            problems=[{"pad": f, "melding": r, "artikel": a} for f, r, a in problems],
        )
    assert record is not None and record.id is not None
    row = Provision(
        agreement_id=agreement.id,
        besluit_id=record.id,
        provider_id=row_id(provider),
        recipient_id=row_id(recipient),
        provided_on=on,
        reason=data.reason.strip(),
        category=",".join(chosen),
        purposes=purposes,
        special=data.special,
        content_summary=data.content_summary.strip(),
        recorded_at=datetime.now(UTC),
        recorded_by=recorded_by,
    )
    session.add(row)
    session.flush()
    return _view(row, agreement.key, record, provider, recipient, record_cite)


def _special_problems(legal: LegalFacts) -> list[tuple[str, str, str]]:
    """Special police data: only as the besluit allows (never, in addition to other police data, or as
    such). A provision always has a (regular) category, so "in addition" is met by the provision itself."""
    rule = legal.model.besluit
    label = DATA_LABELS["bijzondere_politiegegevens"]
    allowed_flow = any(f.data == "bijzondere_politiegegevens" for f in legal.model.flows)
    if rule is not None and rule.special_police_data in ("aanvulling", "toegestaan"):
        return []
    if allowed_flow:
        return []
    cite = legal.cite(rule.special_source or rule.term_source) if rule else recording_citation(legal)
    return [("special", f"Het besluit staat de verstrekking van {label} niet toe.", cite)]


def _view(
    row: Provision,
    agreement_key: str,
    besluit: BesluitRecord,
    provider: Person,
    recipient: Person,
    article: str,
) -> ProvisionView:
    assert row.id is not None
    flag = None
    if besluit.revoked_on is not None and row.provided_on >= besluit.revoked_on:
        flag = (
            f"verstrekt op of na de intrekking van het besluit per {besluit.revoked_on.isoformat()} "
            "(intrekking later vastgelegd)"
        )
    return ProvisionView(
        row.id,
        agreement_key,
        besluit.key,
        besluit.title,
        row.provided_on,
        provider.name,
        recipient.name,
        recipient.email,
        row.category,
        row.reason,
        row.content_summary,
        row.recorded_at,
        row.recorded_by,
        article,
        tuple(row.purposes or ()),
        row.special,
        flag,
    )


def list_provisions(
    session: Session, agreement_key: str, *, since: date | None = None, until: date | None = None
) -> list[ProvisionView]:
    agreement = get_agreement(session, agreement_key)
    record_cite = recording_citation(agreement_facts(session, agreement).legal)
    stmt = select(Provision).where(Provision.agreement_id == agreement.id)
    if since:
        stmt = stmt.where(col(Provision.provided_on) >= since)
    if until:
        stmt = stmt.where(col(Provision.provided_on) <= until)
    rows = session.exec(stmt.order_by(col(Provision.provided_on), col(Provision.id))).all()
    person_ids = {r.provider_id for r in rows} | {r.recipient_id for r in rows}
    people = {p.id: p for p in session.exec(select(Person).where(col(Person.id).in_(list(person_ids))))}
    besluiten = {
        b.id: b for b in session.exec(select(BesluitRecord).where(BesluitRecord.agreement_id == agreement.id))
    }
    return [
        _view(
            r,
            agreement.key,
            besluiten[r.besluit_id],
            people[r.provider_id],
            people[r.recipient_id],
            record_cite,
        )
        for r in rows
    ]


CSV_HEADER = [
    "id",
    "overeenkomst",
    "besluit",
    "datum",
    "verstrekker",
    "ontvanger",
    "ontvanger_email",
    "categorie",
    "doelen",
    "bijzonder",
    "reden",
    "inhoud",
    "vastgelegd_op",
    "vastgelegd_door",
    "artikel",
    "signalering",
]


def provisions_csv(views: list[ProvisionView]) -> str:
    """The provision log as CSV; every cell neutralised against formula injection (registry.csvsafe)."""
    rows: list[list[object]] = [list(CSV_HEADER)]
    for v in views:
        rows.append(
            [
                v.id,
                v.agreement,
                v.besluit,
                v.provided_on.isoformat(),
                v.provider,
                v.recipient,
                v.recipient_email or "",
                v.category,
                ",".join(v.purposes),
                "ja" if v.special else "nee",
                v.reason,
                v.content_summary,
                v.recorded_at.isoformat(timespec="seconds"),
                v.recorded_by,
                v.article,
                v.flag or "",
            ]
        )
    return csv_text(rows)
