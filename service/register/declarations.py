"""Registering a geheimhoudingsverklaring signed outside the service (on paper, or elsewhere).

Only what the agreement's own declaration allows is stored: the ground must be one of the grounds the
dossier's declaration (bijlage 1.a) lets the agendadeelnemer choose, and the signed document must be
named with its SHA-256 (issue 10, item 16). The ``document`` is a reference to where the signed copy is
archived; it may never name a file this service stores (signed agreements and declarations live under
the documents folder and only the service itself points records at them — issue 10, item 1).
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from sqlmodel import Session

from registry import agreements
from registry.errors import InvalidRegistryInput, NotInRegistry
from registry.people import find_person_of
from registry.rules import nl_date
from registry.sync import get_agreement
from service.dossiers.service import get_dossier
from service.failures import NotFound
from service.register import repository, schemas
from service.settings import Settings


def _dossier_grounds(settings: Settings, agreement_key: str) -> dict[str, str]:

    try:
        dossier = get_dossier(settings, agreement_key)
    except NotFound:
        raise InvalidRegistryInput(
            f"grondslag: het dossier van overeenkomst '{agreement_key}' is niet aanwezig, dus de "
            "grondslagen van de geheimhoudingsverklaring zijn onbekend; upload eerst het dossier.",
            field="grondslag",
        ) from None
    if dossier.declaration is None:
        raise InvalidRegistryInput(
            "grondslag: dit dossier heeft geen geheimhoudingsverklaring voor agendadeelnemers.",
            field="grondslag",
        )
    return {g.key: " ".join(g.label.split()) for g in dossier.declaration.grounds}


def names_a_stored_file(settings: Settings, reference: str) -> bool:
    """Does ``reference`` point into the service's own document store (or outside, by a path trick)?"""
    ref = reference.strip().replace("\\", "/")
    parts = PurePosixPath(ref).parts
    if ref.startswith("/") or ".." in parts or (parts and parts[0] in ("ondertekening", "dossiers")):
        return True
    root = settings.documents_dir.resolve()
    target = (root / ref).resolve()
    return target.exists() or Path(ref).expanduser().is_absolute()


def register_declaration(
    db: Session, settings: Settings, agreement_key: str, body: schemas.DeclarationIn
) -> schemas.RecordedOut:
    agreement = get_agreement(db, agreement_key)
    grounds = _dossier_grounds(settings, agreement.key)
    if body.grondslag not in grounds:
        listed = "; ".join(f"{k} ({label})" for k, label in grounds.items())
        raise InvalidRegistryInput(
            f"grondslag: '{body.grondslag}' is geen grondslag uit de geheimhoudingsverklaring van deze "
            f"overeenkomst. Kies uit: {listed}.",
            field="grondslag",
        )
    if names_a_stored_file(settings, body.document):
        raise InvalidRegistryInput(
            "document: geef de vindplaats van de ondertekende verklaring in uw archief (bijvoorbeeld een "
            "zaaknummer); een pad naar een bestand van deze dienst is niet toegestaan.",
            field="document",
        )
    person = find_person_of(db, agreement, body.persoon)  # never someone known only elsewhere
    if person is None:
        raise NotInRegistry(
            f"persoon: '{body.persoon}' is niet bekend bij deze overeenkomst. Een nieuwe agendadeelnemer "
            "nodigt u uit via het wijkoverleg.",
            field="persoon",
        )
    repository.add_declaration(
        db,
        agreement=agreement,
        person=person,
        ground=body.grondslag,
        signed_on=body.ondertekend_op,
        document_ref=body.document.strip(),
        document_sha256=body.sha256,
    )
    return schemas.RecordedOut(
        melding=f"Geheimhoudingsverklaring van {person.name} vastgelegd "
        f"(ondertekend op {nl_date(body.ondertekend_op)}, grondslag: {grounds[body.grondslag]}).",
        artikel=agreements.event_citation(db, agreement, "verklaring"),
    )
