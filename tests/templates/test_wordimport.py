"""Import from Word: files built with python-docx from both example texts in three variants (heading
styles with Word's own numbering; numbers typed in plain paragraphs; a mix with a table) give back the
example dossiers' structure — chapters, articles, leden and points — with cross-references as [[ref:…]]
and a report of what could not be placed."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from docx import Document

from templates import DossierInvalid, check_dossier, load_dossier
from templates.dossier.model import Dossier, Lid
from templates.fidelity import generated_words, similarity
from templates.wordimport import import_docx
from templates.wordimport.samples import VARIANTS, build_docx

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _points(d: Dossier, lid: Lid) -> int:
    """Points of a lid as printed: its items plus list blocks (a generated list counts its entries)."""
    n = len(lid.items)
    for b in lid.blocks:
        n += len(b.bullets or b.lettered or b.numbered or [])
        if b.generated == "besluit.categorieen" and d.besluit is not None:
            n += len(d.besluit.categories)
    return n


def structure(d: Dossier) -> list[tuple[object, ...]]:
    """Per text: chapter titles, and per article its title, number of leden and points per lid."""
    out: list[tuple[object, ...]] = []

    def body(b, name: str) -> None:  # type: ignore[no-untyped-def]
        for part in b.parts:
            for ch in part.chapters or []:
                out.append((name, "hoofdstuk", ch.title))
                out.extend((name, "artikel", *_article(d, a)) for a in ch.articles)
            out.extend((name, "artikel", *_article(d, a)) for a in part.articles or [])

    def annexes(xs) -> None:  # type: ignore[no-untyped-def]
        for a in xs:
            if a.body:
                body(a.body, a.title)
            annexes(a.annexes)

    body(d.agreement, "overeenkomst")
    annexes(d.annexes)
    return out


def _article(d: Dossier, a) -> tuple[object, ...]:  # type: ignore[no-untyped-def]
    title = re.sub(r"\[\[voetnoot:[^\]]*\]\]", "", a.title or "")  # footnotes stay in Word's own part
    return (title, len(a.leden), tuple(_points(d, lid) for lid in a.leden))


@pytest.fixture(scope="module", params=["amsterdam", "zeist"])
def example(request: pytest.FixtureRequest) -> Dossier:
    path = EXAMPLES / f"{request.param}.yaml"
    return load_dossier(path.read_bytes(), path.name)


@pytest.mark.parametrize("variant", VARIANTS)
def test_import_gives_back_the_example_structure(example: Dossier, variant: str) -> None:
    data = build_docx(example, variant)
    result = import_docx(data)
    want = structure(example)
    assert len([x for x in want if x[1] == "artikel"]) >= 14
    assert structure(result.dossier) == want
    # the draft is a dossier the service accepts (no check errors), with the parties and signatories
    assert not [p for p in check_dossier(result.dossier) if p.severity == "fout"]
    assert [p.name for p in result.dossier.parties] == [p.name for p in example.parties]
    assert [[s.name for s in p.signatories] for p in result.dossier.parties] == [
        [s.name for s in p.signatories] for p in example.parties
    ]
    assert result.dossier.signing.date == example.signing.date
    # the printed text of the agreement is the example's text, apart from footnotes and tables (reported)
    ratio = similarity(
        generated_words(example, ["overeenkomst"]), generated_words(result.dossier, ["overeenkomst"])
    )
    assert ratio >= 0.96, ratio


def test_word_numbering_is_read_not_only_typed_numbers() -> None:
    amsterdam = load_dossier((EXAMPLES / "amsterdam.yaml").read_bytes(), "amsterdam.yaml")
    data = build_docx(amsterdam, "stijlen")
    plain = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert "Artikel 4" not in plain and "\n1. " not in plain  # the numbers exist only as Word numbering
    result = import_docx(data)
    assert len(structure(result.dossier)) == len(structure(amsterdam))


def test_cross_references_become_refs_where_they_resolve_and_laws_stay_text() -> None:
    amsterdam = load_dossier((EXAMPLES / "amsterdam.yaml").read_bytes(), "amsterdam.yaml")
    result = import_docx(build_docx(amsterdam, "getypt"))
    assert result.references >= 20
    text = result.dossier.model_dump_json()
    # "artikel 8, eerste lid" in article 8's second lid points at the first lid of article 8
    assert "[[ref:artikel-8-lid-1]]" in text
    assert "[[ref:artikel-10]]" in text
    assert not re.search(r"\[\[ref:[^\]]*\]\] (Wpg|Wbp|van de Wet)", text)
    zeist = load_dossier((EXAMPLES / "zeist.yaml").read_bytes(), "zeist.yaml")
    z = import_docx(build_docx(zeist, "stijlen")).dossier.model_dump_json()
    assert "artikel 20 Wet politiegegevens" in z  # a law's article is not one of this text's articles
    assert "[[ref:b1-artikel-13-lid-2]]" in z  # "artikel 13, tweede lid" within the privacy regulation


def test_the_report_names_what_could_not_be_placed() -> None:
    zeist = load_dossier((EXAMPLES / "zeist.yaml").read_bytes(), "zeist.yaml")
    result = import_docx(build_docx(zeist, "gemengd"))
    reasons = [f"{u.where}: {u.text} — {u.reason}" for u in result.unplaced]
    assert any("VASTE KOSTEN" in r and "Begroting" in r for r in reasons), reasons
    assert all(u.where.startswith(("tabel", "alinea")) for u in result.unplaced)
    assert any("Looptijd" in c.text for c in result.check)


def test_what_is_not_a_word_file_gets_a_dutch_message() -> None:
    with pytest.raises(DossierInvalid, match="geen Word-document"):
        import_docx(b"%PDF-1.7 dit is geen docx")
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("iets.txt", "hallo")
    with pytest.raises(DossierInvalid, match="word/document.xml ontbreekt"):
        import_docx(buf.getvalue())
