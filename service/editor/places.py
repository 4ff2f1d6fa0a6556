"""Where the dossier's texts mention something, in the words the documents print ("artikel 4, tweede lid",
"bijlage 1, artikel 2", "het besluit"): for refusing to remove what a text still refers to, naming the
referring place. Works on the stored data (plain dicts); articles are counted per document as the generator
counts them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from templates.formatting import letter, ordinal


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _body_places(body: dict[str, Any], prefix: str) -> Iterator[tuple[str, set[str], Any]]:
    """(place, keys of the place and what it holds, text) for each lid, article intro/blocks and other part
    content of one document body."""
    n = 0
    where = prefix.rstrip(", ") or "de overeenkomst"

    def article_places(article: dict[str, Any]) -> Iterator[tuple[str, set[str], Any]]:
        nonlocal n
        if article.get("numbered", True):
            n += 1
            name = f"{prefix}artikel {n}"
        else:
            name = f"{prefix}de paragraaf '{article.get('title', '')}'"
        own = {article.get("key", "")}
        for li, lid in enumerate(article.get("leden") or [], 1):
            keys = {lid.get("key", "")} | {i.get("key", "") for i in lid.get("items") or []}
            yield f"{name}, {ordinal(li)} lid", own | keys, lid
        rest = {k: article.get(k) for k in ("intro", "blocks") if article.get(k)}
        if rest:
            yield name, own, rest

    for part in body.get("parts") or []:
        for ch in part.get("chapters") or []:
            for article in ch.get("articles") or []:
                yield from article_places(article)
        for article in part.get("articles") or []:
            yield from article_places(article)
        rest = {k: part.get(k) for k in ("blocks", "considerations") if part.get(k)}
        if rest:
            yield where, set(), rest


def annex_labels(data: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """("bijlage 1", annex), ("bijlage 1.a", sub-annex), … in document order."""

    def walk(annexes: list[dict[str, Any]], label: str | None) -> Iterator[tuple[str, dict[str, Any]]]:
        for i, annex in enumerate(annexes, 1):
            own = f"{label}.{letter(i)}" if label else str(i)
            yield f"bijlage {own}", annex
            yield from walk(annex.get("annexes") or [], own)

    yield from walk(data.get("annexes") or [], None)


def text_places(data: dict[str, Any]) -> Iterator[tuple[str, set[str], Any]]:
    """Every place of every document's text: the agreement, each annex, the besluit, the declaration."""
    if data.get("agreement"):
        yield from _body_places(data["agreement"], "")
    for label, annex in annex_labels(data):
        if annex.get("body"):
            yield from _body_places(annex["body"], f"{label}, ")
    if data.get("besluit") and data["besluit"].get("body"):
        yield from _body_places(data["besluit"]["body"], "het besluit, ")
    if data.get("declaration") and data["declaration"].get("body"):
        yield from _body_places(data["declaration"]["body"], "de geheimhoudingsverklaring, ")


def mentions(data: dict[str, Any], tokens: list[str], *, inside: set[str] | None = None) -> list[str]:
    """The places whose text contains one of ``tokens`` (e.g. "[[ref:artikel-4]]"), skipping places that
    belong to ``inside`` (the keys of what is being removed: it may refer to itself)."""
    inside = inside or set()
    found: list[str] = []
    for place, keys, text in text_places(data):
        if keys & inside:
            continue
        dumped = _dump(text)
        if any(t in dumped for t in tokens) and place not in found:
            found.append(place)
    return found


def ref_tokens(keys: set[str]) -> list[str]:
    return [f"[[ref:{k}]]" for k in sorted(keys) if k]
