"""Citations: a key of the dossier turned into the words the generated documents print for it.

``citation(dossier, key)`` -> "artikel 32, eerste lid", "artikel 11, tweede lid, van bijlage 1",
"bijlage 1.a", "artikel 6 van het besluit". The label is the one ``[[ref:KEY]]`` renders
(``templates.numbering.reference_targets``), so a citation follows the numbering: insert an article and every
citation after it shifts, as the PDF does. The document it lives in is added when that is not the agreement
itself. ``citations(dossier, keys)`` resolves many keys with one index (what the registry stores on sync).
"""

from __future__ import annotations

from collections.abc import Iterable

from templates.dossier.model import Dossier
from templates.numbering import Target, reference_targets


def _documents(targets: dict[str, Target], dossier: Dossier) -> list[tuple[str, str]]:
    """(path prefix, "van …") for every document that is not the agreement, longest prefix first."""
    docs: list[tuple[str, str]] = []
    for target in targets.values():
        if target.kind == "bijlage":
            docs.append((target.path + ".", f"van {target.label}"))
    if dossier.besluit is not None:
        docs.append(("besluit.", "van het besluit"))
    if dossier.declaration is not None:
        annex = next(
            (t for k, t in targets.items() if k == dossier.declaration.key and t.kind == "bijlage"), None
        )
        docs.append(("declaration.", f"van {annex.label}" if annex else "van de geheimhoudingsverklaring"))
    return sorted(docs, key=lambda d: len(d[0]), reverse=True)


def _phrase(target: Target, docs: list[tuple[str, str]]) -> str:
    if target.kind in ("bijlage", "document"):
        return target.label
    where = next((of for prefix, of in docs if target.path.startswith(prefix)), None)
    if where is None:  # the agreement itself
        return target.label
    return f"{target.label}, {where}" if "," in target.label else f"{target.label} {where}"


def citations(dossier: Dossier, keys: Iterable[str]) -> dict[str, str]:
    """Each key -> its citation; an unknown key -> "[onbekende bepaling 'KEY']" (the check reports it)."""
    targets, _ = reference_targets(dossier)
    docs = _documents(targets, dossier)
    out: dict[str, str] = {}
    for key in keys:
        target = targets.get(key)
        out[key] = _phrase(target, docs) if target is not None else f"[onbekende bepaling '{key}']"
    return out


def citation(dossier: Dossier, key: str) -> str:
    """The words the generated documents print for ``key``, with the document it is in."""
    return citations(dossier, [key])[key]


def known_keys(dossier: Dossier) -> set[str]:
    """Every key a citation may name."""
    return set(reference_targets(dossier)[0])
