"""Numbering and cross-references. Pure functions over the dossier model.

Each document body numbers itself in its own style (``Body.numbering``): articles 1, 2, ... across
chapters, or decimal (2.1, 2.2 within chapter 2; leden 4.1, 4.2), or not at all (a section known by its
title); chapters I, II, ... or 1, 2, ... or by title; items a, b, ... and their sub-items i, ii, ....
Annexes number 1, 2, ... and sub-annexes 1.a, 1.b. ``[[ref:KEY]]`` resolves to the Dutch phrase for the
target: "artikel 13", "artikel 13, tweede lid", "artikel 4.2", "artikel 6, tweede lid, onder b",
"paragraaf 3", "de paragraaf ‘Aanleiding’", "hoofdstuk IV", "bijlage 1.a". ``reference_label`` is the
public way to get that phrase for one key (citations in answers use it).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from templates.dossier.model import Annex, Article, Body, Chapter, Dossier, Item, Numbering
from templates.dossier.values import compute_value, is_known_value
from templates.errors import Problem, UnknownReference
from templates.formatting import format_date, letter, ordinal, roman

MARKUP = re.compile(r"\[\[([a-z]+):([^\[\]]*)\]\]")
KINDS = ("ref", "partij", "voetnoot", "waarde")
# Emphasis around literal text: [[cursief]]…[[/cursief]], [[vet]]…[[/vet]] (no colon: not a reference).
STYLE_TAG = re.compile(r"\[\[(?P<close>/?)(?P<style>cursief|vet)\]\]")
TOKENS = re.compile(f"{MARKUP.pattern}|{STYLE_TAG.pattern}")


@dataclass(frozen=True)
class ChapterNumber:
    number: str | None  # "IV", "4"; None when chapters are known by title
    heading: str  # "IV Slotbepalingen", "Slotbepalingen"
    ref: str  # "hoofdstuk IV", "hoofdstuk ‘Slotbepalingen’"


@dataclass(frozen=True)
class ArticleNumber:
    """How one article is numbered, headed and referred to, in its text's numbering style."""

    number: str | None  # "13", "2.3"; None for an unnumbered article
    heading: str  # "Artikel 13 Looptijd", "2.3 Looptijd", "Looptijd"
    ref: str  # "artikel 13", "paragraaf 2.3", "de paragraaf ‘Looptijd’"
    word: str
    decimal: bool

    def lid_label(self, n: int) -> str:
        """The label printed before lid ``n``: "2." or, in the decimal style, "4.2"."""
        return f"{self.number}.{n}" if self.decimal and self.number else f"{n}."

    def lid_ref(self, n: int) -> str:
        """A reference to lid ``n``: "artikel 13, tweede lid" or, in the decimal style, "artikel 4.2"."""
        if self.decimal and self.number:
            return f"{self.word} {self.number}.{n}"
        return f"{self.ref}, {ordinal(n)} lid"


@dataclass
class BodyNumbers:
    """Numbers of the chapters and articles of one body, by object identity."""

    chapters: dict[int, ChapterNumber] = field(default_factory=dict)
    articles: dict[int, ArticleNumber] = field(default_factory=dict)

    def article(self, article: Article) -> ArticleNumber:
        return self.articles[id(article)]

    def chapter(self, chapter: Chapter) -> ChapterNumber:
        return self.chapters[id(chapter)]


def _quoted(title: str) -> str:
    return f"\u2018{title}\u2019"


def _article_number(article: Article, number: str | None, n: Numbering) -> ArticleNumber:
    decimal = n.style == "decimaal"
    heading_word = n.heading_word if n.heading_word is not None else not decimal
    title = f" {article.title}" if article.title else ""
    if number is None:
        assert article.title is not None  # the model requires a title for an unnumbered article
        determiner = "het" if n.word == "artikel" else "de"
        return ArticleNumber(
            None, article.title, f"{determiner} {n.word} {_quoted(article.title)}", n.word, decimal
        )
    heading = (f"{n.word.capitalize()} {number}" if heading_word else number) + title
    return ArticleNumber(number, heading, f"{n.word} {number}", n.word, decimal)


def _chapter_number(chapter: Chapter, count: int, n: Numbering) -> ChapterNumber:
    if n.chapters == "geen":
        return ChapterNumber(None, chapter.title, f"hoofdstuk {_quoted(chapter.title)}")
    number = str(count) if n.style == "decimaal" or n.chapters == "arabisch" else roman(count)
    return ChapterNumber(number, f"{number} {chapter.title}", f"hoofdstuk {number}")


def number_body(body: Body) -> BodyNumbers:
    """Number a text in its own style. Articles number on across chapters (``doorlopend``), or within
    their chapter as 2.1, 2.2 (``decimaal`` with numbered chapters). Unnumbered articles take no number."""
    n = body.numbering
    numbers = BodyNumbers()
    next_article = 1
    next_chapter = 1

    def article(a: Article, prefix: str | None) -> None:
        nonlocal next_article
        if not a.numbered:
            numbers.articles[id(a)] = _article_number(a, None, n)
            return
        numbers.articles[id(a)] = _article_number(
            a, f"{prefix}{next_article}" if prefix else str(next_article), n
        )
        next_article += 1

    for part in body.parts:
        for chapter in part.chapters or []:
            number = _chapter_number(chapter, next_chapter, n)
            numbers.chapters[id(chapter)] = number
            next_chapter += 1
            within = n.style == "decimaal" and number.number is not None
            if within:
                next_article = 1
            for a in chapter.articles:
                article(a, f"{number.number}." if within else None)
        for a in part.articles or []:
            article(a, None)
    return numbers


def annex_numbers(annexes: list[Annex]) -> Iterator[tuple[str, Annex, int]]:
    """(number, annex, depth): "1", "1.a", "1.b", "2" ... in reading order."""
    for i, annex in enumerate(annexes, start=1):
        yield str(i), annex, 0
        for j, sub in enumerate(annex.annexes, start=1):
            yield f"{i}.{letter(j)}", sub, 1


@dataclass(frozen=True)
class Target:
    kind: str  # "artikel", "lid", "onderdeel", "hoofdstuk", "bijlage", "document"
    label: str  # the rendered reference
    path: str  # where the target is defined


def _item_targets(items: list[Item], prefix: str, path: str, depth: int) -> Iterator[tuple[str, Target]]:
    for n, item in enumerate(items, start=1):
        mark = letter(n) if depth == 0 else roman(n).lower()
        label = f"{prefix}, onder {mark}" if depth == 0 else f"{prefix}, sub {mark}"
        if item.key:
            yield item.key, Target("onderdeel", label, f"{path}.{n - 1}")
        yield from _item_targets(item.items, label, f"{path}.{n - 1}.items", depth + 1)


def _body_targets(body: Body, path: str) -> Iterator[tuple[str, Target]]:
    numbers = number_body(body)
    for pi, part in enumerate(body.parts):
        for ci, chapter in enumerate(part.chapters or []):
            if chapter.key:
                yield (
                    chapter.key,
                    Target("hoofdstuk", numbers.chapter(chapter).ref, f"{path}.parts.{pi}.chapters.{ci}"),
                )
        articles = [
            (f"{path}.parts.{pi}.chapters.{ci}.articles.{ai}", a)
            for ci, ch in enumerate(part.chapters or [])
            for ai, a in enumerate(ch.articles)
        ]
        articles += [(f"{path}.parts.{pi}.articles.{ai}", a) for ai, a in enumerate(part.articles or [])]
        for apath, article in articles:
            number = numbers.article(article)
            yield article.key, Target("artikel", number.ref, apath)
            for li, lid in enumerate(article.leden):
                lid_label = number.lid_ref(li + 1)
                if lid.key:
                    yield lid.key, Target("lid", lid_label, f"{apath}.leden.{li}")
                yield from _item_targets(lid.items, lid_label, f"{apath}.leden.{li}.items", 0)


def reference_targets(dossier: Dossier) -> tuple[dict[str, Target], list[Problem]]:
    """Every key a ``[[ref:KEY]]`` may name, with its rendered label; duplicate keys are problems."""
    found: list[tuple[str, Target]] = []
    found += _body_targets(dossier.agreement, "agreement")
    annex_paths: dict[int, str] = {}
    for i, annex in enumerate(dossier.annexes):
        annex_paths[id(annex)] = f"annexes.{i}"
        for j, sub in enumerate(annex.annexes):
            annex_paths[id(sub)] = f"annexes.{i}.annexes.{j}"
    for number, annex, _ in annex_numbers(dossier.annexes):
        apath = annex_paths[id(annex)]
        found.append((annex.key, Target("bijlage", f"bijlage {number}", apath)))
        if annex.body is not None:
            found += _body_targets(annex.body, f"{apath}.body")
    if dossier.besluit is not None:
        found.append((dossier.besluit.key, Target("document", dossier.besluit.title, "besluit")))
        found += _body_targets(dossier.besluit.body, "besluit.body")
    if dossier.declaration is not None:
        decl_annex = next((t for k, t in found if k == dossier.declaration.key and t.kind == "bijlage"), None)
        if decl_annex is None:
            found.append(
                (dossier.declaration.key, Target("document", dossier.declaration.title, "declaration"))
            )
        found += _body_targets(dossier.declaration.body, "declaration.body")
    for i, mandate in enumerate(dossier.mandates):
        found.append(
            (
                mandate.key,
                Target("document", f"het mandaatbesluit van {format_date(mandate.date)}", f"mandates.{i}"),
            )
        )
    targets: dict[str, Target] = {}
    problems: list[Problem] = []
    for key, target in found:
        if key in targets:
            if targets[key].path == target.path:
                continue
            problems.append(
                Problem(
                    target.path + ".key",
                    f"de sleutel '{key}' wordt al gebruikt in "
                    f"{targets[key].path}; verwijzingen zouden dubbelzinnig zijn",
                    code="dubbele_sleutel",
                )
            )
            continue
        targets[key] = target
    return targets, problems


def reference_label(dossier: Dossier, key: str) -> str:
    """A reference to ``key`` exactly as the generated documents print ``[[ref:KEY]]``: "artikel 13, tweede
    lid", "artikel 4.2", "de paragraaf ‘Looptijd’", "bijlage 1.a". Raises ``UnknownReference`` for a key
    that names nothing in the dossier. This is the one place citations take their numbering from."""
    target = reference_targets(dossier)[0].get(key)
    if target is None:
        raise UnknownReference(f"De sleutel '{key}' bestaat niet in dit dossier.")
    return target.label


def iter_texts(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every string in the dossier with its dotted path (``annexes.0.body.parts.2.articles.1.title``)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from iter_texts(getattr(value, name), f"{path}.{name}" if path else name)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from iter_texts(item, f"{path}.{i}")
    elif isinstance(value, dict):
        for k, item in value.items():
            yield from iter_texts(item, f"{path}.{k}")


def markup_problems(dossier: Dossier) -> list[Problem]:
    """Unknown keys and names in inline markup, and duplicate keys, each with the path of its field."""
    targets, problems = reference_targets(dossier)
    for path, text in iter_texts(dossier):
        if "[[" not in text:
            continue
        problems += _style_problems(path, text)
        for match in MARKUP.finditer(text):
            kind, key = match.group(1), match.group(2).strip()
            if kind not in KINDS:
                problems.append(
                    Problem(
                        path,
                        f"onbekende markering '[[{kind}:…]]'; gebruik ref, partij, voetnoot of waarde",
                        code="onbekende_markering",
                    )
                )
            elif kind == "ref" and key not in targets:
                hint = " (dit is een partij: gebruik [[partij:…]])" if dossier.party(key) else ""
                problems.append(
                    Problem(
                        path, f"verwijzing naar onbekende sleutel '{key}'{hint}", code="onbekende_verwijzing"
                    )
                )
            elif kind == "partij" and dossier.party(key) is None:
                problems.append(Problem(path, f"onbekende partij '{key}'", code="onbekende_partij"))
            elif kind == "voetnoot" and key not in dossier.footnotes:
                problems.append(
                    Problem(
                        path, f"onbekende voetnoot '{key}' (niet in footnotes)", code="onbekende_voetnoot"
                    )
                )
            elif kind == "waarde":
                if not is_known_value(key):
                    problems.append(Problem(path, f"onbekende waarde '{key}'", code="onbekende_waarde"))
                elif not key.startswith("deelnemer.") and compute_value(key, dossier) is None:
                    problems.append(
                        Problem(
                            path, f"de waarde '{key}' is in dit dossier niet bekend", code="waarde_ontbreekt"
                        )
                    )
    return problems


def _style_problems(path: str, text: str) -> list[Problem]:
    open_styles: list[str] = []
    for m in STYLE_TAG.finditer(text):
        style = m.group("style")
        if not m.group("close"):
            if style in open_styles:
                return [Problem(path, f"[[{style}]] staat al open", code="nadruk_ongeldig")]
            open_styles.append(style)
        elif style not in open_styles:
            return [Problem(path, f"[[/{style}]] sluit niets af", code="nadruk_ongeldig")]
        else:
            open_styles.remove(style)
    if open_styles:
        return [
            Problem(
                path,
                f"[[{open_styles[0]}]] wordt niet afgesloten met [[/{open_styles[0]}]]",
                code="nadruk_ongeldig",
            )
        ]
    return []
