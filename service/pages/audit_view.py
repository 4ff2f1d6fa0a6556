"""The audit log as a privacy officer reads it: Dutch dates, names and labels instead of ISO timestamps,
table names and role keys. The stored entries (and their hash chain) are not touched."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlmodel import Session

from service.accounts import repository as accounts_repository
from service.accounts.roles import ROLE_LABELS
from service.clock import nl_datetime
from service.register import repository as register_repository

if TYPE_CHECKING:
    from registry.models import AuditEntry

ENTITY_LABELS = {
    "reg_organisation": "organisatie",
    "reg_person": "persoon",
    "reg_agreement": "overeenkomst",
    "reg_party": "partij",
    "reg_designation": "aanwijzing",
    "reg_mandate": "mandaatbesluit",
    "reg_besluit": "besluit politiegegevens",
    "reg_declaration": "geheimhoudingsverklaring",
    "reg_meeting": "wijkoverleg",
    "reg_meeting_attendee": "deelnemer aan een wijkoverleg",
    "reg_provision": "verstrekking van politiegegevens",
    "reg_term_event": "looptijd van de overeenkomst",
    "reg_audit": "auditlog",
    "account_user": "account",
    "account_api_token": "API-sleutel",
    "account_session": "aanmelding",
    "sign_round": "ondertekening",
    "sign_link": "ondertekeningslink",
    "sign_event": "handtekening",
}
_ROLE = re.compile(r"^(?P<who>.*?)\s*\((?P<role>[a-z]+)\)$")
_ROLE_BY_VALUE = {r.value: label for r, label in ROLE_LABELS.items()}


@dataclass(frozen=True)
class AuditRow:
    seq: int
    when: str
    actor: str
    action: str
    what: str
    agreement: str  # the entry's agreement key, or "instantie" for an instance-wide entry


def _when(at: str) -> str:
    try:
        return nl_datetime(datetime.fromisoformat(at))
    except ValueError:
        return at


def _actor(actor: str, names: dict[str, str]) -> str:
    m = _ROLE.match(actor)
    who, role = (m.group("who"), _ROLE_BY_VALUE.get(m.group("role"), m.group("role"))) if m else (actor, None)
    name = names.get(who.lower())
    shown = f"{name} ({who})" if name else who
    return f"{shown}, {role.lower()}" if role else shown


def audit_rows(db: Session, entries: list[AuditEntry]) -> list[AuditRow]:
    users = accounts_repository.users(db)
    names = {u.email.lower(): u.name for u in users}
    account_names = {str(u.id): f"{u.name} ({u.email})" for u in users}
    person_ids = [int(e.entity_id) for e in entries if e.entity == "reg_person" and e.entity_id.isdigit()]
    people = {str(k): name for k, name in register_repository.person_names(db, person_ids).items()}
    rows = []
    for e in entries:
        label = ENTITY_LABELS.get(e.entity, e.entity.replace("_", " "))
        known = account_names if e.entity == "account_user" else people if e.entity == "reg_person" else {}
        what = f"{label}: {known[e.entity_id]}" if e.entity_id in known else f"{label} nummer {e.entity_id}"
        rows.append(
            AuditRow(
                e.seq,
                _when(e.at),
                _actor(e.actor, names),
                e.action.replace("_", " "),
                what,
                e.agreement_key or "instantie",
            )
        )
    return rows
