"""Import a covenant from Word (.docx) into a draft dossier, with a report of what could not be placed.

``import_docx(data)`` reads the paragraphs (Word's own numbering made visible, see ``reader``), rebuilds the
structure (``structure``) and validates the draft against the dossier model. Cross-references in the text
("artikel 13, tweede lid") become ``[[ref:…]]`` where they resolve within the same text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from templates.dossier.loading import dossier_from_data
from templates.dossier.model import Dossier
from templates.wordimport.reader import Para, read_paragraphs
from templates.wordimport.structure import Draft, Finding, build_draft

__all__ = ["Finding", "WordImport", "import_docx", "read_paragraphs", "Para"]


@dataclass(frozen=True)
class WordImport:
    dossier: Dossier
    data: dict[str, object]  # the draft as plain data (what is stored as the first version)
    unplaced: list[Finding]  # text that could not be placed
    check: list[Finding]  # placed by a guess: the author should check these
    references: int  # cross-references turned into [[ref:…]]
    paragraphs: int


def import_docx(data: bytes, *, dossier_id: str | None = None, today: date | None = None) -> WordImport:
    paragraphs = read_paragraphs(data)
    draft: Draft = build_draft(paragraphs, dossier_id=dossier_id, today=today)
    dossier = dossier_from_data(draft.data, "word-import")
    return WordImport(dossier, draft.data, draft.unplaced, draft.check, draft.references, len(paragraphs))
