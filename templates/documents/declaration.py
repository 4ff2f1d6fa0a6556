"""The geheimhoudingsverklaring: blank (as an annex) or filled in for one agendadeelnemer."""

from __future__ import annotations

from templates.documents.builder import Builder
from templates.documents.text import clean
from templates.dossier.model import (
    Dossier,
)
from templates.dossier.values import Participant
from templates.errors import ParticipantInvalid, Problem
from templates.fields import signature_field
from templates.numbering import (
    Target,
)
from templates.viewmodel import Block, Document, SignatureView

DECLARATION = "geheimhoudingsverklaring"


def declaration_signature(b: Builder) -> list[Block]:
    p = b.participant
    after = [f"{p.name}, {p.institution}"] if p else ["[Handtekening agendadeelnemer]"]
    view = SignatureView("", [], after, signature_field("agendadeelnemer") if b.fields else None)
    return [Block("signatures", signatures=[view])]


def check_participant(d: Dossier, p: Participant) -> None:
    """The participant's ground must be one of the declaration's; names must be present and sane."""
    assert d.declaration is not None
    problems = []
    keys = [g.key for g in d.declaration.grounds]
    if p.ground_key not in keys:
        problems.append(
            Problem(
                "deelnemer.grondslag",
                f"onbekende grondslag '{p.ground_key[:80]}'; kies uit: {', '.join(keys)}",
                code="grondslag_onbekend",
            )
        )
    for path, value in (("deelnemer.naam", p.name), ("deelnemer.instelling", p.institution)):
        if not clean(value).strip():
            problems.append(Problem(path, "is verplicht", code="missing"))
        elif len(value) > 300:
            problems.append(Problem(path, "is te lang (ten hoogste 300 tekens)", code="string_too_long"))
    if problems:
        raise ParticipantInvalid(
            "De gegevens van de agendadeelnemer passen niet in de verklaring: "
            + "; ".join(f"{x.path}: {x.message}" for x in problems),
            problems,
        )


def build_declaration(d: Dossier, targets: dict[str, Target], participant: Participant | None) -> Document:
    assert d.declaration is not None
    if participant is not None:
        check_participant(d, participant)
    b = Builder(d, targets, participant)
    b.body(d.declaration.body, signatures=declaration_signature(b))
    title = d.declaration.title + (f" – {participant.name}" if participant else "")
    return Document(
        DECLARATION,
        title,
        participant.name if participant else d.area,
        d.title,
        b.blocks,
        d.declaration.title,
    )
