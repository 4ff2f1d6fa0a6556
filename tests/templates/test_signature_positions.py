"""Signature boxes of a long signing page (Amsterdam: 34 signatories over several pages): each box is on the
page of its signatory, directly above the signatory's name, and no two boxes overlap."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest

import templates
from templates.cache import RenderCache

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def amsterdam() -> tuple[templates.Dossier, templates.RenderedPdf]:
    dossier = templates.load_dossier((ROOT / "examples" / "amsterdam.yaml").read_bytes())
    return dossier, templates.render_pdf(dossier, "overeenkomst", cache=RenderCache())


def _name_lines(pdf: bytes) -> dict[int, list[tuple[str, float, float, float]]]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextContainer, LTTextLine

    out: dict[int, list[tuple[str, float, float, float]]] = {}
    for index, page in enumerate(extract_pages(BytesIO(pdf))):
        for box in page:
            if isinstance(box, LTTextContainer):
                for line in box:
                    if isinstance(line, LTTextLine):
                        out.setdefault(index, []).append((line.get_text().strip(), line.x0, line.y0, line.y1))
    return out


def test_every_signatory_has_a_box_above_their_name(amsterdam) -> None:  # type: ignore[no-untyped-def]
    dossier, pdf = amsterdam
    signatories = [s for p in dossier.parties for s in p.signatories]
    fields = {f.name: f for f in pdf.signature_fields}
    assert sorted(fields) == sorted(f"sig-{s.key}" for s in signatories)
    lines = _name_lines(pdf.data)
    for s in signatories:
        f = fields[f"sig-{s.key}"]
        x1, y1, x2, y2 = f.box
        below = [
            ln for ln in lines[f.page_index] if ln[0] == s.name and x1 - 2 <= ln[1] <= x2 and ln[3] <= y1 + 2
        ]
        assert below, f"{s.name}: geen naamregel onder het vak op pagina {f.page_index + 1}"
        assert min(y1 - ln[3] for ln in below) < 20  # the name line directly under the box


def test_boxes_do_not_overlap(amsterdam) -> None:  # type: ignore[no-untyped-def]
    _, pdf = amsterdam
    fields = pdf.signature_fields
    for i, a in enumerate(fields):
        for b in fields[i + 1 :]:
            if a.page_index != b.page_index:
                continue
            separate = (
                a.box[2] <= b.box[0] or b.box[2] <= a.box[0] or a.box[3] <= b.box[1] or b.box[3] <= a.box[1]
            )
            assert separate, (a, b)
