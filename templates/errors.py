"""Errors of the templates package: each carries a Dutch message and the path of the offending field."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One finding about a dossier: where (a dotted path), what (Dutch), and how bad."""

    path: str
    message: str
    severity: str = "fout"  # "fout" (error) or "waarschuwing" (warning)
    code: str = "ongeldig"

    def as_dict(self) -> dict[str, str]:
        return {"pad": self.path, "melding": self.message, "ernst": self.severity, "code": self.code}


class TemplatesError(Exception):
    """Base of every error this package raises. ``code`` is machine-readable, ``message`` Dutch.

    The same shape as every domain error of the house (``service.failures.DomainError``): ``message``,
    ``code``, ``article`` and ``as_problems()``; ``problems`` holds the findings with their severity.
    """

    code = "sjabloonfout"
    article: str | None = None

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems: list[Problem] = problems or []

    def as_problems(self) -> list[dict[str, str]]:
        return [p.as_dict() for p in self.problems]


class DossierInvalid(TemplatesError):
    """The dossier could not be read or does not satisfy the model or the consistency rules."""

    code = "dossier_ongeldig"


class UnknownDocument(TemplatesError):
    code = "document_onbekend"


class UnknownReference(TemplatesError):
    """A key that names no article, lid, onderdeel, chapter, annex or document of the dossier."""

    code = "verwijzing_onbekend"


class ParticipantInvalid(TemplatesError):
    """The agendadeelnemer's details cannot be put in the declaration (unknown ground, empty name, ...)."""

    code = "deelnemer_ongeldig"


class RenderRefused(TemplatesError):
    """The renderer was asked to load something that is not one of the project's assets."""

    code = "weergave_geweigerd"


@dataclass
class ProblemList:
    items: list[Problem] = field(default_factory=list)

    def error(self, path: str, message: str, code: str = "ongeldig") -> None:
        self.items.append(Problem(path, message, "fout", code))

    def warning(self, path: str, message: str, code: str = "waarschuwing") -> None:
        self.items.append(Problem(path, message, "waarschuwing", code))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "fout"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "waarschuwing"]
