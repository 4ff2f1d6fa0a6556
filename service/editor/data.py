"""The dossier's data as the editor's modules read and check it: where its texts and articles are, its
keys, and the checks of one form value (each refusal an ``EditorInputError`` naming the form field).

Shared by ``service.editor.service`` and the form modules beside it (legal, decisions, budget,
paragraphs), which ``service`` in turn uses: keeping these pieces here is what keeps the editor free of an
import cycle.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from service.editor.places import annex_labels
from service.failures import InvalidInput
from templates.wordimport.structure import slug


class EditorInputError(InvalidInput):
    """A form value the editor cannot use; ``field`` names the form field."""

    field: str  # always names the form field

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, field=field)


@dataclass(frozen=True)
class ArticleRef:
    """Where an article sits: the list that holds it and its index, with its printed number, and the
    document it is in ("" for the agreement, "bijlage 1" for an annex)."""

    holder: list[dict[str, Any]]
    index: int
    number: int
    chapter: str | None
    body: dict[str, Any] | None = None
    document: str = ""

    @property
    def name(self) -> str:
        """ "Artikel 4" or "Artikel 4 van bijlage 1"."""
        return f"Artikel {self.number}" + (f" van {self.document}" if self.document else "")


def documents(data: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(key, name, body) of every text the editor edits: the agreement ("", "de overeenkomst") and each
    annex with a text of its own ("privacyregeling", "bijlage 1 — Privacyregeling …")."""
    out: list[tuple[str, str, dict[str, Any]]] = [("", "de overeenkomst", data["agreement"])]
    for label, annex in annex_labels(data):
        if isinstance(annex.get("body"), dict):
            out.append((annex["key"], f"{label} — {annex.get('title', '')}", annex["body"]))
    return out


def body_of(data: dict[str, Any], document: str) -> dict[str, Any]:
    """The text of ``document`` (an annex key; "" is the agreement)."""
    for key, _, body in documents(data):
        if key == document:
            return body
    raise EditorInputError("document", "Deze bijlage heeft geen eigen tekst (meer); laad de pagina opnieuw.")


def articles(data: dict[str, Any], document: str = "") -> list[ArticleRef]:
    """The articles of one document (the agreement by default) in reading order, as the generator numbers
    them."""
    body = body_of(data, document)
    name = next((n.split(" — ")[0] for k, n, _ in documents(data) if k == document and k), "")
    out: list[ArticleRef] = []
    n = 0
    for part in body.get("parts", []):
        for ch in part.get("chapters") or []:
            for i, _ in enumerate(ch["articles"]):
                n += 1
                out.append(ArticleRef(ch["articles"], i, n, ch.get("title"), body, name))
        for i, _ in enumerate(part.get("articles") or []):
            n += 1
            out.append(ArticleRef(part["articles"], i, n, None, body, name))
    return out


def all_articles(data: dict[str, Any]) -> list[ArticleRef]:
    """The articles of every document the editor edits (keys are unique across the dossier)."""
    return [ref for key, _, _ in documents(data) for ref in articles(data, key)]


def nodes(data: Any) -> Iterator[dict[str, Any]]:
    """Every mapping in the dossier's tree (documents, articles, leden, items, parties …), depth first."""
    if isinstance(data, dict):
        yield data
        for value in data.values():
            yield from nodes(value)
    elif isinstance(data, list):
        for value in data:
            yield from nodes(value)


def all_keys(data: dict[str, Any]) -> set[str]:
    return {node["key"] for node in nodes(data) if isinstance(node.get("key"), str)}


def new_key(data: dict[str, Any], base: str) -> str:
    keys = all_keys(data)
    base = slug(base, 60)
    candidate, n = base, 2
    while candidate in keys:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def text_field(
    value: str, field: str, what: str, *, limit: int = 20_000, empty: str = "vul de tekst in"
) -> str:
    """The text of a form field, trimmed; empty or longer than ``limit`` characters is refused."""
    value = value.replace("\r\n", "\n").strip()
    if not value:
        raise EditorInputError(field, f"{what}: {empty}.")
    if len(value) > limit:
        most = f"{limit:_}".replace("_", ".")  # 20.000: the Dutch thousands separator
        raise EditorInputError(field, f"{what}: de tekst is te lang (ten hoogste {most} tekens).")
    return value


def date_field(value: str, field: str, what: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise EditorInputError(
            field, f"{what}: geef een datum als jjjj-mm-dd (bijvoorbeeld 2026-01-31)."
        ) from None


def int_field(value: str, field: str, what: str, low: int, high: int) -> int:
    try:
        n = int(value.strip())
    except ValueError:
        raise EditorInputError(field, f"{what}: geef een heel getal.") from None
    if not low <= n <= high:
        raise EditorInputError(field, f"{what}: kies een getal van {low} tot en met {high}.")
    return n


def name_field(value: str, field: str, what: str, limit: int = 300) -> str:
    value = " ".join(value.split())
    if not value:
        raise EditorInputError(field, f"{what}: vul dit in.")
    if len(value) > limit:
        raise EditorInputError(field, f"{what}: ten hoogste {limit} tekens.")
    return value
