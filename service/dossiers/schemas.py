"""What the dossier endpoints return."""

from __future__ import annotations

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
    vervangen: bool = Field(description="Er stond al een dossier met dit id; het is vervangen")
    waarschuwingen: list[ProblemOut]
    documenten: list[DocumentOut]


class DossierDetail(BaseModel):
    samenvatting: DossierSummary
    rapport: list[ProblemOut]
    dossier: dict[str, object]
