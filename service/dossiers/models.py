"""The table of the dossiers package: every stored version of a dossier's text."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

SOURCES = {
    "upload": "bestand geüpload",
    "editor": "bewerkt in de editor",
    "word": "geïmporteerd uit Word",
    "nieuw": "nieuw dossier",
    "bestaand": "vastgelegd bij verzenden",
    "nieuwe-versie": "nieuwe versie na ondertekening",
}


class DossierVersion(SQLModel, table=True):
    __tablename__ = "dossier_version"
    __table_args__ = (sa.UniqueConstraint("dossier_id", "number", name="uq_dossier_version_number"),)

    id: int | None = Field(default=None, primary_key=True)
    dossier_id: str = Field(max_length=80, index=True)
    number: int
    title: str = Field(max_length=2000)
    sha256: str = Field(max_length=64)
    path: str = Field(max_length=500)  # relative to <data_dir>/dossiers/.versies
    source: str = Field(max_length=20)  # a key of SOURCES
    author: str = Field(max_length=300)
    comment: str = Field(default="", max_length=1000)
    created_at: datetime = Field(sa_column=sa.Column(sa.DateTime(timezone=True), nullable=False))

    @property
    def source_label(self) -> str:
        return SOURCES.get(self.source, self.source)
