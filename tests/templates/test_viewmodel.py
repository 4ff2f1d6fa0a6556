"""The document structure before any layout: order of parts, placement of the signing page and notes."""

from __future__ import annotations

import yaml

import templates
from templates.documents import build_document


def _texts(doc) -> list[str]:  # type: ignore[no-untyped-def]
    """Running text in reading order (the table of contents left out)."""
    return [b.text for b in doc.blocks if b.kind != "toc"]


def test_agreement_reads_in_order_with_annexes_numbered(small_dossier: templates.Dossier) -> None:
    doc = build_document(small_dossier, "overeenkomst")
    texts = _texts(doc)
    order = [
        "Samenwerkingsovereenkomst Wijkzaken Testdorp",  # cover
        "Inhoudsopgave",
        "Het bevoegd gezag van:",
        "Ondertekening",  # where the body has `ondertekening: true`
        "Bijlage 1 bij Samenwerkingsovereenkomst Wijkzaken Testdorp",
        "Privacyregeling Wijkoverleg Testdorp",
        "Bijlage 1.a",
        "Geheimhoudingsverklaring agendadeelnemer Wijkoverleg Testdorp",
        "Bijlage 2 bij Samenwerkingsovereenkomst Wijkzaken Testdorp",
    ]
    positions = [texts.index(t) for t in order]
    assert positions == sorted(positions)
    toc = [(b.text, b.label) for b in doc.blocks if b.kind == "toc"]
    assert ("Geheimhoudingsverklaring agendadeelnemer", "Bijlage 1.a") in toc
    # the blank declaration inside the agreement has a box but no signature field of its own
    assert doc.signature_fields == ["sig-burgemeester", "sig-teamchef", "sig-directeur-dak"]


def test_signing_page_goes_where_the_part_is(small_text: str) -> None:
    data = yaml.safe_load(small_text)
    parts = data["agreement"]["parts"]
    parts.insert(1, parts.pop())  # `ondertekening: true` before the parties, as in the Amsterdam convenant
    doc = build_document(templates.load_dossier(yaml.safe_dump(data, allow_unicode=True)), "overeenkomst")
    texts = _texts(doc)
    assert texts.index("Ondertekening") < texts.index("Het bevoegd gezag van:")


def test_without_a_signing_part_the_signatures_close_the_body(small_text: str) -> None:
    data = yaml.safe_load(small_text)
    data["agreement"]["parts"] = [p for p in data["agreement"]["parts"] if "ondertekening" not in p]
    doc = build_document(templates.load_dossier(yaml.safe_dump(data, allow_unicode=True)), "overeenkomst")
    kinds = [b.kind for b in doc.blocks]
    first_annex = next(i for i, b in enumerate(doc.blocks) if b.text.startswith("Bijlage 1 bij"))
    assert "signatures" in kinds[:first_annex]


def test_signatory_under_mandate_says_on_whose_behalf(small_dossier: templates.Dossier) -> None:
    doc = build_document(small_dossier, "overeenkomst")
    views = [s for b in doc.blocks for s in b.signatures]
    teamchef = next(s for s in views if s.field == "sig-teamchef")
    assert teamchef.party == "Politie Midden-Nederland"
    assert teamchef.before == [
        "De Politiechef Eenheid Midden-Nederland, Mevrouw drs. M. Barendse,",
        "namens deze,",
    ]
    assert teamchef.after == ["B. de Vries", "Teamchef"]


def test_footnotes_travel_with_their_first_call(small_dossier: templates.Dossier) -> None:
    """A footnote's text rides on the run of its number (so the PDF puts it at the foot of that page and
    the DOCX makes a Word footnote there); numbers follow the order of first calls; a second call of the
    same footnote repeats its number without a second note."""
    data = small_dossier.model_dump()
    lid = data["annexes"][0]["body"]["parts"][0]["chapters"][1]["articles"][0]["leden"][1]
    lid["text"] += "[[voetnoot:avg]]"
    doc = build_document(templates.Dossier.model_validate(data), "overeenkomst")
    calls = [(r.text, "".join(n.text for n in r.note)) for b in doc.blocks for r in b.runs if r.sup]
    assert calls == [
        ("1", "Vanaf 25 mei 2018: de Algemene Verordening Gegevensbescherming."),
        ("2", "De grondslag van agendadeelnemers staat op de geheimhoudingsverklaring."),
        ("1", ""),
    ]
    assert not any(b.kind == "note" for b in doc.blocks)  # no list of notes at the end of a text


def test_mandate_document_text(small_dossier: templates.Dossier) -> None:
    doc = build_document(small_dossier, "mandaat-mandaat-teamchef")
    texts = _texts(doc)
    assert texts[:2] == ["Mandaatbesluit", "De Politiechef Eenheid Midden-Nederland,"]
    assert (
        "De teamchef werkzaam in district Oost, Dhr. B. de Vries, tekenbevoegdheid te verlenen "
        "ten aanzien van het ondertekenen van de \u201cOvereenkomst Wijkzaken Testdorp\u201d." in texts
    )
    assert "Utrecht, 11 april 2018," in texts
