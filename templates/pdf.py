"""PDF rendering: view model -> HTML (sandboxed Jinja, autoescaped) -> WeasyPrint PDF/A with metadata.

Returns the PDF and the positions of its signature boxes, read from WeasyPrint's own layout.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from templates.assets_fetcher import ASSETS_DIR, ASSETS_URL, AssetsOnlyFetcher
from templates.viewmodel import Document

LAYOUTS = Path(__file__).parent / "layouts"
# PDF/A-3u: archival, fonts embedded, every glyph mapped to Unicode (text stays searchable and extractable).
# Not the tagged level "a": pyHanko adds signature widgets later, which would then also need tagging.
PDF_VARIANT = "pdf/a-3u"
PX_TO_PT = 0.75  # WeasyPrint lays out in CSS px (1/96 in); PDF points are 1/72 in.


@dataclass(frozen=True)
class SignatureFieldSpec:
    """Where a signature box is: page (0-based) and (x1, y1, x2, y2) in PDF points, origin bottom-left."""

    name: str
    page_index: int
    box: tuple[float, float, float, float]


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    signature_fields: list[SignatureFieldSpec] = field(default_factory=list)
    anchor_pages: dict[str, int] = field(default_factory=dict)  # toc anchor -> page number (1-based)


@lru_cache(maxsize=1)
def _jinja() -> SandboxedEnvironment:
    return SandboxedEnvironment(
        loader=FileSystemLoader(str(LAYOUTS)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
    )


class _Engine:
    """One font configuration and one parsed stylesheet, reused by every render (thread-safe)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.font_config = FontConfiguration()
        self.fetcher = AssetsOnlyFetcher()
        self.css = CSS(
            string=(ASSETS_DIR / "document.css").read_text("utf-8"),
            base_url=ASSETS_URL,
            url_fetcher=self.fetcher,
            font_config=self.font_config,
        )


@lru_cache(maxsize=1)
def _engine() -> _Engine:
    return _Engine()


def document_html(doc: Document) -> str:
    return _jinja().get_template("document.html.j2").render(doc=doc)


def render_pdf_document(doc: Document) -> tuple[RenderedPdf, list[str]]:
    """The PDF of a view-model document, and the URLs the fetcher refused (should be none)."""
    engine = _engine()
    html = document_html(doc)
    with engine.lock:
        fetcher = AssetsOnlyFetcher()
        rendered = HTML(string=html, base_url=ASSETS_URL, url_fetcher=fetcher).render(
            stylesheets=[engine.css], font_config=engine.font_config, pdf_variant=PDF_VARIANT
        )
        fields = _signature_boxes(rendered, set(doc.signature_fields))
        wanted = set(doc.anchors)
        pages = {
            name: number
            for number, page in reversed(list(enumerate(rendered.pages, start=1)))
            for name in page.anchors
            if name in wanted
        }
        out = BytesIO()
        rendered.write_pdf(out, pdf_variant=PDF_VARIANT)
    return RenderedPdf(out.getvalue(), fields, pages), fetcher.refused


def _signature_boxes(rendered, wanted: set[str]) -> list[SignatureFieldSpec]:  # type: ignore[no-untyped-def]
    found: dict[str, SignatureFieldSpec] = {}
    for index, page in enumerate(rendered.pages):
        page_height = page.height
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is None or getattr(box, "element_tag", None) != "div":
                continue
            name = element.get("id")
            if name not in wanted or name in found:
                continue
            x, y = box.border_box_x(), box.border_box_y()
            w, h = box.border_width(), box.border_height()
            found[name] = SignatureFieldSpec(
                name,
                index,
                (
                    round(x * PX_TO_PT, 2),
                    round((page_height - y - h) * PX_TO_PT, 2),
                    round((x + w) * PX_TO_PT, 2),
                    round((page_height - y) * PX_TO_PT, 2),
                ),
            )
    return [found[n] for n in sorted(found, key=lambda n: (found[n].page_index, -found[n].box[1]))]
