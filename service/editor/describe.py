"""Check messages in words a jurist reads: "Partij 'Woongoed Zeist', ondertekenaar 'C. Jansen': …" or
"Artikel 4, tweede lid: …" instead of a dotted path, with the editor section the message belongs to."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from service.editor.legal import describe_item
from templates import Dossier, Problem
from templates.formatting import letter, ordinal

SECTIONS = {
    "title": ("algemeen", "Titel"),
    "municipality": ("algemeen", "Gemeente"),
    "cooperation": ("algemeen", "Samenwerkingsverband"),
    "kind": ("algemeen", "Soort overeenkomst"),
    "signing": ("algemeen", "Ondertekening"),
    "term": ("algemeen", "Looptijd"),
    "period_label": ("algemeen", "Periode op het voorblad"),
    "besluit": ("besluit", "Het artikel 20-besluit"),
    "mandates": ("mandaten", "Mandaatbesluit"),
    "budget": ("begroting", "Begroting"),
    "declaration": ("tekst", "Geheimhoudingsverklaring"),
    "footnotes": ("tekst", "Voetnoten"),
    "laws": ("algemeen", "Wetten"),
    "publication": ("algemeen", "Publicatie"),
}


@dataclass(frozen=True)
class Message:
    section: str  # the editor section (anchor) the message belongs next to
    anchor: str  # the element it is about (e.g. "partij-woongoed"), or the section
    where: str  # in words: "Partij 'Woongoed Zeist', ondertekenaar 'C. Jansen'"
    text: str  # the check's message
    severity: str
    path: str  # kept for those who edit the file

    @property
    def sentence(self) -> str:
        return f"{self.where}: {self.text}" if self.where else self.text


def _get(data: Any, parts: list[str]) -> Any:
    for p in parts:
        if isinstance(data, list) and p.isdigit() and int(p) < len(data):
            data = data[int(p)]
        elif isinstance(data, dict) and p in data:
            data = data[p]
        else:
            return None
    return data


def _article_number(dossier: Dossier, path: list[str], body: Any = None) -> tuple[str, int | None]:
    """'artikel 4' for agreement.parts.i.(chapters.j.)articles.k, counted as the generator does."""
    n = 0
    body = body if body is not None else dossier.agreement
    for pi, part in enumerate(body.parts):
        for ci, ch in enumerate(part.chapters or []):
            for ai, a in enumerate(ch.articles):
                n += 1
                if path[:6] == ["parts", str(pi), "chapters", str(ci), "articles", str(ai)]:
                    return a.key, n
        for ai, a in enumerate(part.articles or []):
            n += 1
            if path[:4] == ["parts", str(pi), "articles", str(ai)]:
                return a.key, n
    return "", None


INLINE_PATH = re.compile(
    r"\b(?:agreement|annexes|parties|mandates|besluit|term|signing|budget|declaration|legal)(?:\.[A-Za-z_]+|\.\d+)+"
)


def describe(dossier: Dossier, problem: Problem) -> Message:
    """The problem with its place in words; dotted paths inside the message become words too."""
    message = _place(dossier, problem)
    text = INLINE_PATH.sub(lambda m: _words_for(dossier, m.group(0)), message.text)
    return Message(message.section, message.anchor, message.where, text, message.severity, message.path)


def _words_for(dossier: Dossier, path: str) -> str:
    where = _place(dossier, Problem(path, "", severity="fout")).where
    return where[:1].lower() + where[1:] if where and where != "Het dossier" else path


def _place(dossier: Dossier, problem: Problem) -> Message:
    path = problem.path.split(".") if problem.path else []
    head = path[0] if path else ""
    data = dossier.model_dump(mode="python")
    if head == "parties" and len(path) > 1:
        party = _get(data, path[:2]) or {}
        where = f"Partij '{party.get('name', '?')}'"
        anchor = f"partij-{party.get('key', '')}"
        if len(path) > 3 and path[2] == "signatories":
            s = _get(data, path[:4]) or {}
            where += f", ondertekenaar '{s.get('name', '?')}'"
            anchor = f"ondertekenaar-{s.get('key', '')}"
        return Message("partijen", anchor, where, problem.message, problem.severity, problem.path)
    if head == "agreement":
        rest = path[1:]
        key, n = _article_number(dossier, rest)
        if n is not None:
            where = f"Artikel {n}"
            after = rest[6:] if "chapters" in rest[:3] else rest[4:]
            if len(after) >= 2 and after[0] == "leden":
                where += f", {ordinal(int(after[1]) + 1)} lid"
                if len(after) >= 4 and after[2] == "items":
                    where += f", onder {letter(int(after[3]) + 1)}"
            return Message("tekst", f"artikel-{key}", where, problem.message, problem.severity, problem.path)
        return Message(
            "tekst", "tekst", "De tekst van de overeenkomst", problem.message, problem.severity, problem.path
        )
    if head == "annexes":
        numbers = [int(p) + 1 for i, p in enumerate(path) if p.isdigit() and path[i - 1] in ("annexes",)]
        label = ".".join([str(numbers[0])] + [letter(x) for x in numbers[1:]]) if numbers else "?"
        where = f"Bijlage {label}"
        annex: Any = None
        for n in numbers:
            annex = (annex.annexes if annex is not None else dossier.annexes)[n - 1]
        if annex is not None and annex.body is not None and "body" in path:
            rest = path[path.index("body") + 1 :]
            _, number = _article_number(dossier, rest, annex.body)
            if number is not None:
                where += f", artikel {number}"
                after = rest[6:] if "chapters" in rest[:3] else rest[4:]
                if len(after) >= 2 and after[0] == "leden":
                    where += f", {ordinal(int(after[1]) + 1)} lid"
        return Message("tekst", "tekst", where, problem.message, problem.severity, problem.path)
    if head == "mandates" and len(path) > 1:
        m = _get(data, path[:2]) or {}
        where = f"Mandaatbesluit '{m.get('document_title') or m.get('key', '?')}'"
        return Message(
            "mandaten", f"mandaat-{m.get('key', '')}", where, problem.message, problem.severity, problem.path
        )
    if head == "legal":
        section = "algemeen" if len(path) > 1 and path[1] == "term" else "rechtsmodel"
        anchor = section
        prefix = ITEM_ANCHORS.get(path[1]) if len(path) > 2 and path[2].isdigit() else None
        if prefix:
            item = _get(data, path[:3]) or {}
            anchor = f"{prefix}-{item.get('key', '')}"
        return Message(
            section, anchor, _legal_where(data, path), problem.message, problem.severity, problem.path
        )
    section, label = SECTIONS.get(head, ("algemeen", ""))
    if head == "dossier" or not head:
        label = "Het dossier"
    return Message(section, section, label, problem.message, problem.severity, problem.path)


LEGAL_PARTS = {
    "roles": "rol",
    "grounds": "grondslag",
    "conditions": "voorwaarde",
    "purposes": "doel",
    "flows": "gegevensstroom",
    "prohibitions": "verbod",
    "term": "looptijdregel",
    "retention": "bewaartermijn",
    "besluit": "besluitregel",
    "authorisation_register": "autorisatieregister",
    "logging": "logboek",
}


ITEM_ANCHORS = {
    "roles": "rol",
    "grounds": "grond",
    "conditions": "voorwaarde",
    "flows": "stroom",
    "prohibitions": "verbod",
    "purposes": "gebruiksdoel",
}


def _legal_where(data: dict[str, Any], path: list[str]) -> str:
    """ "Het rechtsmodel, gegevensstroom 'politiegegevens van wijkagent aan partnerprofessional'" for
    legal.flows.2.… (the item in the author's words, as the editor lists it)."""
    where = "Het rechtsmodel"
    if len(path) > 1:
        part = LEGAL_PARTS.get(path[1], path[1])
        if len(path) > 2 and path[2].isdigit():
            item = _get(data, path[:3]) or {}
            if path[1] in ITEM_ANCHORS and item.get("key"):
                legal = data.get("legal") or {}
                return f"{where}, {describe_item({'legal': legal}, path[1], item)}"
            return f"{where}, {part} '{item.get('key', int(path[2]) + 1)}'"
        where += f", {part}"
    return where


def plain_path(path: str) -> str:
    return re.sub(r"\.", " › ", path)
