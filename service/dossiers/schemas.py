"""What the dossier endpoints return."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class ProblemOut(BaseModel):
    pad: str = Field(
        description="Het veld waar het om gaat (pad met punten, bv. parties.0.signatories.1.mandate)"
    )
    melding: str
    ernst: str = Field(description="'fout' of 'waarschuwing'")
    code: str


class DocumentOut(BaseModel):
    naam: str = Field(description="Vaste naam van het document, bv. 'overeenkomst', 'besluit-art20'")
    titel: str
    pdf: str = Field(description="Adres van de PDF")
    docx: str = Field(description="Adres van de DOCX")


class DossierSummary(BaseModel):
    id: str
    titel: str
    gemeente: str
    soort: str
    documenten: str = Field(description="Adres van de documentenlijst")


class UploadResult(BaseModel):
    id: str
    titel: str
    vervangen: bool = Field(
        description="Er stond al een dossier met dit id; dit is er een nieuwe versie van "
        "(de oude blijft bewaard)"
    )
    versie: int = Field(description="Het nummer van de versie die is opgeslagen")
    ondertekende_versie: int | None = Field(
        default=None,
        description="De volledig ondertekende versie waarvoor de handtekeningen gelden "
        "(niet deze nieuwe versie)",
    )
    let_op: str | None = Field(
        default=None, description="Wat er moet gebeuren na een wijziging na ondertekening"
    )
    waarschuwingen: list[ProblemOut]
    documenten: list[DocumentOut]


class SigningStateOut(BaseModel):
    status: str = Field(description="'open', 'voltooid' (volledig ondertekend) of 'ingetrokken'")
    versie: int | None = Field(description="De dossierversie die ter ondertekening is verstuurd")
    geldt_voor_huidige_versie: bool = Field(
        description="De handtekeningen gelden voor de huidige versie "
        "(volledig ondertekend en sindsdien niet gewijzigd)"
    )


class VersionOut(BaseModel):
    versie: int
    gemaakt: datetime
    door: str
    hoe: str
    toelichting: str
    sha256: str
    ondertekening: list[str] = Field(description="Status van elke ondertekeningsronde van deze versie")
    ondertekend_door: list[str]
    yaml: str = Field(description="Adres van de tekst van deze versie")


class DossierDetail(BaseModel):
    samenvatting: DossierSummary
    versie: int | None = Field(description="Het nummer van de huidige (nieuwste) versie")
    ondertekening: SigningStateOut | None
    rapport: list[ProblemOut]
    dossier: dict[str, object]
