"""The document text shown on the signing page: footnotes (which float to the foot of the page in print)
keep their number in the text and are listed after it."""

from __future__ import annotations

from pathlib import Path

import templates
from service.invitations.document_view import document_body

STRUCTURED = Path(__file__).resolve().parents[1] / "templates" / "structured_dossier.yaml"


def test_footnotes_are_numbers_in_the_text_and_notes_at_the_end() -> None:
    dossier = templates.load_dossier(STRUCTURED.read_bytes())
    body = str(document_body(dossier, "overeenkomst"))
    assert 'class="fn"' not in body
    assert 'Zorg- en Veiligheidshuis.<sup class="noteref">1</sup> Zij leggen' in body
    notes = body[body.index('<div class="notes">') :]
    assert notes.index("Het Zorg- en Veiligheidshuis is het netwerk") < notes.index("De termijn loopt vanaf")
    assert notes.count("De termijn loopt vanaf") == 1
