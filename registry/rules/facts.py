"""Plain, frozen values the rules decide on. The registry's services build them from database rows.

``LegalFacts`` is what the registry stores of a dossier's legal model on sync: the model itself and the
citation of every key it names, rendered from the dossier's own numbering (``templates.dossier.citation``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from templates.dossier.legal import LegalModel, Role


@dataclass(frozen=True)
class LegalFacts:
    model: LegalModel
    citations: Mapping[str, str] = field(default_factory=dict)

    def cite(self, keys: Iterable[str]) -> str:
        """The citations of ``keys`` in order, once each, joined with "; "."""
        words = [self.citations.get(k, f"[onbekende bepaling '{k}']") for k in keys]
        return "; ".join(dict.fromkeys(words))

    def role(self, key: str) -> Role | None:
        return self.model.role(key)

    def role_label(self, key: str | None) -> str:
        role = self.model.role(key) if key else None
        return role.label if role is not None else (key or "niet aangewezen")

    def as_json(self) -> dict[str, Any]:
        return {"model": self.model.model_dump(mode="json"), "citations": dict(self.citations)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> LegalFacts:
        return cls(LegalModel.model_validate(data["model"]), dict(data.get("citations") or {}))


@dataclass(frozen=True)
class AgreementFacts:
    key: str
    title: str
    term_start: date
    term_end: date  # end of the initial term (date.max for an indefinite term)
    legal: LegalFacts
    parties: tuple[str, ...] = ()  # party keys of the agreement
    ended_on: date | None = None  # ended early (beëindiging), last day in force


@dataclass(frozen=True)
class TermEventFacts:
    kind: str  # "evaluatie" | "bezwaar" | "verlenging" | "beeindiging" | "uittreding"
    occurred_on: date
    party_key: str | None = None
    new_term_end: date | None = None
    document_ref: str | None = None


@dataclass(frozen=True)
class DesignationFacts:
    role: str  # a role key of the dossier's legal model
    party_key: str | None
    designated_from: date
    designated_until: date | None = None
    designated_by: str | None = None

    def active_on(self, on: date) -> bool:
        return self.designated_from <= on and (self.designated_until is None or on <= self.designated_until)


@dataclass(frozen=True)
class Capacity:
    """The capacity in which someone attends a meeting: a role, for a party (None: not for a party)."""

    role: str
    party_key: str | None = None


@dataclass(frozen=True)
class BesluitFacts:
    key: str
    title: str
    decided_on: date
    in_force_from: date
    in_force_until: date
    revoked_on: date | None = None  # first day on which it no longer applies
    recipients: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    uses: tuple[str, ...] = ()

    @property
    def last_day(self) -> date:
        """The last day the besluit applies (its end, or the day before revocation)."""
        if self.revoked_on is not None:
            return min(self.in_force_until, self.revoked_on - timedelta(days=1))
        return self.in_force_until


@dataclass(frozen=True)
class DeclarationFacts:
    ground: str
    signed_on: date
    document_ref: str | None = None


@dataclass(frozen=True)
class PersonFacts:
    """Everything the rules need about one person for one agreement."""

    name: str
    designations: tuple[DesignationFacts, ...] = ()
    declarations: tuple[DeclarationFacts, ...] = field(default_factory=tuple)
