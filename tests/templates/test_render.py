"""End-to-end rendering of a small dossier: every document, DOCX and PDF, the same words in both."""

from __future__ import annotations

import difflib
from datetime import date
from io import BytesIO

import pypdf
import pytest
from docx import Document as DocxDocument
from docx.oxml.ns import qn

import templates
from templates.cache import RenderCache
from templates.textextract import docx_footnotes, docx_text, pdf_text, words


def test_set_has_every_document_of_the_dossier(small_set: templates.RenderedSet) -> None:
    names = [d.name for d in small_set.documents]
    assert names == ["overeenkomst", "besluit-art20", "mandaat-mandaat-teamchef", "geheimhoudingsverklaring"]
    for doc in small_set.documents:
        assert doc.pdf is not None and doc.pdf.data.startswith(b"%PDF-")
        assert doc.docx is not None and doc.docx[:2] == b"PK"


@pytest.mark.parametrize(
    "name", ["overeenkomst", "besluit-art20", "mandaat-mandaat-teamchef", "geheimhoudingsverklaring"]
)
def test_docx_and_pdf_carry_the_same_words(small_set: templates.RenderedSet, name: str) -> None:
    """The same words in the same order; footnotes are compared on their own (at the foot of the page in
    the PDF, Word footnotes in the DOCX), their numbers at the calls are part of the text."""
    doc = small_set.get(name)
    assert doc.pdf is not None and doc.docx is not None
    pdf_words, docx_words = words(pdf_text(doc.pdf.data, notes="omit")), words(docx_text(doc.docx))
    assert len(pdf_words) > 40
    diff = [
        op
        for op in difflib.SequenceMatcher(None, pdf_words, docx_words, autojunk=False).get_opcodes()
        if op[0] != "equal"
    ]
    assert pdf_words == docx_words, diff[:5]
    assert words(pdf_text(doc.pdf.data, notes="only")) == words(docx_footnotes(doc.docx))


def test_agreement_text_numbers_articles_and_resolves_references(small_set: templates.RenderedSet) -> None:
    text = " ".join(pdf_text(small_set.get("overeenkomst").pdf.data).split())  # type: ignore[union-attr]
    assert "Artikel 2 Doel" in text and "Artikel 3 Grondslag" in text  # numbered across chapters
    assert "I Algemene bepalingen" in text and "II Slotbepalingen" in text
    assert (
        "Zie artikel 2, tweede lid en artikel 2, tweede lid, onder a, en hoofdstuk I van Gemeente Testdorp"
        in text
    )
    assert "als bijlage 1 deel uitmaakt" in text
    assert "geldt voor drie jaar vanaf 14 juni 2018" in text
    assert "Bijlage 1.a" in text
    assert "[[" not in text


def test_budget_totals_are_computed(small_set: templates.RenderedSet) -> None:
    text = pdf_text(small_set.get("overeenkomst").pdf.data)  # type: ignore[union-attr]
    flat = " ".join(text.split())
    assert "Wijkteambudget (5 × € 13.380,00) € 66.900,00" in flat
    assert "Wijkprojecten € 168.600,00" in flat  # 390.000 - 154.500 - 66.900
    assert "Totaal € 390.000,00" in flat
    assert "De bijdrage is € 195.000,00 per jaar; totaal € 390.000,00." in flat


def test_footnotes_are_at_the_foot_of_the_page_of_their_call(small_set: templates.RenderedSet) -> None:
    from pdfminer.high_level import extract_text

    pdf = small_set.get("overeenkomst").pdf
    assert pdf is not None
    notes = " ".join(pdf_text(pdf.data, notes="only").split())
    assert notes == (
        "1 Vanaf 25 mei 2018: de Algemene Verordening Gegevensbescherming. "
        "2 De grondslag van agendadeelnemers staat op de geheimhoudingsverklaring."
    )
    reader = pypdf.PdfReader(BytesIO(pdf.data))
    (page,) = [i for i in range(len(reader.pages)) if "Artikel 2 Doel" in reader.pages[i].extract_text()]
    page_text = " ".join(extract_text(BytesIO(pdf.data), page_numbers=[page]).split())
    assert "Vanaf 25 mei 2018" in page_text and "De grondslag van agendadeelnemers" in page_text
    # ... below the last line of the text on that page, above the page number
    body_last = page_text.index("Verlenging na evaluatie")
    assert page_text.index("Vanaf 25 mei 2018") > body_last


def test_docx_has_real_word_footnotes(small_set: templates.RenderedSet) -> None:
    import zipfile

    data = small_set.get("overeenkomst").docx
    assert data is not None
    with zipfile.ZipFile(BytesIO(data)) as z:
        body = z.read("word/document.xml").decode()
        rels = z.read("word/_rels/document.xml.rels").decode()
        settings = z.read("word/settings.xml").decode()
    assert body.count("<w:footnoteReference ") == 2
    assert "relationships/footnotes" in rels and "<w:footnotePr>" in settings
    assert docx_footnotes(data).splitlines() == [
        "1 Vanaf 25 mei 2018: de Algemene Verordening Gegevensbescherming.",
        "2 De grondslag van agendadeelnemers staat op de geheimhoudingsverklaring.",
    ]


def test_pdf_is_pdfa_with_metadata_and_embedded_fonts(small_set: templates.RenderedSet) -> None:
    data = small_set.get("overeenkomst").pdf.data  # type: ignore[union-attr]
    reader = pypdf.PdfReader(BytesIO(data), strict=True)  # structural errors raise
    assert reader.metadata.title == "Samenwerkingsovereenkomst Wijkzaken Testdorp"
    assert reader.metadata.author == "Testdorp"
    assert reader.trailer["/Root"]["/Lang"] == "nl"
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="3"' in xmp and b'pdfaid:conformance="U"' in xmp  # PDF/A-3u
    assert "/OutputIntents" in reader.trailer["/Root"]
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor  # embedded
            fonts.add(str(font["/BaseFont"]).split("+")[-1])
    assert fonts == {"Convenant-Sans", "Convenant-Sans-Bold", "Convenant-Sans-Italic"}


def test_docx_has_core_properties(small_set: templates.RenderedSet) -> None:
    doc = DocxDocument(BytesIO(small_set.get("besluit-art20").docx))  # type: ignore[arg-type]
    assert doc.core_properties.title == "Besluit gegevensverstrekking ingevolge artikel 20 Wpg"
    assert doc.core_properties.language == "nl-NL"
    lang = doc.styles["Normal"].element.rPr.find(qn("w:lang"))
    assert lang is not None and lang.get(qn("w:val")) == "nl-NL"  # Dutch spelling in Word


def test_signature_boxes_are_returned_for_every_signatory(small_set: templates.RenderedSet) -> None:
    agreement = small_set.get("overeenkomst").pdf
    assert agreement is not None
    names = [f.name for f in agreement.signature_fields]
    assert sorted(names) == ["sig-burgemeester", "sig-directeur-dak", "sig-teamchef"]
    reader = pypdf.PdfReader(BytesIO(agreement.data))
    for spec in agreement.signature_fields:
        x1, y1, x2, y2 = spec.box
        width, height = (
            float(reader.pages[spec.page_index].mediabox.width),
            float(reader.pages[spec.page_index].mediabox.height),
        )
        assert 0 <= x1 < x2 <= width and 0 <= y1 < y2 <= height
        assert x2 - x1 == pytest.approx(75 * 72 / 25.4, abs=2)  # the 75 mm box (+ border)
        assert y2 - y1 == pytest.approx(24 * 72 / 25.4, abs=2)
    assert [f.name for f in small_set.get("besluit-art20").pdf.signature_fields] == ["sig-besluit"]  # type: ignore[union-attr]
    assert [f.name for f in small_set.get("mandaat-mandaat-teamchef").pdf.signature_fields] == [  # type: ignore[union-attr]
        "sig-mandaat-teamchef"
    ]
    assert [f.name for f in small_set.get("geheimhoudingsverklaring").pdf.signature_fields] == [  # type: ignore[union-attr]
        "sig-agendadeelnemer"
    ]


def test_signature_box_lies_below_the_signatory_name_line(small_set: templates.RenderedSet) -> None:
    """The box is where the layout draws it: above the name of the signatory on the same page."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextContainer

    pdf = small_set.get("overeenkomst").pdf
    assert pdf is not None
    spec = next(f for f in pdf.signature_fields if f.name == "sig-directeur-dak")
    page = list(extract_pages(BytesIO(pdf.data)))[spec.page_index]
    name_box = next(el for el in page if isinstance(el, LTTextContainer) and "C. Pieters" in el.get_text())
    assert spec.box[1] >= name_box.y1 - 2  # box bottom just above the name
    assert spec.box[1] - name_box.y1 < 30


def test_personalised_declaration_names_participant_and_ground(small_dossier: templates.Dossier) -> None:
    p = templates.Participant("J. de Boer", "Basisschool De Linde", "vitaal", date(2019, 2, 1))
    pdf = templates.render_declaration(small_dossier, p, cache=RenderCache())
    assert isinstance(pdf, templates.RenderedPdf)
    flat = " ".join(pdf_text(pdf.data).split())
    assert "J. de Boer, werkzaam bij Basisschool De Linde" in flat
    assert "vitaal levens- of gezondheidsbelang" in flat and "ondubbelzinnige toestemming" not in flat
    assert "1 februari 2019" in flat
    assert [f.name for f in pdf.signature_fields] == ["sig-agendadeelnemer"]
    docx = templates.render_declaration(small_dossier, p, fmt="docx", cache=RenderCache())
    assert isinstance(docx, bytes)
    assert words(docx_text(docx)) == words(pdf_text(pdf.data))


def test_blank_declaration_shows_placeholders(small_set: templates.RenderedSet) -> None:
    flat = " ".join(pdf_text(small_set.get("geheimhoudingsverklaring").pdf.data).split())  # type: ignore[union-attr]
    assert "[naam instelling / beroepskracht]" in flat
    assert "[datum ondertekening]" in flat
    assert "(ondubbelzinnige toestemming inwoner / vitaal levens- of gezondheidsbelang" in flat


def test_cached_render_returns_identical_bytes(small_dossier: templates.Dossier) -> None:
    cache = RenderCache()
    first = templates.render_pdf(small_dossier, "besluit-art20", cache=cache)
    again = templates.render_pdf(small_dossier, "besluit-art20", cache=cache)
    assert again is first
    changed = small_dossier.model_copy(update={"title": "Een andere titel"})
    assert templates.render_pdf(changed, "besluit-art20", cache=cache) is not first


def test_unknown_document_name_is_refused(small_dossier: templates.Dossier) -> None:
    with pytest.raises(templates.UnknownDocument) as exc:
        templates.render_pdf(small_dossier, "mandaat-bestaat-niet", cache=None)
    assert "Beschikbaar" in exc.value.message


def test_rendering_is_deterministic_across_processes(small_dossier: templates.Dossier) -> None:
    """Two service workers render the same bytes, so the document one signs is the document another shows."""
    import hashlib
    import subprocess
    import sys
    from pathlib import Path

    script = (
        "import hashlib, sys, templates\n"
        "d = templates.load_dossier(open(sys.argv[1], 'rb').read())\n"
        "print(hashlib.sha256(templates.render_pdf(d, 'overeenkomst', cache=None).data).hexdigest())\n"
        "print(hashlib.sha256(templates.render_docx(d, 'overeenkomst', cache=None)).hexdigest())\n"
    )
    path = Path(__file__).with_name("small_dossier.yaml")
    root = Path(__file__).resolve().parents[2]
    other = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, text=True, cwd=root, check=True
    ).stdout.split()
    here = [
        hashlib.sha256(templates.render_pdf(small_dossier, "overeenkomst", cache=None).data).hexdigest(),
        hashlib.sha256(templates.render_docx(small_dossier, "overeenkomst", cache=None)).hexdigest(),
    ]
    assert other == here


def test_emphasis_markup_is_italic_in_both_formats(small_set: templates.RenderedSet) -> None:
    doc = DocxDocument(BytesIO(small_set.get("overeenkomst").docx))  # type: ignore[arg-type]
    italic = [r.text for p in doc.paragraphs for r in p.runs if r.italic]
    assert italic == ["de partners"]
    flat = " ".join(pdf_text(small_set.get("overeenkomst").pdf.data).split())  # type: ignore[union-attr]
    assert "Hierna te noemen de partners" in flat and "cursief" not in flat


def test_unbalanced_emphasis_is_an_error(small_text: str) -> None:
    from templates.numbering import markup_problems

    dossier = templates.load_dossier(small_text.replace("[[/cursief]]", ""))
    (problem,) = [p for p in markup_problems(dossier) if p.code == "nadruk_ongeldig"]
    assert problem.path == "agreement.parts.1.blocks.2.p"
    assert problem.message == "[[cursief]] wordt niet afgesloten met [[/cursief]]"


def test_declaration_refuses_unknown_ground_and_empty_name(small_dossier: templates.Dossier) -> None:
    bad = templates.Participant("  ", "School", "horoscoop", date(2019, 2, 1))
    with pytest.raises(templates.ParticipantInvalid) as exc:
        templates.render_declaration(small_dossier, bad, cache=None)
    by_path = {p.path: p.message for p in exc.value.problems}
    assert by_path["deelnemer.grondslag"].startswith("onbekende grondslag 'horoscoop'; kies uit: toestemming")
    assert by_path["deelnemer.naam"] == "is verplicht"


def test_fonts_come_from_the_project_assets(small_set: templates.RenderedSet) -> None:
    """The stylesheet's family ("Convenant Sans", the shipped Liberation Sans files) exists nowhere else: a
    font that failed to load would show up as a system fallback (DejaVu), never under this name."""
    from templates.pdf import _engine

    fetcher = _engine().fetcher
    assert fetcher.refused == []
    assert sorted(u.rsplit("/", 1)[-1] for u in fetcher.served) == [
        "LiberationSans-Bold.ttf",
        "LiberationSans-BoldItalic.ttf",
        "LiberationSans-Italic.ttf",
        "LiberationSans-Regular.ttf",
    ]
    reader = pypdf.PdfReader(BytesIO(small_set.get("besluit-art20").pdf.data))  # type: ignore[union-attr]
    names = {
        str(f.get_object()["/BaseFont"]).split("+")[-1]
        for p in reader.pages
        for f in p["/Resources"]["/Font"].values()
    }
    assert names and names <= {"Convenant-Sans", "Convenant-Sans-Bold", "Convenant-Sans-Italic"}
