"""Hostile dossier content through the real renderers: template syntax, HTML, CSS, file:// and http://
references in every free-text field of the Zeist dossier. Everything must come out as literal text;
no template is evaluated, no local file is read, no request reaches the loopback canary server."""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.proof.hostile import EVIDENCE, canary_server, inject_everywhere, load_yaml, payloads

ROOT = Path(__file__).resolve().parents[2]
PASSWD_LINE = Path("/etc/passwd").read_text().splitlines()[0]


def _pdf_text(data: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(data)
        fh.flush()
        out = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", fh.name, "-"],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
    return out.stdout


def _docx_text(data: bytes) -> str:
    import docx

    doc = docx.Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def hostile_render():  # type: ignore[no-untyped-def]
    from templates import render_set
    from templates.cache import RenderCache
    from templates.dossier.loading import dossier_from_data

    with canary_server() as canary:
        texts = payloads(canary)
        data, injected = inject_everywhere(load_yaml(str(ROOT / "examples" / "zeist.yaml")), texts)
        dossier = dossier_from_data(data)
        rendered = render_set(dossier, cache=RenderCache())
        pdf_text = "\n".join(_pdf_text(d.pdf.data) for d in rendered.documents if d.pdf)
        docx_text = "\n".join(_docx_text(d.docx) for d in rendered.documents if d.docx)
        yield {
            "texts": texts,
            "injected": injected,
            "pdf": pdf_text,
            "docx": docx_text,
            "requests": list(canary.requests),
            "documents": len(rendered.documents),
        }


def test_hostile_text_reaches_many_fields_and_every_document(hostile_render):
    assert len(hostile_render["injected"]) >= 100  # every free-text field of the Zeist set
    assert hostile_render["documents"] >= 4


def test_no_template_syntax_is_evaluated_in_pdf_or_docx(hostile_render):
    for label in ("pdf", "docx"):
        text = hostile_render[label]
        for evidence in EVIDENCE:
            assert evidence not in text, (
                f"{label}: found {evidence!r}: a payload was evaluated or a file read"
            )


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_template_html_and_css_payloads_come_out_as_literal_text(hostile_render, fmt):
    flat = _flat(hostile_render[fmt])
    for text in hostile_render["texts"]:
        assert _flat(text) in flat, f"{fmt}: {text!r} is not rendered literally"


def test_the_renderer_reads_no_local_file_and_makes_no_request(hostile_render):
    assert hostile_render["requests"] == []
    for label in ("pdf", "docx"):
        assert PASSWD_LINE not in hostile_render[label]


def test_a_dossier_whose_markup_points_at_an_unknown_key_is_a_clear_dutch_error():
    from templates import load_dossier, render_pdf
    from templates.errors import TemplatesError

    raw = (ROOT / "examples" / "zeist.yaml").read_text(encoding="utf-8")
    raw = raw.replace("title:", "title: '[[ref:../../etc/passwd]] {{ 7*191 }}' #", 1)
    with pytest.raises(TemplatesError) as caught:
        render_pdf(load_dossier(raw), "overeenkomst", cache=None)
    assert "passwd" in caught.value.message or caught.value.problems
    assert all(p.message for p in caught.value.problems)


def test_a_yaml_alias_bomb_is_refused_quickly_with_a_dutch_message():
    """'billion laughs' inside the real dossier: nine levels of aliases, each nine times the previous
    (387 million strings once expanded), placed in the list of laws."""
    from templates import load_dossier
    from templates.errors import DossierInvalid

    levels = ["&a0 AVG"] + [f"&a{i} [{', '.join(['*a' + str(i - 1)] * 9)}]" for i in range(1, 10)]
    raw = (ROOT / "examples" / "zeist.yaml").read_text(encoding="utf-8")
    raw = re.sub(r"^laws: .*$", "laws: [" + ", ".join(levels) + "]", raw, count=1, flags=re.M)
    assert "*a8" in raw
    with pytest.raises(DossierInvalid) as caught:
        load_dossier(raw)
    assert any(p.path.startswith("laws") for p in caught.value.problems)
    assert "dossiermodel" in caught.value.message
