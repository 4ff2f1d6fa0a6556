"""Plain, frozen values the rules decide on. The registry's services build them from database rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class AgreementFacts:
    key: str
    title: str
    kind: str  # "samenwerkingsovereenkomst" (Zeist-style texts) | "convenant" (Amsterdam-style texts)
    term_start: date
    term_end: date  # end of the initial term, moved by each recorded renewal (na_evaluatie)
    renewal: str = "geen"  # "na_evaluatie" | "stilzwijgend" | "geen"
    renewal_years: int = 1
    objection: str | None = None  # "meerderheid"
    party_count: int = 0
    ended_on: date | None = None  # ended early (beëindiging), last day in force


@dataclass(frozen=True)
class TermEventFacts:
    kind: str  # "evaluatie" | "bezwaar" | "verlenging" | "beeindiging"
    occurred_on: date
    party_key: str | None = None
    new_term_end: date | None = None
    document_ref: str | None = None


@dataclass(frozen=True)
class DesignationFacts:
    role: str  # professional | wijkagent | vervanger | coordinator | agendadeelnemer
    party_key: str | None
    designated_from: date
    designated_until: date | None = None
    designated_by: str | None = None

    def active_on(self, on: date) -> bool:
        return self.designated_from <= on and (self.designated_until is None or on <= self.designated_until)


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
    providers: tuple[str, ...] = ("wijkagent", "vervanger")

    @property
    def last_day(self) -> date:
        """The last day the besluit applies (its end, or the day before revocation)."""
        from datetime import timedelta

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
