"""From a dossier to the view model of each document of its set, one module per document kind.

Document names are stable identifiers (URLs, other packages): ``overeenkomst``, ``besluit-art20``,
``mandaat-<mandate key>``, ``geheimhoudingsverklaring``. Signature fields (``templates.fields``):
``sig-<signatory key>`` in the agreement, ``sig-besluit``, ``sig-<mandate key>``, ``sig-agendadeelnemer``.

- ``kinds``: the registry of document kinds (``document_names``, ``document_title``, ``build_document``)
- ``agreement``, ``besluit``, ``mandate``, ``declaration``: one document kind each
- ``builder``: the ``Builder`` every kind uses; ``markup``: inline markup checked first; ``text``: ``clean``
"""

from templates.documents.agreement import AGREEMENT, build_agreement
from templates.documents.besluit import BESLUIT, build_besluit
from templates.documents.builder import budget_rows
from templates.documents.declaration import DECLARATION, build_declaration, check_participant
from templates.documents.kinds import (
    KINDS,
    DocumentKind,
    build_document,
    document_names,
    document_title,
    kind_of,
)
from templates.documents.mandate import build_mandate
from templates.documents.markup import validate_markup
from templates.documents.text import clean

__all__ = [
    "AGREEMENT",
    "BESLUIT",
    "DECLARATION",
    "KINDS",
    "DocumentKind",
    "budget_rows",
    "build_agreement",
    "build_besluit",
    "build_declaration",
    "build_document",
    "build_mandate",
    "check_participant",
    "clean",
    "document_names",
    "document_title",
    "kind_of",
    "validate_markup",
]
