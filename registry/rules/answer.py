"""The answer every rule gives: allowed or not, until when, why, and on which article it rests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class RuleAnswer:
    """What a rule decided.

    ``allowed``   the decision.
    ``until``     the last day on which a positive answer holds (``None``: no end known); for a refusal
                  ``None``.
    ``reason``    Dutch, one or two sentences a coordinator can read aloud.
    ``article``   the provisions the decision rests on, in the dossier's own numbering, e.g.
                  "artikel 11, eerste lid, van bijlage 1; artikel 4 van het besluit".
    ``missing``   what is missing for a positive answer (Dutch, one item per missing thing).
    ``actions``   what to do about it (Dutch imperative), parallel to ``missing`` where possible.
    ``warnings``  things that end soon or need attention although the answer holds (Dutch).
    """

    allowed: bool
    until: date | None
    reason: str
    article: str
    missing: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {
            "toegestaan": self.allowed,
            "tot_en_met": self.until.isoformat() if self.until else None,
            "reden": self.reason,
            "artikel": self.article,
            "ontbreekt": list(self.missing),
            "acties": list(self.actions),
            "waarschuwingen": list(self.warnings),
        }


def earliest(*dates: date | None) -> date | None:
    """The earliest of the given dates, ignoring ``None`` (``None`` when all are ``None``)."""
    present = [d for d in dates if d is not None]
    return min(present) if present else None
