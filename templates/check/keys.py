"""Keys of parties, signatories, documents, categories, uses, grounds and budget lines are unique."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from templates.check.severity import ERROR
from templates.documents import AGREEMENT
from templates.dossier.model import Body, Dossier, Item
from templates.errors import Problem


def _duplicates(entries: Iterable[tuple[str, str]], what: str) -> Iterator[Problem]:
    seen: dict[str, str] = {}
    for key, path in entries:
        if key in seen:
            yield Problem(
                path,
                f"de sleutel '{key}' van {what} komt al voor in {seen[key]}; sleutels moeten uniek zijn",
                ERROR,
                "dubbele_sleutel",
            )
        else:
            seen[key] = path


def _item_keys(items: list[Item], path: str) -> Iterator[tuple[str, str]]:
    for i, item in enumerate(items):
        if item.key:
            yield item.key, f"{path}.{i}.key"
        yield from _item_keys(item.items, f"{path}.{i}.items")


def check_duplicate_keys(d: Dossier) -> list[Problem]:
    """Keys outside the reference index (which ``markup_problems`` already checks)."""
    out: list[Problem] = []
    out += _duplicates(((p.key, f"parties.{i}.key") for i, p in enumerate(d.parties)), "een partij")
    out += _duplicates(
        (
            (s.key, f"parties.{i}.signatories.{j}.key")
            for i, p in enumerate(d.parties)
            for j, s in enumerate(p.signatories)
        ),
        "een ondertekenaar",
    )
    documents = [(AGREEMENT, "(de overeenkomst)")]
    if d.besluit is not None:
        documents.append((d.besluit.key, "besluit.key"))
    documents += [(m.key, f"mandates.{i}.key") for i, m in enumerate(d.mandates)]
    if d.declaration is not None:
        documents.append((d.declaration.key, "declaration.key"))
    out += _duplicates(documents, "een document")
    if d.besluit is not None:
        out += _duplicates(
            ((c.key, f"besluit.categories.{i}.key") for i, c in enumerate(d.besluit.categories)),
            "een categorie politiegegevens",
        )
        out += _duplicates(
            ((c.key, f"besluit.uses.{i}.key") for i, c in enumerate(d.besluit.uses)),
            "een gebruik van politiegegevens",
        )
    if d.declaration is not None:
        out += _duplicates(
            ((g.key, f"declaration.grounds.{i}.key") for i, g in enumerate(d.declaration.grounds)),
            "een grondslag",
        )
    if d.budget is not None:
        out += _duplicates(
            (
                (ln.key, f"budget.groups.{i}.lines.{j}.key")
                for i, g in enumerate(d.budget.groups)
                for j, ln in enumerate(g.lines)
                if ln.key
            ),
            "een begrotingsregel",
        )
    # Keys of lettered items in blocks (not reference targets, but they must not be ambiguous either).
    out += _duplicates(_block_item_keys(d), "een onderdeel")
    return out


def _body_item_keys(body: Body, path: str) -> Iterator[tuple[str, str]]:
    for pi, part in enumerate(body.parts):
        for bi, block in enumerate(part.blocks or []):
            for name in ("bullets", "numbered", "lettered"):
                yield from _item_keys(getattr(block, name) or [], f"{path}.parts.{pi}.blocks.{bi}.{name}")


def _block_item_keys(d: Dossier) -> Iterator[tuple[str, str]]:
    yield from _body_item_keys(d.agreement, "agreement")
    for i, annex in enumerate(d.annexes):
        if annex.body is not None:
            yield from _body_item_keys(annex.body, f"annexes.{i}.body")
        for j, sub in enumerate(annex.annexes):
            if sub.body is not None:
                yield from _body_item_keys(sub.body, f"annexes.{i}.annexes.{j}.body")
