"""What ends soon: designations, the besluit and the agreement's term ending within ``days`` of a date.

One query per concern (designations ending in the window are found through their end date), so the cost
follows what ends, not the size of the registry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, col, select

from registry.models import AgreementParty, Designation, Person
from registry.repository import agreement_facts, besluit_facts, besluit_record, term_events
from registry.rules import besluit_status, nl_date, term_status
from registry.rules.terms import WARNING_DAYS, besluit_citations
from registry.sync import get_agreement
from templates.dossier.legal import Role, add_months


@dataclass(frozen=True)
class Upcoming:
    kind: str  # aanwijzing | besluit | looptijd | evaluatie
    subject: str
    ends_on: date
    message: str
    article: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "soort": self.kind,
            "betreft": self.subject,
            "eindigt_op": self.ends_on.isoformat(),
            "melding": self.message,
            "artikel": self.article,
        }


def _role_sources(role: Role | None) -> list[str]:
    return list(role.source) if role is not None else []


def upcoming_endings(
    session: Session, agreement_key: str, on: date, days: int = WARNING_DAYS
) -> list[Upcoming]:
    agreement = get_agreement(session, agreement_key)
    assert agreement.id is not None
    facts = agreement_facts(session, agreement)
    legal = facts.legal
    model = legal.model
    horizon = on + timedelta(days=days)
    out: list[Upcoming] = []
    rows = session.exec(
        select(Designation, Person.name, AgreementParty.name)
        .join(Person, col(Person.id) == col(Designation.person_id))
        .join(AgreementParty, col(AgreementParty.id) == col(Designation.party_id), isouter=True)
        .where(
            Designation.agreement_id == agreement.id,
            col(Designation.designated_until).is_not(None),
            col(Designation.designated_until) >= on,
            col(Designation.designated_until) <= horizon,
        )
        .order_by(col(Designation.designated_until))
    ).all()
    for d, name, party in rows:
        assert d.designated_until is not None
        label = legal.role_label(d.role)
        who = f"{name} ({label}{', ' + party if party else ''})"
        out.append(
            Upcoming(
                "aanwijzing",
                who,
                d.designated_until,
                f"De aanwijzing van {who} eindigt op {nl_date(d.designated_until)}; verleng de aanwijzing "
                "of leg de opvolger vast.",
                legal.cite(list(model.designation) + _role_sources(model.role(d.role))),
            )
        )
    besluit = besluit_facts(besluit_record(session, agreement.id, on))
    b = besluit_status(besluit, facts, on)
    if b.allowed and b.until is not None and b.until <= horizon:
        out.append(
            Upcoming(
                "besluit",
                "besluit ex artikel 20 Wpg",
                b.until,
                f"Het besluit ex artikel 20 Wpg geldt tot en met {nl_date(b.until)}; daarna worden geen "
                "politiegegevens meer verstrekt.",
                besluit_citations(facts)[0],
            )
        )
    events = term_events(session, agreement.id)
    status = term_status(facts, events, on)
    rule = model.term
    if status.in_force and status.period_end <= horizon:
        out.append(
            Upcoming(
                "looptijd",
                agreement.title,
                status.period_end,
                " ".join(status.warnings) or f"{agreement.title} loopt af op {nl_date(status.period_end)}.",
                legal.cite(rule.source + rule.objection_source),
            )
        )
    evaluation = rule.evaluation
    if status.in_force and evaluation is not None and evaluation.every_months:
        # A periodic written evaluation, as the term rule of the dossier declares.
        evaluations = [e.occurred_on for e in events if e.kind == "evaluatie" and e.occurred_on <= on]
        last = max(evaluations, default=agreement.term_start)
        due = add_months(last, evaluation.every_months)
        if due <= horizon:
            done = "er is nog geen evaluatie vastgelegd"
            if evaluations:
                done = f"de laatste was op {nl_date(last)}"
            out.append(
                Upcoming(
                    "evaluatie",
                    agreement.title,
                    due,
                    f"De periodieke schriftelijke evaluatie is uiterlijk {nl_date(due)} nodig ({done}).",
                    legal.cite(evaluation.source),
                )
            )
    return sorted(out, key=lambda u: u.ends_on)
