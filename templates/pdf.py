"""The one WeasyPrint pipeline: HTML -> PDF, loading nothing but the project's own assets.

Every PDF made from HTML goes through here: the documents of a dossier (view model -> sandboxed,
autoescaped Jinja -> PDF/A, with the positions of the signature boxes read from WeasyPrint's own layout),
the redline, and the service's printable pages (register, meeting check, inzage, audit checkpoint) through
``html_pdf``. One font configuration, one parsed document stylesheet, one lock (WeasyPrint's font
configuration is not thread-safe) and one URL fetcher (``AssetsOnlyFetcher``): a URL that is not one of
``templates/assets`` is refused and the render fails with ``RenderRefused``.
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
from templates.errors import RenderRefused
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
def layout_env() -> SandboxedEnvironment:
    return SandboxedEnvironment(
        loader=FileSystemLoader(str(LAYOUTS)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
    )


class _Engine:
    """One font configuration and one parsed stylesheet, reused by every render (hold ``lock``)."""

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

    def render(self, html: str, *, document_css: bool, pdf_variant: str | None):  # type: ignore[no-untyped-def]
        """Lay out ``html`` (call with ``lock`` held): WeasyPrint's document and the fetcher it used."""
        fetcher = AssetsOnlyFetcher()
        rendered = HTML(string=html, base_url=ASSETS_URL, url_fetcher=fetcher).render(
            stylesheets=[self.css] if document_css else [],
            font_config=self.font_config,
            pdf_variant=pdf_variant,
        )
        return rendered, fetcher


@lru_cache(maxsize=1)
def _engine() -> _Engine:
    return _Engine()


def html_pdf(html: str, *, document_css: bool = False, pdf_variant: str | None = None) -> bytes:
    """``html`` (ours, already escaped) as a PDF; ``document_css``: with the documents' stylesheet and fonts.

    Raises ``RenderRefused`` when the HTML asked for anything but the project's assets (a file, the network,
    a data: URL): what we render never needs that, so the attempt is a fault, not something to skip.
    """
    engine = _engine()
    with engine.lock:
        rendered, fetcher = engine.render(html, document_css=document_css, pdf_variant=pdf_variant)
        if fetcher.refused:
            raise RenderRefused("De weergave verwees naar niet-toegestane bronnen.")
        out = BytesIO()
        rendered.write_pdf(out, pdf_variant=pdf_variant)
    return out.getvalue()


def document_html(doc: Document) -> str:
    return layout_env().get_template("document.html.j2").render(doc=doc)


def render_pdf_document(doc: Document) -> tuple[RenderedPdf, list[str]]:
    """The PDF of a view-model document, and the URLs the fetcher refused (should be none)."""
    engine = _engine()
    html = document_html(doc)
    with engine.lock:
        rendered, fetcher = engine.render(html, document_css=True, pdf_variant=PDF_VARIANT)
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
