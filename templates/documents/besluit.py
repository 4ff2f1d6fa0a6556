"""The besluit ex artikel 20 Wpg, signed by its issuer (or under the mandate that covers it)."""

from __future__ import annotations

from templates.documents.builder import Builder
from templates.dossier.model import (
    Dossier,
    Mandate,
)
from templates.fields import signature_field
from templates.numbering import (
    Target,
)
from templates.viewmodel import Block, Document, SignatureView

BESLUIT = "besluit-art20"


def _mandate_signing_for(d: Dossier, document: str) -> Mandate | None:
    return next((m for m in d.mandates if document in m.documents), None)


def build_besluit(d: Dossier, targets: dict[str, Target]) -> Document:
    assert d.besluit is not None
    bs = d.besluit
    b = Builder(d, targets)
    before = [f"{bs.issuer.function},"]
    after = [bs.issuer.name]
    mandate = _mandate_signing_for(d, bs.key)
    if mandate is not None:
        after += ["namens deze,", mandate.mandatary.name, mandate.mandatary.function]
    sig = [Block("signatures", signatures=[SignatureView("", before, after, signature_field("besluit"))])]
    b.body(bs.body, signatures=sig)
    return Document(BESLUIT, bs.title, bs.issuer.organisation or bs.eenheid, d.title, b.blocks, bs.title)
