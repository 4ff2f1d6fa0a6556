"""Dossier model, legal text as data, and the DOCX/PDF renderers of a document set.

Public surface: ``load_dossier`` (YAML/JSON -> Dossier), ``check_dossier`` (consistency problems),
``document_names``, ``render_pdf`` / ``render_docx`` (one document), ``render_declaration``
(the geheimhoudingsverklaring for one agendadeelnemer), ``render_set`` (every document),
``reference_label`` (a key cited exactly as the documents print ``[[ref:KEY]]``, in the text's own
numbering style), ``citation`` (that label with the document it is in, as registry answers cite it:
"artikel 11, tweede lid, van bijlage 1"), ``plain_text`` (a text with its markup resolved, as one line for
pages and forms), ``signature_field`` (the name ``sig-<key>`` of a signature field).
"""

from templates.check import check_dossier
from templates.documents import document_names
from templates.dossier import Dossier
from templates.dossier.citation import citation
from templates.dossier.loading import dossier_json_schema, load_dossier
from templates.dossier.values import Participant
from templates.errors import (
    DossierInvalid,
    ParticipantInvalid,
    Problem,
    TemplatesError,
    UnknownDocument,
    UnknownReference,
)
from templates.fields import signature_field
from templates.numbering import reference_label
from templates.pdf import RenderedPdf, SignatureFieldSpec
from templates.plaintext import plain_text
from templates.render import (
    RenderedDocument,
    RenderedSet,
    render_declaration,
    render_docx,
    render_pdf,
    render_set,
)

__all__ = [
    "Dossier",
    "DossierInvalid",
    "Participant",
    "ParticipantInvalid",
    "Problem",
    "RenderedDocument",
    "RenderedPdf",
    "RenderedSet",
    "SignatureFieldSpec",
    "TemplatesError",
    "UnknownDocument",
    "UnknownReference",
    "check_dossier",
    "citation",
    "document_names",
    "dossier_json_schema",
    "load_dossier",
    "plain_text",
    "reference_label",
    "render_declaration",
    "render_docx",
    "render_pdf",
    "render_set",
    "signature_field",
]
