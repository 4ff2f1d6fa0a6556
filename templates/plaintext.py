"""A dossier text as one plain line for pages and forms: inline markup resolved as the documents print it.

``[[ref:KEY]]`` reads as the documents cite it ("artikel 3, tweede lid"), ``[[partij:KEY]]`` as the party's
name, ``[[waarde:KEY]]`` as its value, emphasis tags vanish and footnote calls are left out (a form has no
foot of the page).
"""

from __future__ import annotations

from templates.dossier.model import Dossier
from templates.dossier.values import compute_value
from templates.numbering import TOKENS, reference_targets


def plain_text(dossier: Dossier, text: str) -> str:
    targets = reference_targets(dossier)[0]

    def resolve(kind: str, key: str) -> str:
        if kind == "ref":
            target = targets.get(key)
            return target.label if target is not None else key
        if kind == "partij":
            party = dossier.party(key)
            return party.name if party is not None else key
        if kind == "voetnoot":
            return ""
        value = compute_value(key, dossier, None)
        return value if value is not None else "…"

    out: list[str] = []
    pos = 0
    for m in TOKENS.finditer(text):
        out.append(text[pos : m.start()])
        if not m.group("style"):
            out.append(resolve(m.group(1), m.group(2).strip()))
        pos = m.end()
    out.append(text[pos:])
    return " ".join("".join(out).split())
