"""Errors of the registry package: each carries a Dutch ``message`` and a machine ``code``."""

from __future__ import annotations


class RegistryError(Exception):
    """Base of every error the registry raises; the same shape as every domain error of the house
    (``service.failures.DomainError``): ``message``, ``code``, ``article``, ``as_problems()``."""

    code = "registerfout"

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        article: str | None = None,
        problems: list[dict[str, str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.article = article
        self.problems = problems or [self.as_problem()]

    def as_problem(self) -> dict[str, str]:
        out = {"pad": self.field or "verzoek", "melding": self.message}
        if self.article:
            out["artikel"] = self.article
        return out

    def as_problems(self) -> list[dict[str, str]]:
        return list(self.problems)


class NotInRegistry(RegistryError):
    """A person, agreement, meeting, besluit ... that the registry does not know."""

    code = "onbekend_in_register"


class Refused(RegistryError):
    """A rule refused the action (e.g. a provision of police data); nothing was stored."""

    code = "geweigerd"


class InvalidRegistryInput(RegistryError):
    """Input that cannot be stored (missing field, wrong value)."""

    code = "ongeldige_invoer"


class RegistryConflict(RegistryError):
    """The request would change a record that belongs to something else (another agreement)."""

    code = "conflict"


class MeetingOfAnotherAgreement(RegistryConflict):
    code = "overleg_van_andere_overeenkomst"


class RenewalRefused(Refused):
    code = "verlenging_geweigerd"


class AuditChainBroken(RegistryError):
    code = "auditketen_verbroken"
