"""Document structure as real covenants have it, on a made-up regional covenant (structured_dossier.yaml):
decimal numbering, a table of contents with articles and the pages they are on, footnotes at the foot of
the page (and as Word footnotes), a table in an annex, a version, a region, many kinds of parties, a class
of parties that joins later and a signatory who signs on behalf of others."""

from __future__ import annotations

import re
import subprocess
import zipfile
from datetime import date
from io import BytesIO
from pathlib import Path

import pypdf
import pytest
import yaml

import templates
from templates.cache import RenderCache
from templates.textextract import docx_footnotes, docx_text, pdf_text, words

HERE = Path(__file__).parent
TEXT = (HERE / "structured_dossier.yaml").read_text("utf-8")


@pytest.fixture(scope="module")
def dossier() -> templates.Dossier:
    return templates.load_dossier(TEXT, "structured_dossier.yaml")


@pytest.fixture(scope="module")
def rendered(dossier: templates.Dossier) -> templates.RenderedDocument:
    return templates.render_set(dossier, cache=RenderCache()).get("overeenkomst")


def _pdf(rendered: templates.RenderedDocument) -> bytes:
    assert rendered.pdf is not None
    return rendered.pdf.data


def _page_texts(data: bytes) -> list[str]:
    from pdfminer.high_level import extract_text

    count = len(pypdf.PdfReader(BytesIO(data)).pages)
    return [extract_text(BytesIO(data), page_numbers=[i]) for i in range(count)]


def test_the_example_is_clean(dossier: templates.Dossier) -> None:
    assert templates.check_dossier(dossier) == []


def test_decimal_numbers_in_headings_leden_and_references(rendered: templates.RenderedDocument) -> None:
    flat = " ".join(pdf_text(_pdf(rendered)).split())
    assert "2 Doel 2.1 Doel van de samenwerking" in flat
    assert "2.2 De partijen verstrekken elkaar gegevens alleen: a. voor zover" in flat
    assert "Verstrekking gebeurt zoals artikel 2.2 en artikel 2.2, onder a bepalen." in flat
    assert "zie het artikel \u2018Aanleiding\u2019" in flat  # an unnumbered section, cited by its title
    assert "Aanleiding De partijen werken samen" in flat and "1 Begrippen" in flat  # it took no number
    assert "toetredingsverklaring van artikel 5;" in flat


def test_table_of_contents_gives_the_page_of_every_article(
    dossier: templates.Dossier, rendered: templates.RenderedDocument
) -> None:
    pages = _page_texts(_pdf(rendered))
    toc_page = next(i for i, t in enumerate(pages) if "Inhoudsopgave" in t)
    entries = re.findall(r"^(\d \w+|Aanleiding|Ondertekening)\s+(\d+)$", pdf_text(_pdf(rendered)), re.M)
    headings = [
        "Aanleiding",
        "1 Begrippen",
        "2 Doel",
        "3 Verstrekking",
        "4 Bewaren",
        "5 Toetreding",
        "6 Looptijd",
    ]
    assert [e[0] for e in entries] == [*headings, "Ondertekening"]
    for heading, page in entries:
        on = [i + 1 for i, t in enumerate(pages) if i != toc_page and re.search(rf"^{heading}$", t, re.M)]
        assert on and on[0] == int(page), (heading, page, on)
    assert "Ondertekening 4 Grondslagen en bewaartermijnen Bijlage 1" in " ".join(
        pdf_text(_pdf(rendered)).split()
    )


def test_footnotes_stand_at_the_foot_of_the_page_of_their_call(rendered: templates.RenderedDocument) -> None:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTTextContainer, LTTextLine

    data = _pdf(rendered)
    for page in extract_pages(BytesIO(data)):
        body, notes = [], []
        for box in page:
            if not isinstance(box, LTTextContainer):
                continue
            for line in box:
                if isinstance(line, LTTextLine) and 60 < line.y0 < page.height - 72:
                    sizes = {round(c.size, 1) for c in line if isinstance(c, LTChar)}
                    (notes if sizes == {8.5} else body).append(line)
        text = " ".join(" ".join(line.get_text().split()) for line in body)
        if "Doel van de samenwerking" in text:
            note_text = " ".join(" ".join(n.get_text().split()) for n in notes)
            assert "Het Zorg- en Veiligheidshuis is het netwerk" in note_text
            assert "niet te verwarren met de Wet politiegegevens" in note_text
            assert note_text.count("De termijn loopt vanaf de afsluiting") == 1  # called twice, printed once
            assert max(n.y1 for n in notes) < min(b.y0 for b in body)  # below the text of the page
            break
    else:
        pytest.fail("geen pagina met de artikelen")


def test_docx_carries_the_same_words_real_footnotes_and_page_references(
    rendered: templates.RenderedDocument,
) -> None:
    assert rendered.docx is not None and rendered.pdf is not None
    assert words(pdf_text(_pdf(rendered), notes="omit")) == words(docx_text(rendered.docx))
    assert words(pdf_text(_pdf(rendered), notes="only")) == words(docx_footnotes(rendered.docx))
    assert len(docx_footnotes(rendered.docx).splitlines()) == 3
    with zipfile.ZipFile(BytesIO(rendered.docx)) as z:
        body = z.read("word/document.xml").decode()
    refs = re.findall(r"PAGEREF (toc\d+) \\h", body)
    assert len(refs) == 9  # the text, 7 articles, the signing page
    for name in refs:
        assert f'w:name="{name}"' in body  # a bookmark on the heading
    # the field shows the page of the PDF until Word updates it
    assert rendered.pdf.anchor_pages and set(rendered.pdf.anchor_pages) == set(refs)
    assert "<w:tblHeader/>" in body and "Bewaartermijn" in body


def test_table_in_the_annex(rendered: templates.RenderedDocument) -> None:
    text = pdf_text(_pdf(rendered))
    assert "Partij\nGrondslag\nBewaartermijn" in text
    # a wrapped cell reads whole, then the next cell of its row
    row = (
        "Openbaar Ministerie, arrondissementsparket\nOverijssel\nWet justitiële en strafvorderlijke\ngegevens"
    )
    assert row + "\n5 jaar" in text


def test_parties_grouped_signing_on_behalf_of_others_and_a_class_that_joins_later(
    dossier: templates.Dossier, rendered: templates.RenderedDocument
) -> None:
    flat = " ".join(pdf_text(_pdf(rendered)).split())
    assert "Gemeenten • Gemeente Enschede, vertegenwoordigd door de burgemeester;" in flat
    assert "Justitie en politie • Openbaar Ministerie, arrondissementsparket Overijssel" in flat
    assert (
        "Dit convenant geldt in Regio Twente, dat wil zeggen in de gemeenten Enschede, Hengelo en Almelo."
        in flat
    )
    assert "R.G. Smits Burgemeester van Enschede mede namens Gemeente Hengelo en Gemeente Almelo" in flat
    assert (
        "Partijen die later toetreden, ondertekenen bij hun toetreding: de woningcorporaties in Twente."
        in flat
    )
    assert rendered.pdf is not None
    fields = sorted(f.name for f in rendered.pdf.signature_fields)
    assert fields == sorted(f"sig-{s.key}" for p in dossier.parties for s in p.signatories)
    assert len(fields) == 8  # Hengelo, Almelo (signed for) and the woningcorporaties (later) have no box
    assert {p.kind for p in dossier.parties} >= {"openbaar_ministerie", "ggd", "veiligheidsregio", "uwv"}


def test_signing_for_an_unknown_party_or_for_a_party_that_joins_later_is_an_error() -> None:
    data = yaml.safe_load(TEXT)
    data["parties"][0]["signatories"][0]["also_for"] = ["hengelo", "woningcorporaties", "nergens"]
    data["parties"][-1]["signatories"] = [{"key": "x", "name": "X", "function": "Directeur"}]
    problems = {
        (p.path, p.code) for p in templates.check_dossier(templates.load_dossier(yaml.safe_dump(data)))
    }
    assert ("parties.0.signatories.0.also_for.1", "mede_namens_ongeldig") in problems
    assert ("parties.0.signatories.0.also_for.2", "mede_namens_ongeldig") in problems
    assert (f"parties.{len(data['parties']) - 1}.signatories", "toetreder_met_ondertekenaar") in problems
    del data["parties"][0]["signatories"][0]["also_for"]
    data["parties"][-1]["signatories"] = []
    problems = {
        (p.path, p.code) for p in templates.check_dossier(templates.load_dossier(yaml.safe_dump(data)))
    }
    assert ("parties.1.signatories", "partij_zonder_ondertekening") not in problems  # not named in the text
    data["agreement"]["parts"][1]["blocks"].append("Ook [[partij:hengelo]] doet mee.")
    problems = {
        (p.path, p.code) for p in templates.check_dossier(templates.load_dossier(yaml.safe_dump(data)))
    }
    assert ("parties.1.signatories", "partij_zonder_ondertekening") in problems


def test_a_dossier_names_a_municipality_or_a_region() -> None:
    data = yaml.safe_load(TEXT)
    del data["region"]
    with pytest.raises(templates.DossierInvalid) as exc:
        templates.load_dossier(yaml.safe_dump(data))
    assert "municipality" in str(exc.value.problems) and "region" in str(exc.value.problems)


def test_version_on_the_cover_and_in_the_header_of_every_page(rendered: templates.RenderedDocument) -> None:
    reader = pypdf.PdfReader(BytesIO(_pdf(rendered)))
    assert "Versie 1.3 van 1 februari 2022" in reader.pages[0].extract_text()
    for page in reader.pages[1:]:
        assert (
            "Convenant Zorg en Veiligheid Twente \u2013 versie 1.3 van 1 februari 2022" in page.extract_text()
        )
    data = yaml.safe_load(TEXT)
    data["version"]["date"] = date(2022, 4, 1)
    (p,) = templates.check_dossier(templates.load_dossier(yaml.safe_dump(data)))
    assert (p.path, p.code, p.severity) == ("version.date", "versie_na_ondertekening", "waarschuwing")


def test_pdf_stays_pdfa_3u_with_every_font_embedded(rendered: templates.RenderedDocument) -> None:
    data = _pdf(rendered)
    reader = pypdf.PdfReader(BytesIO(data), strict=True)
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="3"' in xmp and b'pdfaid:conformance="U"' in xmp
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            assert annot.get_object()["/F"] == 4  # PDF/A: the table of contents' links are printable
    out = subprocess.run(["pdffonts", "-"], input=data, capture_output=True, check=True).stdout.decode()
    rows = [line.split() for line in out.splitlines()[2:]]
    assert rows and all(r[-5:-3] == ["yes", "yes"] for r in rows), out  # emb, sub
    assert {r[0].split("+")[-1] for r in rows} <= {
        "Convenant-Sans",
        "Convenant-Sans-Bold",
        "Convenant-Sans-Italic",
    }
