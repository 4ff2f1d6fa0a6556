"""A mandaatbesluit: the mandator lets the mandatary sign the documents it names."""

from __future__ import annotations

from templates.documents.builder import Builder, official_lines
from templates.dossier.model import (
    Dossier,
    Mandate,
)
from templates.fields import signature_field
from templates.formatting import format_date
from templates.numbering import (
    Target,
)
from templates.viewmodel import Block, Document, SignatureView

PREFIX = "mandaat-"  # the document name of a mandate: "mandaat-<mandate key>"


def build_mandate(d: Dossier, targets: dict[str, Target], mandate: Mandate) -> Document:
    b = Builder(d, targets)
    m = mandate
    b.add("heading", "Mandaatbesluit", level=1)
    b.add("para", f"{m.mandator.function},")
    for basis in m.legal_basis:
        b.add("para", basis)
    b.add("heading", "Besluit", level=4)
    b.add(
        "para",
        f"De {m.mandatary.function}, {m.mandatary.name}, tekenbevoegdheid te verlenen ten aanzien van "
        f"het ondertekenen van de \u201c{m.document_title}\u201d.",
    )
    if m.valid_until:
        b.add("para", f"Dit mandaat geldt tot en met {format_date(m.valid_until)}.")
    b.add("para", f"{m.place}, {format_date(m.date)},")
    view = SignatureView("", [], official_lines(m.mandator)[:2], signature_field(m.key))
    b.blocks.append(Block("signatures", signatures=[view]))
    return Document(
        f"{PREFIX}{m.key}",
        f"Mandaatbesluit {m.mandator.function} – {m.mandatary.name}",
        m.mandator.organisation or m.mandator.function,
        m.document_title,
        b.blocks,
        "Mandaatbesluit",
    )
