"""The registry's tables (SQLModel). Alembic (registry/migrations) owns the schema (no create_all).

Dates that have legal meaning (designated from/until, besluit in force, signed on) are ``date``; moments
(recorded at, revoked at) are timezone-aware ``datetime`` in UTC. Lists of keys (a besluit's categories,
a mandate's documents) are JSON arrays.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

TERM_EVENT_KINDS = ("evaluatie", "bezwaar", "verlenging", "beeindiging", "uittreding")


def _json() -> Any:
    return sa.Column(sa.JSON, nullable=False, default=list)


def _ts(nullable: bool = False) -> Any:
    return sa.Column(sa.DateTime(timezone=True), nullable=nullable)


class Organisation(SQLModel, table=True):
    __tablename__ = "reg_organisation"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=80, sa_column_kwargs={"unique": True})
    name: str = Field(max_length=300)
    kind: str = Field(default="overig", max_length=40)


class Person(SQLModel, table=True):
    __tablename__ = "reg_person"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=80, sa_column_kwargs={"unique": True})
    name: str = Field(max_length=300, index=True)
    email: str | None = Field(default=None, max_length=254, index=True)  # stored lower-case
    function: str | None = Field(default=None, max_length=300)
    organisation_id: int | None = Field(default=None, foreign_key="reg_organisation.id", index=True)


class Agreement(SQLModel, table=True):
    __tablename__ = "reg_agreement"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=80, sa_column_kwargs={"unique": True})  # the dossier id
    title: str = Field(max_length=2000)
    kind: str = Field(max_length=40)  # what the dossier calls itself; shown, never decided on
    municipality: str = Field(max_length=300)
    status: str = Field(default="actief", max_length=20)  # actief | beeindigd
    signed_on: date | None = None
    term_start: date
    term_end: date  # end of the initial term (date.max for an indefinite term)
    renewal: str = Field(default="vast", max_length=40)  # the model's term kind (for listings)
    renewal_years: int = 1
    objection: str | None = Field(default=None, max_length=20)
    ended_on: date | None = None
    # The dossier's legal model and the citation of every key it names (registry.rules.LegalFacts).
    legal: dict[str, Any] | None = Field(default=None, sa_column=sa.Column(sa.JSON, nullable=True))


class AgreementParty(SQLModel, table=True):
    __tablename__ = "reg_party"
    __table_args__ = (sa.UniqueConstraint("agreement_id", "key", name="uq_reg_party_agreement_key"),)
    id: int | None = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="reg_agreement.id", index=True)
    organisation_id: int = Field(foreign_key="reg_organisation.id", index=True)
    key: str = Field(max_length=80)
    name: str = Field(max_length=300)
    kind: str = Field(max_length=40)
    represented_by: str | None = Field(default=None, max_length=300)


class Designation(SQLModel, table=True):
    """A person designated for an agreement's wijkoverleg in a role, from/until (inclusive)."""

    __tablename__ = "reg_designation"
    __table_args__ = (sa.Index("ix_reg_designation_agreement_person", "agreement_id", "person_id"),)
    id: int | None = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="reg_agreement.id")
    person_id: int = Field(foreign_key="reg_person.id", index=True)
    party_id: int | None = Field(default=None, foreign_key="reg_party.id")  # None: a role not of a party
    role: str = Field(max_length=80)  # a role key of the dossier's legal model
    designated_from: date
    designated_until: date | None = None
    designated_by: str | None = Field(default=None, max_length=300)  # e.g. "basisteamleiding"


class MandateRecord(SQLModel, table=True):
    __tablename__ = "reg_mandate"
    __table_args__ = (sa.UniqueConstraint("agreement_id", "key", name="uq_reg_mandate_agreement_key"),)
    id: int | None = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="reg_agreement.id", index=True)
    key: str = Field(max_length=80)
    mandator_name: str = Field(max_length=300)
    mandator_function: str = Field(max_length=300)
    mandatary_name: str = Field(max_length=300)
    mandatary_function: str = Field(max_length=300)
    documents: list[str] = Field(default_factory=list, sa_column=_json())
    document_title: str = Field(max_length=2000)
    decided_on: date
    valid_until: date | None = None


class BesluitRecord(SQLModel, table=True):
    """A besluit ex artikel 20 Wpg: in force from/until (computed from the dossier's rule); revocable."""

    __tablename__ = "reg_besluit"
    __table_args__ = (sa.UniqueConstraint("agreement_id", "key", name="uq_reg_besluit_agreement_key"),)
    id: int | None = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="reg_agreement.id", index=True)
    key: str = Field(max_length=80)
    title: str = Field(max_length=2000)
    issuer_name: str = Field(max_length=300)
    issuer_function: str = Field(max_length=300)
    decided_on: date
    in_force_from: date
    in_force_until: date
    revoked_on: date | None = None  # the day from which it no longer applies
    revoked_at: datetime | None = Field(default=None, sa_column=_ts(nullable=True))
    revocation_reason: str | None = Field(default=None, max_length=2000)
    recipients: list[str] = Field(default_factory=list, sa_column=_json())  # party keys
    categories: list[str] = Field(default_factory=list, sa_column=_json())  # category keys a-e
    providers: list[str] = Field(default_factory=list, sa_column=_json())  # as the besluit names them
    uses: list[str] = Field(default_factory=list, sa_column=_json())  # the purposes (use keys)


class DeclarationRecord(SQLModel, table=True):
    """A signed geheimhoudingsverklaring (the condition ``verklaring`` of the legal model)."""

    __tablename__ = "reg_declaration"
    __table_args__ = (sa.Index("ix_reg_declaration_agreement_person", "agreement_id", "person_id"),)
    id: int | None = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="reg_agreement.id")
    person_id: int = Field(foreign_key="reg_person.id", index=True)
    ground: str = Field(max_length=80)
    document_ref: str | None = Field(default=None, max_length=500)
    document_sha256: str | None = Field(default=None, max_length=64)
    signed_on: date


class Meeting(SQLModel, table=True):
    __tablename__ = "reg_meeting"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=80, sa_column_kwargs={"unique": True})
    agreement_id: int = Field(foreign_key="reg_agreement.id", index=True)
    held_on: date
    coordinator_id: int | None = Field(default=None, foreign_key="reg_person.id")
    title: str | None = Field(default=None, max_length=300)


class MeetingAttendee(SQLModel, table=True):
    __tablename__ = "reg_meeting_attendee"
    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="reg_meeting.id", index=True)
    person_id: int | None = Field(default=None, foreign_key="reg_person.id")
    given_as: str = Field(max_length=300)  # e-mail, key or name as the coordinator gave it
    # The capacity in which the person attends: a role of the model, for a party (None: not recorded).
    role: str | None = Field(default=None, max_length=80)
    party_id: int | None = Field(default=None, foreign_key="reg_party.id")


class Provision(SQLModel, table=True):
    """One provision of police data, recorded as the besluit requires (``legal.besluit.recording_source``)."""

    __tablename__ = "reg_provision"
    id: int | None = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="reg_agreement.id", index=True)
    besluit_id: int = Field(foreign_key="reg_besluit.id", index=True)
    provider_id: int = Field(foreign_key="reg_person.id")
    recipient_id: int = Field(foreign_key="reg_person.id")
    provided_on: date
    reason: str = Field(max_length=4000)
    category: str = Field(max_length=20)
    purposes: list[str] = Field(default_factory=list, sa_column=_json())  # use keys of the besluit
    special: bool = False  # includes special police data (bijzondere politiegegevens)
    content_summary: str = Field(max_length=4000)
    recorded_at: datetime = Field(sa_column=_ts())
    recorded_by: str = Field(max_length=300)


class TermEvent(SQLModel, table=True):
    """Evaluations recorded, objections, renewals, endings of the term, and partners leaving (uittreding)."""

    __tablename__ = "reg_term_event"
    id: int | None = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="reg_agreement.id", index=True)
    kind: str = Field(max_length=20)
    occurred_on: date
    party_id: int | None = Field(default=None, foreign_key="reg_party.id")  # the objecting party
    document_ref: str | None = Field(default=None, max_length=500)
    note: str | None = Field(default=None, max_length=4000)
    new_term_end: date | None = None  # for a renewal
    recorded_at: datetime = Field(sa_column=_ts())


class AuditEntry(SQLModel, table=True):
    """One change, chained to the previous entry by SHA-256 (see registry.audit)."""

    __tablename__ = "reg_audit"
    id: int | None = Field(default=None, primary_key=True)
    seq: int = Field(sa_column_kwargs={"unique": True, "nullable": False})
    at: str = Field(max_length=40)  # ISO 8601 UTC, as hashed
    actor: str = Field(max_length=300)
    action: str = Field(max_length=80)  # aangemaakt | gewijzigd | verwijderd | <domain action>
    entity: str = Field(max_length=80)
    entity_id: str = Field(max_length=80)
    changes: str = Field(sa_column=sa.Column(sa.Text, nullable=False))  # canonical JSON (redactable)
    changes_digest: str = Field(max_length=64)  # SHA-256 of changes as written; this is what is hashed
    # Tenancy (hashed when set, see registry.audit.entry_hash): the agreement the entry concerns (None:
    # instance-wide) and the staff organisation of the account that made it, when known.
    agreement_key: str | None = Field(default=None, max_length=80, index=True)
    organisation_id: int | None = Field(default=None, index=True)
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


def row_id(row: SQLModel) -> int:
    """The primary key of a stored row (flushed rows always have one)."""
    value = getattr(row, "id", None)
    if not isinstance(value, int):
        raise ValueError(f"{type(row).__name__} is nog niet opgeslagen")
    return value


REGISTRY_TABLES = [
    m.__table__  # type: ignore[union-attr]  # sqlmodel does not type __table__ on table classes
    for m in (
        Organisation,
        Person,
        Agreement,
        AgreementParty,
        Designation,
        MandateRecord,
        BesluitRecord,
        DeclarationRecord,
        Meeting,
        MeetingAttendee,
        Provision,
        TermEvent,
        AuditEntry,
    )
]
