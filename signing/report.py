"""The validation report: per signature, in the EU DSS vocabulary (indications as-is, texts Dutch)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

Indication = Literal["TOTAL_PASSED", "INDETERMINATE", "TOTAL_FAILED"]


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass(frozen=True)
class Coverage:
    """What a signature covers, and what was appended after it."""

    whole_document: bool
    later_revisions: int
    modification_level: (
        str | None
    )  # pyHanko ModificationLevel: NONE, LTA_UPDATES, FORM_FILLING, ANNOTATIONS, OTHER
    permitted: bool
    description: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "volledig_document": self.whole_document,
            "latere_revisies": self.later_revisions,
            "wijzigingsniveau": self.modification_level,
            "wijzigingen_toegestaan": self.permitted,
            "omschrijving": self.description,
        }


@dataclass(frozen=True)
class SignatureReport:
    field_name: str
    kind: Literal["handtekening", "documenttijdstempel"]
    indication: Indication
    sub_indication: str | None
    signer: str | None
    claimed_signing_time: datetime | None
    timestamped_signing_time: datetime | None
    level: str | None  # PAdES baseline level reached: B-B, B-T, B-LT, B-LTA (None when not passed)
    trust_chain: tuple[str, ...]
    coverage: Coverage
    problems: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        return self.indication == "TOTAL_PASSED"

    def as_dict(self) -> dict[str, Any]:
        return {
            "veld": self.field_name,
            "soort": self.kind,
            "indication": self.indication,
            "sub_indication": self.sub_indication,
            "ondertekenaar": self.signer,
            "opgegeven_ondertekentijd": _iso(self.claimed_signing_time),
            "tijdstempel_ondertekentijd": _iso(self.timestamped_signing_time),
            "niveau": self.level,
            "vertrouwensketen": list(self.trust_chain),
            "dekking": self.coverage.as_dict(),
            "bevindingen": list(self.problems),
        }


@dataclass(frozen=True)
class ValidationReport:
    signatures: tuple[SignatureReport, ...]
    revisions: int

    @property
    def all_passed(self) -> bool:
        return bool(self.signatures) and all(s.passed for s in self.signatures)

    def by_field(self, name: str) -> SignatureReport:
        return next(s for s in self.signatures if s.field_name == name)

    def as_dict(self) -> dict[str, Any]:
        return {
            "handtekeningen": [s.as_dict() for s in self.signatures],
            "aantal_handtekeningen": len(self.signatures),
            "revisies": self.revisions,
            "alles_geldig": self.all_passed,
        }
