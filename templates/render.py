"""Public rendering functions: one document or the whole set, as PDF (with signature box positions)
or DOCX. Results are cached by content hash."""

from __future__ import annotations

from dataclasses import dataclass, field

from templates.cache import DEFAULT_CACHE, RenderCache, cache_key
from templates.documents import DECLARATION, build_document, document_names, document_title
from templates.docx import render_docx_document
from templates.dossier.model import Dossier
from templates.dossier.values import Participant
from templates.errors import RenderRefused
from templates.pdf import RenderedPdf, render_pdf_document

__all__ = [
    "RenderRefused",
    "RenderedDocument",
    "RenderedSet",
    "document_title",
    "render_declaration",
    "render_docx",
    "render_pdf",
    "render_set",
]


@dataclass(frozen=True)
class RenderedDocument:
    name: str
    title: str
    pdf: RenderedPdf | None = None
    docx: bytes | None = None


@dataclass
class RenderedSet:
    documents: list[RenderedDocument] = field(default_factory=list)

    def get(self, name: str) -> RenderedDocument:
        return next(d for d in self.documents if d.name == name)


def _json(dossier: Dossier) -> str:
    return dossier.model_dump_json()


def _participant_key(p: Participant | None) -> str:
    return "" if p is None else f"{p.name}\0{p.institution}\0{p.ground_key}\0{p.date.isoformat()}"


def render_pdf(
    dossier: Dossier,
    name: str,
    participant: Participant | None = None,
    cache: RenderCache | None = DEFAULT_CACHE,
) -> RenderedPdf:
    key = cache_key(_json(dossier), name, "pdf", _participant_key(participant))
    if cache is not None and (hit := cache.get(key)) is not None:
        return hit  # type: ignore[no-any-return]
    doc = build_document(dossier, name, participant)
    result, refused = render_pdf_document(doc)
    if refused:  # layouts only reference assets; anything else means content slipped into markup
        raise RenderRefused(f"Het document '{name}' verwees naar niet-toegestane bronnen.")
    if cache is not None:
        cache.put(key, result, len(result.data))
    return result


def render_docx(
    dossier: Dossier,
    name: str,
    participant: Participant | None = None,
    cache: RenderCache | None = DEFAULT_CACHE,
) -> bytes:
    key = cache_key(_json(dossier), name, "docx", _participant_key(participant))
    if cache is not None and (hit := cache.get(key)) is not None:
        return hit  # type: ignore[no-any-return]
    doc = build_document(dossier, name, participant)
    # The table of contents shows the pages of the PDF of the same document (Word updates them with F9).
    pages = (
        render_pdf(dossier, name, participant, cache).anchor_pages
        if any(b.target for b in doc.blocks)
        else {}
    )
    data = render_docx_document(doc, pages)
    if cache is not None:
        cache.put(key, data, len(data))
    return data


def render_declaration(
    dossier: Dossier, participant: Participant, fmt: str = "pdf", cache: RenderCache | None = DEFAULT_CACHE
) -> RenderedPdf | bytes:
    """The geheimhoudingsverklaring filled in for one agendadeelnemer (PDF by default, or "docx")."""
    if fmt == "docx":
        return render_docx(dossier, DECLARATION, participant, cache)
    return render_pdf(dossier, DECLARATION, participant, cache)


def render_set(
    dossier: Dossier, formats: tuple[str, ...] = ("pdf", "docx"), cache: RenderCache | None = DEFAULT_CACHE
) -> RenderedSet:
    out = RenderedSet()
    for name in document_names(dossier):
        pdf = render_pdf(dossier, name, cache=cache) if "pdf" in formats else None
        docx = render_docx(dossier, name, cache=cache) if "docx" in formats else None
        out.documents.append(RenderedDocument(name, document_title(dossier, name), pdf, docx))
    return out
