"""The legal model an agreement was synced with (stored as JSON on the agreement)."""

from __future__ import annotations

from registry.errors import InvalidRegistryInput
from registry.models import Agreement
from registry.rules.facts import LegalFacts


def agreement_legal(agreement: Agreement) -> LegalFacts:
    """The legal model stored on sync; an agreement synced before the model existed must be synced again."""
    if not agreement.legal:
        raise InvalidRegistryInput(
            f"Van {agreement.title} is geen rechtsmodel bekend; laad het dossier (schema_version 2, met "
            "'legal') opnieuw.",
            field="agreement",
        )
    return LegalFacts.from_json(agreement.legal)


def invited_role(legal: LegalFacts) -> str | None:
    """The role of someone invited who is not of a party and signs the declaration (an agendadeelnemer, an
    ad-hocdeelnemer, ...): a role not of a party that a ``verklaring`` condition applies to; else the first
    role not of a party; None when the covenant has none."""
    model = legal.model
    outside = [r.key for r in model.roles if not r.of_party]
    for condition in model.conditions:
        if condition.kind == "verklaring":
            for role in condition.roles or outside:
                if role in outside:
                    return role
    return outside[0] if outside else None
