"""The document kinds of a dossier's set, in one registry: which documents a dossier has, their titles, and
how each is built. A new kind is one entry here and one module beside this one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from templates.documents.agreement import AGREEMENT, build_agreement
from templates.documents.besluit import BESLUIT, build_besluit
from templates.documents.declaration import DECLARATION, build_declaration
from templates.documents.mandate import PREFIX as MANDATE_PREFIX
from templates.documents.mandate import build_mandate
from templates.documents.markup import validate_markup
from templates.dossier.model import Dossier, Mandate
from templates.dossier.values import Participant
from templates.errors import UnknownDocument
from templates.numbering import Target
from templates.viewmodel import Document

Builder = Callable[[Dossier, dict[str, Target], str, Participant | None], Document]


@dataclass(frozen=True)
class DocumentKind:
    """One kind of document: ``names`` lists its documents in a dossier (stable identifiers, used in URLs and
    by the other packages), ``title`` is what a list of documents shows, ``build`` makes the view model."""

    kind: str
    names: Callable[[Dossier], list[str]]
    title: Callable[[Dossier, str], str]
    build: Builder


def _mandate(d: Dossier, name: str) -> Mandate:
    mandate = d.mandate(name.removeprefix(MANDATE_PREFIX)) if name.startswith(MANDATE_PREFIX) else None
    assert mandate is not None  # only called for names this kind listed
    return mandate


def _besluit_title(d: Dossier, name: str) -> str:
    assert d.besluit is not None
    return d.besluit.title


def _declaration_title(d: Dossier, name: str) -> str:
    assert d.declaration is not None
    return d.declaration.title


def _mandate_title(d: Dossier, name: str) -> str:
    m = _mandate(d, name)
    return f"Mandaatbesluit: {m.mandatary.name} tekent namens {m.mandator.function}"


KINDS: tuple[DocumentKind, ...] = (
    DocumentKind(
        "overeenkomst",
        lambda d: [AGREEMENT],
        lambda d, name: d.title,
        lambda d, targets, name, participant: build_agreement(d, targets),
    ),
    DocumentKind(
        "besluit",
        lambda d: [BESLUIT] if d.besluit is not None else [],
        _besluit_title,
        lambda d, targets, name, participant: build_besluit(d, targets),
    ),
    DocumentKind(
        "mandaatbesluit",
        lambda d: [f"{MANDATE_PREFIX}{m.key}" for m in d.mandates],
        _mandate_title,
        lambda d, targets, name, participant: build_mandate(d, targets, _mandate(d, name)),
    ),
    DocumentKind(
        "geheimhoudingsverklaring",
        lambda d: [DECLARATION] if d.declaration is not None else [],
        _declaration_title,
        lambda d, targets, name, participant: build_declaration(d, targets, participant),
    ),
)


def document_names(dossier: Dossier) -> list[str]:
    """The documents of the dossier's set, in the order of the set."""
    return [name for kind in KINDS for name in kind.names(dossier)]


def kind_of(dossier: Dossier, name: str) -> DocumentKind | None:
    return next((kind for kind in KINDS if name in kind.names(dossier)), None)


def document_title(dossier: Dossier, name: str) -> str:
    kind = kind_of(dossier, name)
    return kind.title(dossier, name) if kind is not None else name


def build_document(dossier: Dossier, name: str, participant: Participant | None = None) -> Document:
    targets = validate_markup(dossier)
    kind = kind_of(dossier, name)
    if kind is None:
        raise UnknownDocument(
            f"Het document '{name}' hoort niet bij dit dossier. "
            f"Beschikbaar: {', '.join(document_names(dossier))}."
        )
    return kind.build(dossier, targets, name, participant)
