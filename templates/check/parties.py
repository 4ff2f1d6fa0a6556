"""Every party that appears in the text, the considerations or among the besluit's recipients signs."""

from __future__ import annotations

from templates.check.severity import ERROR
from templates.dossier.model import Dossier
from templates.errors import Problem
from templates.numbering import MARKUP, iter_texts


def _party_appearances(d: Dossier) -> dict[str, str]:
    """Party key -> path of its first appearance in the text, the considerations or the besluit."""
    seen: dict[str, str] = {}
    for path, text in iter_texts(d):
        for m in MARKUP.finditer(text):
            if m.group(1) == "partij":
                seen.setdefault(m.group(2).strip(), path)
    for path, text in iter_texts(d.agreement, "agreement"):
        if path.endswith(".generated") and text == "partijen":
            for party in d.parties:
                seen.setdefault(party.key, path)
    if d.besluit is not None:
        for i, key in enumerate(d.besluit.recipients):
            seen.setdefault(key, f"besluit.recipients.{i}")
    return seen


def check_parties_without_signature(d: Dossier) -> list[Problem]:
    out: list[Problem] = []
    appearances = _party_appearances(d)
    signed_for = {k for p in d.parties for s in p.signatories for k in s.also_for}
    for i, party in enumerate(d.parties):
        if party.joins_later:
            if party.signatories:
                out.append(
                    Problem(
                        f"parties.{i}.signatories",
                        f"'{party.name}' treedt later toe (joins_later) en ondertekent dus niet bij de "
                        "ondertekening: haal de ondertekenaars weg of zet joins_later uit",
                        ERROR,
                        "toetreder_met_ondertekenaar",
                    )
                )
            continue
        if party.signatories or party.key not in appearances or party.key in signed_for:
            continue
        parent = d.party(party.part_of) if party.part_of else None
        if parent is not None and parent.signatories:
            continue  # an onderdeel: the parent organisation signs for it
        out.append(
            Problem(
                f"parties.{i}.signatories",
                f"de partij '{party.name}' komt voor in {appearances[party.key]}, maar heeft geen "
                "ondertekenaar: geef een ondertekenaar (signatories) op, of haal de partij uit de tekst",
                ERROR,
                "partij_zonder_ondertekening",
            )
        )
    return out
