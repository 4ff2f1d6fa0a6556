"""Schemas of the meeting check API."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from service.register.schemas import In, RuleAnswerOut


class AttendeeOut(BaseModel):
    opgegeven_als: str
    bekend: bool
    naam: str
    email: str | None
    organisatie: str | None
    rol: str | None
    rol_omschrijving: str
    politiegegevens: RuleAnswerOut
    persoonsgegevens: RuleAnswerOut
    ontbreekt: list[str]
    acties: list[str]
    waarschuwingen: list[str]


class MeetingCheckOut(BaseModel):
    overleg: str | None
    overeenkomst: str
    titel: str
    datum: date
    looptijd: RuleAnswerOut
    besluit: RuleAnswerOut
    deelnemers: list[AttendeeOut]
    waarschuwingen: list[str]
    onbekende_deelnemers: list[str]


class CheckIn(In):
    extra_deelnemers: list[str] = Field(
        default_factory=list, max_length=500, description="Extra deelnemers (sleutel, e-mailadres of naam)"
    )
    datum: date | None = Field(default=None, description="Toets op een andere datum dan die van het overleg")


class CapacityIn(In):
    """The capacity in which an attendee takes part: a role of the covenant, for a party (or none)."""

    deelnemer: str = Field(min_length=1, max_length=300, description="Deelnemer zoals in 'deelnemers'")
    rol: str = Field(min_length=1, max_length=80, description="Een rol uit het rechtsmodel (legal.roles)")
    partij: str | None = Field(default=None, max_length=80, description="Partij (sleutel) bij de rol")


class MeetingIn(In):
    """A meeting to plan. Planned again with the same data: nothing changes (200); with other data: 409
    naming the field — a change is ``PUT /meetings/{sleutel}``."""

    sleutel: str | None = Field(
        default=None,
        pattern=r"^[a-z0-9][a-z0-9_.-]*$",
        max_length=80,
        description="Leeg: gemaakt uit titel en datum, zoals op de pagina",
    )
    overeenkomst: str = Field(min_length=1, max_length=80)
    datum: date
    coordinator: str | None = Field(default=None, max_length=300)
    titel: str | None = Field(default=None, max_length=300)
    deelnemers: list[str] = Field(default_factory=list, max_length=500)
    hoedanigheden: list[CapacityIn] = Field(
        default_factory=list,
        max_length=500,
        description="Per deelnemer de hoedanigheid waarin zij deelneemt; die bepaalt wat zij mag ontvangen",
    )


class MeetingChangeIn(In):
    """An explicit change of a planned meeting: date, title, coordinator (empty: unchanged), attendees.
    The agreement never changes."""

    datum: date
    coordinator: str | None = Field(default=None, max_length=300)
    titel: str | None = Field(default=None, max_length=300)
    deelnemers: list[str] = Field(default_factory=list, max_length=500)
    hoedanigheden: list[CapacityIn] = Field(default_factory=list, max_length=500)


class MeetingOut(BaseModel):
    sleutel: str
    overeenkomst: str
    datum: date
    titel: str | None
    deelnemers: list[str]
