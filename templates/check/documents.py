"""What each document needs: the declaration offers a ground, the version is sane, properties fit DOCX."""

from __future__ import annotations

from templates.check.severity import ERROR, WARNING
from templates.dossier.model import Dossier
from templates.errors import Problem
from templates.formatting import format_date


def check_declaration(d: Dossier) -> list[Problem]:
    if d.declaration is None or d.declaration.grounds:
        return []
    return [
        Problem(
            "declaration.grounds",
            "de geheimhoudingsverklaring noemt geen grondslagen; wie haar ondertekent moet er één kiezen",
            ERROR,
            "verklaring_zonder_grondslagen",
        )
    ]


def check_version(d: Dossier) -> list[Problem]:
    if d.version is None or d.version.date <= d.signing.date:
        return []
    return [
        Problem(
            "version.date",
            f"de versie is van {format_date(d.version.date)}, na de ondertekening op "
            f"{format_date(d.signing.date)}: de partijen tekenen dan een eerdere tekst",
            WARNING,
            "versie_na_ondertekening",
        )
    ]


PROPERTY_MAX = 255  # DOCX core properties (title, author, subject) hold at most 255 characters


def check_document_properties(d: Dossier) -> list[Problem]:
    """Fields that become a document's title, author or subject (Office limits these to 255 characters)."""
    fields: list[tuple[str, str | None]] = [
        ("title", d.title),
        ("municipality", d.municipality or (d.region.name if d.region else None)),
        ("cooperation", d.cooperation),
    ]
    if d.besluit is not None:
        fields += [
            ("besluit.title", d.besluit.title),
            ("besluit.eenheid", d.besluit.eenheid),
            ("besluit.issuer.organisation", d.besluit.issuer.organisation),
        ]
    for i, m in enumerate(d.mandates):
        fields += [
            (f"mandates.{i}.document_title", m.document_title),
            (f"mandates.{i}.mandator.organisation", m.mandator.organisation),
            (f"mandates.{i}.mandator.function", m.mandator.function),
        ]
    if d.declaration is not None:
        fields.append(("declaration.title", d.declaration.title))
    return [
        Problem(
            path,
            f"is te lang ({len(value)} tekens); dit wordt de titel, auteur of het onderwerp van het "
            f"document en mag ten hoogste {PROPERTY_MAX} tekens hebben",
            code="string_too_long",
        )
        for path, value in fields
        if value is not None and len(value) > PROPERTY_MAX
    ]
