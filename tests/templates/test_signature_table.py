"""A covenant of 90 parties (as regional covenants have them): the compact signature table. Every signatory
has a box on the page of their name, directly above it; no two boxes overlap; it takes fewer pages than
one block per signatory; DOCX and PDF carry the same words."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pypdf
import pytest

import templates
from templates.cache import RenderCache
from templates.textextract import docx_text, pdf_text, words
from tests.templates.factories import dossier_data, make_dossier
from tests.templates.test_signature_positions import _name_lines

GROUPS = ["Gemeenten", "Woningcorporaties", "Zorgaanbieders", "Netbeheerders"]
KINDS = ["gemeente", "woningcorporatie", "zorgaanbieder", "netbeheerder"]
NAMES = [
    "Gemeente",
    "Stichting Woonkracht en Zorg Noordoost-Twente en omstreken",
    "GGZ-instelling",
    "Netbeheer",
]


def _ninety(layout: str = "automatisch") -> dict[str, Any]:
    data = dossier_data()
    data["signing"]["layout"] = layout
    for n in range(1, 88):  # 3 parties in the base dossier + 87 = 90
        g = n * 4 // 88
        data["parties"].append(
            {
                "key": f"partij-{n}",
                "name": f"{NAMES[g]} {n}",
                "kind": KINDS[g],
                "group": GROUPS[g],
                "represented_by": "de directeur",
                "signatories": [
                    {
                        "key": f"ondertekenaar-{n}",
                        "name": f"A.B. Persoon-{n}",
                        "function": "Directeur",
                        "email": f"d{n}@partij.example.nl",
                    }
                ],
            }
        )
    return data


@pytest.fixture(scope="module")
def ninety() -> tuple[templates.Dossier, templates.RenderedDocument]:
    dossier = make_dossier(_ninety())
    assert len(dossier.parties) == 90 and templates.check_dossier(dossier) == []
    return dossier, templates.render_set(dossier, cache=RenderCache()).get("overeenkomst")


def test_every_signatory_has_a_box_above_their_name_on_their_page(ninety) -> None:  # type: ignore[no-untyped-def]
    dossier, doc = ninety
    pdf = doc.pdf
    signatories = [s for p in dossier.parties for s in p.signatories]
    fields = {f.name: f for f in pdf.signature_fields}
    assert sorted(fields) == sorted(f"sig-{s.key}" for s in signatories) and len(fields) == 90
    lines = _name_lines(pdf.data)
    reader = pypdf.PdfReader(BytesIO(pdf.data))
    for s in signatories:
        f = fields[f"sig-{s.key}"]
        x1, y1, x2, y2 = f.box
        page = reader.pages[f.page_index]
        assert 0 <= x1 < x2 <= float(page.mediabox.width) and 0 <= y1 < y2 <= float(page.mediabox.height)
        assert y2 - y1 == pytest.approx(13 * 72 / 25.4, abs=2)  # the compact 13 mm box
        below = [
            ln for ln in lines[f.page_index] if ln[0] == s.name and x1 - 2 <= ln[1] <= x2 and ln[3] <= y1 + 2
        ]
        assert below, f"{s.name}: geen naamregel onder het vak op pagina {f.page_index + 1}"
        assert min(y1 - ln[3] for ln in below) < 20


def test_boxes_do_not_overlap(ninety) -> None:  # type: ignore[no-untyped-def]
    _, doc = ninety
    fields = doc.pdf.signature_fields
    for i, a in enumerate(fields):
        for b in fields[i + 1 :]:
            if a.page_index == b.page_index:
                assert (
                    a.box[2] <= b.box[0]
                    or b.box[2] <= a.box[0]
                    or a.box[3] <= b.box[1]
                    or b.box[3] <= a.box[1]
                )


def test_the_table_takes_fewer_pages_than_one_block_per_signatory(ninety) -> None:  # type: ignore[no-untyped-def]
    _, doc = ninety
    blocks = templates.render_pdf(make_dossier(_ninety("blokken")), "overeenkomst", cache=None)

    def pages(fields: list[templates.SignatureFieldSpec]) -> int:
        return max(f.page_index for f in fields) - min(f.page_index for f in fields) + 1

    assert pages(doc.pdf.signature_fields) <= 11 < pages(blocks.signature_fields)


def test_docx_and_pdf_carry_the_same_words(ninety) -> None:  # type: ignore[no-untyped-def]
    _, doc = ninety
    assert words(pdf_text(doc.pdf.data, notes="omit")) == words(docx_text(doc.docx))
    flat = " ".join(pdf_text(doc.pdf.data).split())
    assert "Gemeenten Gemeente 1 A.B. Persoon-1 Directeur" in flat  # the group heading, then its rows
