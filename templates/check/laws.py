"""The laws the dossier names are known and in force on the dates of the documents that name them."""

from __future__ import annotations

from datetime import date

from templates.dossier.model import Dossier
from templates.errors import Problem
from templates.laws import law_problems
from templates.numbering import MARKUP, iter_texts


def check_laws(d: Dossier) -> list[Problem]:
    texts = [
        (path, MARKUP.sub(" ", text))
        for path, text in iter_texts(d)
        if not path.endswith(".key") and not path.startswith("laws.")
    ]
    return law_problems(d, lambda path: _text_date(d, path), texts)


def _text_date(d: Dossier, path: str) -> tuple[str, date]:
    """The document a text belongs to and the date it speaks on: the besluit's and a mandaatbesluit's own
    date, otherwise the agreement's signing date."""
    if path.startswith("besluit.") and d.besluit is not None:
        return "het besluit", d.besluit.date
    if path.startswith("mandates."):
        return "het mandaatbesluit", d.mandates[int(path.split(".")[1])].date
    return "de overeenkomst", d.signing.date
