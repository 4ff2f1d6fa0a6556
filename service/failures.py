"""The shape of every domain error, and the base class of the service's own errors.

Imports nothing of ours (and nothing of FastAPI), so any module of ``service`` may raise these without
pulling in the HTTP layer. Every package keeps its own base class because of the package rule
(``templates`` and ``signing`` import nothing of ours, ``registry`` only the dossier model), but all of
them have the SHAPE described by ``DomainError``:

- ``message``: Dutch, for the person who reads it (a page, a problem document, one line of the CLI);
- ``code``: machine-readable, stable (clients and tests match on it);
- ``article``: the article the refusal rests on, when a rule refused (``None`` otherwise);
- ``as_problems()``: the findings as ``{"pad": …, "melding": …}`` dicts (with ``"artikel"`` or
  ``"ernst"`` when known).

The HTTP status of each class is decided in ONE place: ``service.errors`` (``STATUS_BY_EXCEPTION``), which
also holds the one handler that answers a page request with an HTML page and an API request with a problem
document. The CLI prints ``message`` as one Dutch line (``service.cli``).
"""

from __future__ import annotations

from typing import ClassVar, Protocol, runtime_checkable


@runtime_checkable
class DomainError(Protocol):
    """What the handler, the pages and the CLI read from any of our exceptions."""

    @property
    def code(self) -> str: ...

    @property
    def message(self) -> str: ...

    @property
    def article(self) -> str | None: ...

    def as_problems(self) -> list[dict[str, str]]: ...


class Failure(Exception):
    """Base of the service's errors (accounts, links, mail, backup, the service layer itself).

    ``field`` names the offending field (a dotted path) when there is one. ``problems`` are the findings;
    when none are given and the class has a ``default_field``, the message itself is the one finding.
    """

    code = "fout"
    default_field: ClassVar[str | None] = None

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
        if problems is not None:
            self.problems = problems
        elif field is not None or self.default_field is not None:
            self.problems = [self.as_problem()]
        else:
            self.problems = []

    def as_problem(self) -> dict[str, str]:
        out = {"pad": self.field or self.default_field or "verzoek", "melding": self.message}
        if self.article:
            out["artikel"] = self.article
        return out

    def as_problems(self) -> list[dict[str, str]]:
        return list(self.problems)


class ServiceError(Failure):
    """Errors raised by the service layer itself (not found, forbidden, conflict, ...)."""

    code = "fout"


class NotFound(ServiceError):
    code = "niet_gevonden"


class Forbidden(ServiceError):
    code = "geen_toegang"


class Unauthenticated(ServiceError):
    code = "niet_aangemeld"


class Conflict(ServiceError):
    code = "conflict"


class SignedVersionFrozen(Conflict):
    """A fully signed dossier version may not be replaced; a new version must be asked for explicitly."""

    code = "ondertekende_versie"


class PayloadTooLarge(ServiceError):
    code = "te_groot"


class UnsupportedMediaType(ServiceError):
    code = "mediatype_niet_ondersteund"


class InvalidInput(ServiceError):
    code = "ongeldige_invoer"


def is_domain_error(exc: BaseException) -> bool:
    """One of our exceptions (any package): it carries a Dutch message meant for the user."""
    return isinstance(exc, Exception) and isinstance(exc, DomainError)
