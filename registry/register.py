"""The authorisation register per agreement (where the dossier's legal model establishes it:
``legal.authorisation_register``): who is authorised for what, from and until when, on a reference date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from registry.csvsafe import csv_text
from registry.models import AgreementParty, Designation, Person
from registry.repository import (
    agreement_facts,
    besluit_facts,
    besluit_record,
    declarations_by_person,
    designations_by_person,
    term_events,
)
from registry.rules import (
    PersonFacts,
    RuleAnswer,
    may_provide_police_data,
    may_receive_personal_data,
    may_receive_police_data,
    provider_roles,
    term_status,
)
from registry.sync import get_agreement


@dataclass(frozen=True)
class RegisterRow:
    name: str
    email: str | None
    function: str | None
    party: str | None
    role: str
    role_label: str
    designated_from: date
    designated_until: date | None
    police: RuleAnswer
    personal: RuleAnswer
    provides_police: RuleAnswer | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "naam": self.name,
            "email": self.email,
            "functie": self.function,
            "partij": self.party,
            "rol": self.role_label,
            "aangewezen_van": self.designated_from.isoformat(),
            "aangewezen_tot_en_met": self.designated_until.isoformat() if self.designated_until else None,
            "politiegegevens": self.police.as_dict(),
            "persoonsgegevens": self.personal.as_dict(),
            "verstrekt_politiegegevens": self.provides_police.as_dict() if self.provides_police else None,
        }


@dataclass(frozen=True)
class AuthorisationRegister:
    agreement_key: str
    agreement_title: str
    on: date
    article: str
    rows: tuple[RegisterRow, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "overeenkomst": self.agreement_key,
            "titel": self.agreement_title,
            "peildatum": self.on.isoformat(),
            "artikel": self.article,
            "regels": [r.as_dict() for r in self.rows],
        }


def authorisation_register(session: Session, agreement_key: str, on: date) -> AuthorisationRegister:
    agreement = get_agreement(session, agreement_key)
    assert agreement.id is not None
    facts = agreement_facts(session, agreement)
    legal = facts.legal
    providers = set(provider_roles(legal))
    register_sources = legal.model.authorisation_register or (
        list(legal.model.designation) + [k for r in legal.model.roles for k in r.source]
    )
    events = term_events(session, agreement.id)
    status = term_status(facts, events, on)
    besluit = besluit_facts(besluit_record(session, agreement.id, on))
    rows = session.exec(
        select(Designation, Person, AgreementParty.name)
        .join(Person, col(Person.id) == col(Designation.person_id))
        .join(AgreementParty, col(AgreementParty.id) == col(Designation.party_id), isouter=True)
        .where(Designation.agreement_id == agreement.id)
        .order_by(col(AgreementParty.name), col(Person.name), col(Designation.designated_from))
    ).all()
    ids = {p.id for _, p, _ in rows if p.id is not None}
    designations = designations_by_person(session, agreement.id, ids)
    declarations = declarations_by_person(session, agreement.id, ids)
    out: list[RegisterRow] = []
    for d, person, party_name in rows:
        assert person.id is not None
        pf = PersonFacts(person.name, tuple(designations[person.id]), tuple(declarations.get(person.id, ())))
        provides = (
            may_provide_police_data(pf, facts, besluit, on, events, term=status)
            if d.role in providers
            else None
        )
        out.append(
            RegisterRow(
                person.name,
                person.email,
                person.function,
                party_name,
                d.role,
                legal.role_label(d.role),
                d.designated_from,
                d.designated_until,
                may_receive_police_data(pf, facts, besluit, on, events, term=status),
                may_receive_personal_data(pf, facts, on, events, besluit=besluit, term=status),
                provides,
            )
        )
    return AuthorisationRegister(agreement.key, agreement.title, on, legal.cite(register_sources), tuple(out))


CSV_HEADER = [
    "naam",
    "email",
    "functie",
    "partij",
    "rol",
    "aangewezen_van",
    "aangewezen_tot_en_met",
    "politiegegevens",
    "politiegegevens_tot_en_met",
    "politiegegevens_artikel",
    "persoonsgegevens",
    "persoonsgegevens_tot_en_met",
    "persoonsgegevens_artikel",
    "verstrekt_politiegegevens",
    "verstrekt_tot_en_met",
    "verstrekt_artikel",
    "toelichting",
]


def register_csv(register: AuthorisationRegister) -> str:
    rows: list[list[object]] = [
        [
            f"Autorisatieregister {register.agreement_title}",
            f"peildatum {register.on.isoformat()}",
            register.article,
        ],
        list(CSV_HEADER),
    ]
    for r in register.rows:
        rows.append(
            [
                r.name,
                r.email or "",
                r.function or "",
                r.party or "",
                r.role_label,
                r.designated_from.isoformat(),
                r.designated_until.isoformat() if r.designated_until else "",
                "ja" if r.police.allowed else "nee",
                r.police.until.isoformat() if r.police.until else "",
                r.police.article,
                "ja" if r.personal.allowed else "nee",
                r.personal.until.isoformat() if r.personal.until else "",
                r.personal.article,
                "" if r.provides_police is None else "ja" if r.provides_police.allowed else "nee",
                r.provides_police.until.isoformat() if r.provides_police and r.provides_police.until else "",
                r.provides_police.article if r.provides_police else "",
                " ".join(dict.fromkeys([r.police.reason, r.personal.reason])),
            ]
        )
    return csv_text(rows)
