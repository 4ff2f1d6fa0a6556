"""Which entries of the audit log a signed-in person may read (tenancy, issue 10). Deny by default.

The log is one hash chain for the instance; each entry names the agreement it concerns (``agreement_key``,
None: instance-wide) and the staff organisation of the account that made it (``organisation_id``).

* privacy officer: the entries of the agreements she administers (``tenancy.agreement_scope``);
* beheerder: the instance-wide entries (accounts, sign-ins, keys, refusals that name no agreement) made by
  her own organisation or by nobody's (the system, anonymous attempts);
* every other role: nothing.

The chain can only be checked whole. Whether it is intact is told to everyone who may read the log (with
the head hash, which says nothing about any entry); a problem is described only when it is about an entry
the reader may see, the others are counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, false
from sqlmodel import Session

from registry.audit import ChainReport
from service.accounts import repository, tenancy
from service.accounts.roles import Role
from service.accounts.service import Principal

if TYPE_CHECKING:
    from registry.models import AuditEntry


def visible(db: Session, principal: Principal) -> ColumnElement[bool]:
    """A condition on ``AuditEntry``: the entries ``principal`` may read."""
    if principal.role is Role.PRIVACYFUNCTIONARIS:
        return repository.audit_of_agreements(tenancy.agreement_scope(db, principal))
    if principal.role is Role.BEHEERDER:
        return repository.audit_of_instance(tenancy.organisation_of(db, principal.user_id))
    return false()


def entries(
    db: Session, principal: Principal, *, limit: int = 200, before: int | None = None
) -> list[AuditEntry]:
    """The newest entries ``principal`` may read (before entry ``before``, for paging), newest first."""
    return repository.audit_entries(db, visible(db, principal), limit=limit, before=before)


@dataclass
class ScopedReport:
    """The chain report as ``principal`` may read it."""

    ok: bool
    entries: int  # entries the reader may see
    head: str
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "in_orde": self.ok,
            "aantal": self.entries,
            "laatste_hash": self.head,
            "problemen": self.problems,
        }


def scoped_report(db: Session, principal: Principal, report: ChainReport) -> ScopedReport:
    condition = visible(db, principal)
    count = repository.audit_count(db, condition)
    about = [s for s in report.problem_seqs if s is not None]
    shown: set[int] = set()
    if about:
        shown = repository.audit_seqs(db, condition, about)
    problems = [
        p for p, s in zip(report.problems, report.problem_seqs, strict=True) if s is None or s in shown
    ]
    hidden = len(report.problems) - len(problems)
    if hidden:
        problems.append(
            f"{hidden} probleem/problemen in regels die u niet mag inzien (andere overeenkomsten of de "
            "instantie); de beheerder en de privacyfunctionarissen van die overeenkomsten zien ze"
        )
    return ScopedReport(ok=report.ok, entries=int(count), head=report.head, problems=problems)
