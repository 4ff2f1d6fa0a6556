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
from registry.rules import ROLE_LABELS, besluit_status, citations_for, nl_date, term_status
from registry.rules.terms import WARNING_DAYS, add_years
from registry.sync import get_agreement


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


def upcoming_endings(
    session: Session, agreement_key: str, on: date, days: int = WARNING_DAYS
) -> list[Upcoming]:
    agreement = get_agreement(session, agreement_key)
    assert agreement.id is not None
    cite = citations_for(agreement.kind)
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
        label = ROLE_LABELS.get(d.role, d.role)
        who = f"{name} ({label}{', ' + party if party else ''})"
        out.append(
            Upcoming(
                "aanwijzing",
                who,
                d.designated_until,
                f"De aanwijzing van {who} eindigt op {nl_date(d.designated_until)}; verleng de aanwijzing "
                "of leg de opvolger vast.",
                cite.designation,
            )
        )
    besluit = besluit_facts(besluit_record(session, agreement.id, on))
    b = besluit_status(besluit, agreement.kind, on)
    if b.allowed and b.until is not None and b.until <= horizon:
        out.append(
            Upcoming(
                "besluit",
                "besluit ex artikel 20 Wpg",
                b.until,
                f"Het besluit ex artikel 20 Wpg geldt tot en met {nl_date(b.until)}; daarna worden geen "
                "politiegegevens meer verstrekt.",
                cite.besluit_term,
            )
        )
    events = term_events(session, agreement.id)
    status = term_status(agreement_facts(session, agreement), events, on)
    if status.in_force and status.period_end <= horizon:
        out.append(
            Upcoming(
                "looptijd",
                agreement.title,
                status.period_end,
                " ".join(status.warnings) or f"{agreement.title} loopt af op {nl_date(status.period_end)}.",
                cite.renewal if agreement.renewal != "geen" else cite.term,
            )
        )
    if status.in_force and agreement.kind == "samenwerkingsovereenkomst":
        # Privacyregeling art. 14 lid 2: a written evaluation every year, together with the agreement's.
        evaluations = [e.occurred_on for e in events if e.kind == "evaluatie" and e.occurred_on <= on]
        last = max(evaluations, default=agreement.term_start)
        due = add_years(last, 1)
        if due <= horizon:
            done = "er is nog geen evaluatie vastgelegd"
            if evaluations:
                done = f"de laatste was op {nl_date(last)}"
            out.append(
                Upcoming(
                    "evaluatie",
                    agreement.title,
                    due,
                    f"De jaarlijkse schriftelijke evaluatie is uiterlijk {nl_date(due)} nodig ({done}).",
                    "privacyregeling art. 14 lid 2",
                )
            )
    return sorted(out, key=lambda u: u.ends_on)
