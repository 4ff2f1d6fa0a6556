"""Hostile dossier content renders as literal text in DOCX and PDF: no template evaluation, no markup,
no file or network fetch (a local HTTP server proves that nothing was asked for), never a crash."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from datetime import date

import pytest
import yaml

import templates
from templates.assets_fetcher import ASSETS_URL, AssetsOnlyFetcher
from templates.cache import RenderCache
from templates.errors import RenderRefused
from templates.pdf import html_pdf
from templates.textextract import docx_footnotes, docx_text, pdf_text, words


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802
        type(self).hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def server() -> Iterator[tuple[str, list[str]]]:
    _Recorder.hits = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", _Recorder.hits
    httpd.shutdown()
    httpd.server_close()


def _payloads(base: str) -> dict[str, str]:
    return {
        "jinja": "{{ 7*7 }} en {% for x in range(3) %}X{% endfor %} en {{ ''.__class__.__mro__ }}",
        "script": "<script>alert('x')</script><style>body { display: none }</style>",
        "img": f'<img src="{base}/img.png"> <img src="file:///etc/passwd">',
        "css": f'<div style="background: url({base}/bg.png)">x</div>'
        f'<link rel="stylesheet" href="{base}/s.css">',
        "entity": "&lt;b&gt; &amp; <![CDATA[x]]> </w:t></w:r><w:r><w:t>docx-injectie",
        "control": "regel\x0bmet\x07stuur\x1ftekens\ten tab",
    }


def _hostile_dossier(small_text: str, base: str) -> templates.Dossier:
    data = yaml.safe_load(small_text)
    p = _payloads(base)
    data["title"] = p["jinja"]
    data["parties"][0]["name"] = p["script"]
    data["parties"][1]["signatories"][0]["name"] = p["img"]
    data["agreement"]["parts"][1]["blocks"][0] = p["css"]
    data["agreement"]["parts"][2]["considerations"]["items"][0] = p["entity"]
    data["footnotes"]["avg"] = p["control"] + " " + p["img"]
    data["besluit"]["body"]["parts"][0]["blocks"][1] = p["jinja"] + " " + p["css"]
    data["mandates"][0]["mandatary"]["name"] = p["script"]
    # a table in an annex, a compact signature table and a party group carry the same payloads
    data["annexes"][1]["body"]["parts"][0]["blocks"].append(
        {"table": {"header": [p["script"], "b"], "rows": [[p["entity"], p["css"]]]}}
    )
    data["signing"]["layout"] = "tabel"
    data["parties"][2]["group"] = p["entity"]
    return templates.load_dossier(yaml.safe_dump(data, allow_unicode=True), "vijandig")


def test_hostile_text_is_rendered_literally_and_nothing_is_fetched(small_text: str, server) -> None:  # type: ignore[no-untyped-def]
    base, hits = server
    dossier = _hostile_dossier(small_text, base)
    rendered = templates.render_set(dossier, cache=RenderCache())
    for doc in rendered.documents:
        assert doc.pdf is not None and doc.docx is not None
        pdf, docx = pdf_text(doc.pdf.data), docx_text(doc.docx)
        assert words(pdf_text(doc.pdf.data, notes="omit")) == words(docx), doc.name
        assert words(pdf_text(doc.pdf.data, notes="only")) == words(docx_footnotes(doc.docx)), doc.name
        flat = " ".join(pdf.split())
        if doc.name in ("overeenkomst", "besluit-art20"):
            assert "{{ 7*7 }}" in flat and "49" not in words(pdf)
            assert "{% for x in range(3) %}X{% endfor %}" in flat and "XXX" not in flat
        if doc.name == "overeenkomst":
            assert "<script>alert('x')</script>" in flat
            assert f'<img src="{base}/img.png">' in flat
            assert 'href="' in flat and '/s.css">' in flat
            assert "</w:t></w:r><w:r><w:t>docx-injectie" in flat
            assert "regelmetstuurtekens" in flat.replace(" ", "")
            # in the text, a table cell (may wrap inside the long token) and a group heading
            assert flat.replace(" ", "").count("</w:t></w:r><w:r><w:t>docx-injectie") == 3
    assert hits == []


def test_hostile_participant_in_declaration(small_dossier: templates.Dossier, server) -> None:  # type: ignore[no-untyped-def]
    base, hits = server
    p = templates.Participant(
        f'<img src="{base}/x"> {{{{ 7*7 }}}}', "<script>x</script>", "toestemming", date(2020, 1, 2)
    )
    pdf = templates.render_declaration(small_dossier, p, cache=RenderCache())
    assert isinstance(pdf, templates.RenderedPdf)
    flat = " ".join(pdf_text(pdf.data).split())
    assert f'<img src="{base}/x"> {{{{ 7*7 }}}}, werkzaam bij <script>x</script>' in flat
    assert hits == []


def test_fetcher_refuses_everything_but_the_assets(server) -> None:  # type: ignore[no-untyped-def]
    """Even if markup reached WeasyPrint, it could not load anything: the fetcher serves only assets."""
    from weasyprint import HTML

    base, hits = server
    fetcher = AssetsOnlyFetcher()
    html = (
        f'<img src="{base}/a.png"><img src="file:///etc/passwd"><link rel="stylesheet" href="{base}/s.css">'
        '<img src="data:image/png;base64,iVBORw0KGgo=">'
        f'<p style="background: url({ASSETS_URL}../../x)">t</p>'
        f'<img src="{ASSETS_URL}fonts/../../pdf.py"><img src="{ASSETS_URL}fonts/%2e%2e/%2e%2e/pdf.py">'
    )
    HTML(string=html, base_url=ASSETS_URL, url_fetcher=fetcher).write_pdf()
    assert hits == []
    refused = " ".join(fetcher.refused)
    assert f"{base}/a.png" in refused and "file:///etc/passwd" in refused and "data:image/png" in refused
    assert "pdf.py" in refused
    response = fetcher.fetch(f"{ASSETS_URL}fonts/LiberationSans-Regular.ttf")
    assert response.read()[:4] == b"\x00\x01\x00\x00"


def test_unknown_markup_kind_is_an_error_with_path(small_text: str) -> None:
    data = yaml.safe_load(small_text)
    data["agreement"]["parts"][1]["blocks"][0] = "Zie [[exec:rm -rf]] en [[waarde:__class__]]"
    dossier = templates.load_dossier(yaml.safe_dump(data, allow_unicode=True))
    with pytest.raises(templates.DossierInvalid) as exc:
        templates.render_pdf(dossier, "overeenkomst", cache=None)
    paths = {(p.path, p.code) for p in exc.value.problems}
    assert ("agreement.parts.1.blocks.0.p", "onbekende_markering") in paths
    assert ("agreement.parts.1.blocks.0.p", "onbekende_waarde") in paths


@pytest.mark.parametrize(
    "tag",
    [
        '<img src="{base}/a.png">',
        '<img src="file:///etc/passwd">',
        '<link rel="stylesheet" href="{base}/s.css">',
        '<img src="data:image/png;base64,iVBORw0KGgo=">',
    ],
)
def test_every_html_pdf_of_the_house_refuses_what_is_not_an_asset(tag: str, server) -> None:  # type: ignore[no-untyped-def]
    """The one pipeline (register, meeting check, inzage, checkpoint, redline): a refused URL fails the render
    instead of leaving a hole in the PDF, and nothing is requested."""
    base, hits = server
    with pytest.raises(RenderRefused):
        html_pdf("<p>tekst</p>" + tag.format(base=base))
    assert hits == []
    font = f'<p style="font-family: x; background: url({ASSETS_URL}fonts/LiberationSans-Regular.ttf)">t</p>'
    assert html_pdf(font, document_css=True).startswith(b"%PDF")
