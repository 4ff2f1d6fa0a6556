"""Texts shown on pages and in forms read as the documents print them, never as markup."""

from __future__ import annotations

from pathlib import Path

import templates

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _example(name: str) -> templates.Dossier:
    path = EXAMPLES / name
    return templates.load_dossier(path.read_text("utf-8"), path.name)


def test_a_besluit_category_citing_an_article_reads_as_printed() -> None:
    dossier = _example("zeist.yaml")
    assert dossier.besluit is not None
    cited = [c for c in dossier.besluit.categories if "[[ref:" in c.text]
    assert cited, "the Zeist besluit has a category that cites an article"
    for category in cited:
        text = templates.plain_text(dossier, category.text)
        assert "[[" not in text and "]]" not in text
        assert "\n" not in text
    every_ref = {m.group(2) for c in cited for m in templates.numbering.MARKUP.finditer(c.text)}
    for key in every_ref:
        assert templates.reference_label(dossier, key) in " ".join(
            templates.plain_text(dossier, c.text) for c in cited
        )


def test_party_names_values_and_emphasis_resolve_and_footnote_calls_vanish() -> None:
    dossier = _example("zeist.yaml")
    party = dossier.parties[0]
    text = f"[[vet]]Let op[[/vet]]: [[partij:{party.key}]] meldt dit[[voetnoot:onbekend]]."
    assert templates.plain_text(dossier, text) == f"Let op: {party.name} meldt dit."
