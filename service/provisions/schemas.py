"""Schemas of the provision log API (what the besluit asks to record: besluit, datum, reden, inhoud,
ontvanger; and the doelen, each of which must be one of the besluit's uses)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field

from service.register.schemas import In


class ProvisionIn(In):
    overeenkomst: str = Field(min_length=1, max_length=80)
    besluit: str | None = Field(
        default=None, max_length=80, description="Standaard: het besluit dat op de datum geldt"
    )
    verstrekker: str | None = Field(
        default=None, max_length=300, description="Sleutel of e-mailadres; standaard de aangemelde wijkagent"
    )
    ontvanger: str = Field(
        min_length=1, max_length=300, description="Sleutel of e-mailadres van de ontvanger"
    )
    datum: date
    reden: str = Field(min_length=1, max_length=4000)
    categorie: str = Field(
        min_length=1, max_length=20, description="Categorie politiegegevens uit het besluit (a–e)"
    )
    inhoud: str = Field(min_length=1, max_length=4000, description="Samenvatting van de verstrekte gegevens")
    doelen: list[Annotated[str, Field(min_length=1, max_length=80)]] = Field(
        default_factory=list,
        max_length=20,
        description="De gebruiken uit het besluit waarvoor wordt verstrekt (sleutels; één of meer)",
    )
    doel: str | None = Field(
        default=None,
        max_length=80,
        description="Eén gebruik uit het besluit (sleutel); ouder veld, telt mee met 'doelen'",
    )
    bijzonder: bool = Field(default=False, description="De verstrekking bevat bijzondere politiegegevens")

    def purposes(self) -> tuple[str, ...]:
        """The chosen purposes: ``doelen`` and the older single ``doel``, in order, once each."""
        return tuple(dict.fromkeys([*self.doelen, *([self.doel] if self.doel else [])]))


class ProvisionOut(BaseModel):
    id: int
    overeenkomst: str
    besluit: str
    besluit_titel: str
    datum: date
    verstrekker: str
    ontvanger: str
    ontvanger_email: str | None
    categorie: str
    doelen: list[str] = Field(default_factory=list)
    doel: str | None = Field(default=None, description="De doelen, gescheiden door komma's (ouder veld)")
    bijzonder: bool = False
    signalering: str | None = None
    reden: str
    inhoud: str
    vastgelegd_op: datetime
    vastgelegd_door: str
    artikel: str
