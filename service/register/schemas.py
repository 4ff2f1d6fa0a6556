"""Pydantic schemas of the registry API (out: Dutch keys, as the user reads them)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RuleAnswerOut(BaseModel):
    toegestaan: bool
    tot_en_met: date | None
    reden: str
    artikel: str
    ontbreekt: list[str]
    acties: list[str]
    waarschuwingen: list[str]


class RegisterRowOut(BaseModel):
    naam: str
    email: str | None
    functie: str | None
    partij: str | None
    rol: str
    aangewezen_van: date
    aangewezen_tot_en_met: date | None
    politiegegevens: RuleAnswerOut
    persoonsgegevens: RuleAnswerOut
    verstrekt_politiegegevens: RuleAnswerOut | None


class RegisterOut(BaseModel):
    overeenkomst: str
    titel: str
    peildatum: date
    artikel: str
    regels: list[RegisterRowOut]


class DeclarationIn(In):
    persoon: str = Field(
        min_length=1, max_length=300, description="Sleutel of e-mailadres van de agendadeelnemer"
    )
    grondslag: str = Field(
        min_length=1, max_length=80, description="Sleutel van een grondslag uit de verklaring van het dossier"
    )
    ondertekend_op: date
    document: str = Field(
        min_length=1,
        max_length=500,
        pattern=r"\S",
        description="Vindplaats van de ondertekende verklaring in het archief (geen bestandspad)",
    )
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 van de ondertekende verklaring")


class EvaluationIn(In):
    datum: date
    document: str = Field(min_length=1, max_length=500)
    toelichting: str | None = Field(default=None, max_length=4000)


class ObjectionIn(In):
    partij: str = Field(min_length=1, max_length=80)
    datum: date
    toelichting: str | None = Field(default=None, max_length=4000)


class RenewalIn(In):
    datum: date


class RevocationIn(In):
    ingetrokken_per: date
    reden: str = Field(min_length=1, max_length=2000)


class RecordedOut(BaseModel):
    melding: str
    artikel: str
    tot_en_met: date | None = None


class AuditReportOut(BaseModel):
    in_orde: bool
    aantal: int
    laatste_hash: str
    problemen: list[str]
    controlepunten: int = 0  # signed checkpoints of the head, checked against the chain


class AuditEntryOut(BaseModel):
    nummer: int
    tijdstip: str
    door: str
    actie: str
    soort: str
    betreft: str
    overeenkomst: str | None  # None: the entry concerns the instance, no agreement
    wijzigingen: str  # canonical JSON, as hashed (blanked after a retention redaction)


class UpcomingOut(BaseModel):
    soort: str
    betreft: str
    eindigt_op: date
    melding: str
    artikel: str
