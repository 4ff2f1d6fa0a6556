"""A mandate names known documents and does not end before it was given."""

from __future__ import annotations

from templates.check.severity import ERROR
from templates.documents import AGREEMENT
from templates.dossier.model import Dossier
from templates.errors import Problem
from templates.formatting import format_date


def check_mandates(d: Dossier) -> list[Problem]:
    out: list[Problem] = []
    documents = {AGREEMENT, *(m.key for m in d.mandates)}
    if d.besluit is not None:
        documents.add(d.besluit.key)
    if d.declaration is not None:
        documents.add(d.declaration.key)
    for i, m in enumerate(d.mandates):
        for j, doc in enumerate(m.documents):
            if doc not in documents:
                out.append(
                    Problem(
                        f"mandates.{i}.documents.{j}",
                        f"het mandaatbesluit noemt het onbekende document "
                        f"'{doc}' (bekend: {', '.join(sorted(documents))})",
                        ERROR,
                        "document_onbekend",
                    )
                )
        if m.valid_until is not None and m.valid_until < m.date:
            out.append(
                Problem(
                    f"mandates.{i}.valid_until",
                    f"het mandaat geldt tot {format_date(m.valid_until)}, "
                    f"vóór de datum van het mandaatbesluit ({format_date(m.date)})",
                    ERROR,
                    "einddatum_voor_begin",
                )
            )
    return out
