"""The dossier model and its loading."""

from templates.dossier.model import (
    Annex,
    Article,
    Besluit,
    Block,
    Body,
    Budget,
    Chapter,
    Declaration,
    Dossier,
    Ground,
    Lid,
    Mandate,
    Official,
    Party,
    Signatory,
    Term,
)

__all__ = [
    "Annex",
    "Article",
    "Besluit",
    "Block",
    "Body",
    "Budget",
    "Chapter",
    "Declaration",
    "Dossier",
    "Ground",
    "Lid",
    "Mandate",
    "Official",
    "Party",
    "Signatory",
    "Term",
]
