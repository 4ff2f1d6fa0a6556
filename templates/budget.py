"""Budget arithmetic: every amount of a budget annex is computed here, never typed in a template."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from templates.dossier.model import Budget


@dataclass(frozen=True)
class ComputedLine:
    label: str
    amount: Decimal
    details: list[str]
    quantity: int | None = None
    unit_amount: Decimal | None = None
    remainder: bool = False
    key: str | None = None


@dataclass(frozen=True)
class ComputedGroup:
    label: str
    lines: list[ComputedLine]

    @property
    def subtotal(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0"))


@dataclass(frozen=True)
class ComputedBudget:
    per_year: Decimal
    years: int
    available: Decimal
    groups: list[ComputedGroup] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((g.subtotal for g in self.groups), Decimal("0"))

    @property
    def fixed_total(self) -> Decimal:
        """Sum of every line that is not the remainder."""
        return sum((line.amount for g in self.groups for line in g.lines if not line.remainder), Decimal("0"))

    @property
    def over_budget(self) -> Decimal:
        """How much the fixed lines exceed the available amount (0 when they fit)."""
        return max(self.fixed_total - self.available, Decimal("0"))

    def line(self, key: str) -> ComputedLine | None:
        return next((ln for g in self.groups for ln in g.lines if ln.key == key), None)


def compute_budget(budget: Budget) -> ComputedBudget:
    """Amounts, multiplications and the remainder of the available amount (never below zero)."""
    available = budget.per_year * budget.years
    fixed = Decimal("0")
    for group in budget.groups:
        for line in group.lines:
            if line.amount is not None:
                fixed += line.amount
            elif line.quantity is not None and line.unit_amount is not None:
                fixed += line.quantity * line.unit_amount
    remainders = sum(1 for g in budget.groups for ln in g.lines if ln.remainder)
    rest = max(available - fixed, Decimal("0"))
    groups = []
    for group in budget.groups:
        lines = []
        for line in group.lines:
            if line.amount is not None:
                amount = line.amount
            elif line.quantity is not None and line.unit_amount is not None:
                amount = line.quantity * line.unit_amount
            elif line.remainder:
                amount = rest / remainders if remainders else Decimal("0")
            else:
                amount = Decimal("0")
            lines.append(
                ComputedLine(
                    line.label,
                    amount,
                    list(line.details),
                    line.quantity,
                    line.unit_amount,
                    line.remainder,
                    line.key,
                )
            )
        groups.append(ComputedGroup(group.label, lines))
    return ComputedBudget(budget.per_year, budget.years, available, groups)
