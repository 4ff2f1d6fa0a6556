"""DOCX rendering: view model -> docxtpl layout (templates/layouts/document.docx), sandboxed Jinja.

The adapter below only turns view-model runs into docxtpl rich text with the layout's paragraph
styles; every word comes from the view model, exactly as in the PDF.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

from docxtpl import DocxTemplate, RichText, RichTextParagraph
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from templates.documents import clean
from templates.docx_notes import FOOTNOTES_RELTYPE, bookmark, footnote_call_xml, footnotes_xml, pageref_xml
from templates.docx_tables import grid_xml, signature_table_xml
from templates.viewmodel import Block, Document, Run, TableRow

LAYOUT = Path(__file__).parent / "layouts" / "document.docx"
_LAYOUT_BYTES = LAYOUT.read_bytes()


class _Notes:
    """The footnotes of one document, in the order of their calls (Word numbers them 1, 2, ...)."""

    def __init__(self) -> None:
        self.texts: list[RichText] = []


def _rich(runs: list[Run], notes: _Notes, prefix: str = "", prefix_bold: bool = False) -> RichText:
    rt = RichText()
    if prefix:
        rt.add(clean(prefix), bold=prefix_bold)
    for r in runs:
        if r.note:
            notes.texts.append(_rich(list(r.note), notes))
            rt.xml += footnote_call_xml(len(notes.texts))
        else:
            rt.add(clean(r.text), superscript=r.sup or None, bold=r.strong or None, italic=r.em or None)
    return rt


def _style(b: Block) -> str:
    if b.kind == "heading":
        return f"CvHeading{min(max(b.level, 1), 4)}"
    return {
        "cover": "CvCover",
        "meta": "CvMeta",
        "label": "CvLabel",
        "para": f"CvPara{min(b.level, 3)}",
        "item": f"CvItem{min(b.level, 3)}",
        "definition": "CvDefinition",
        "toc": "CvToc",
    }.get(b.kind, "CvPara0")


@dataclass
class _Row:
    number: str
    label: RichText
    amount: str


@dataclass
class _Signature:
    party: RichText
    text: RichText


@dataclass
class _RawXml:
    """Body XML built by templates/docx_tables.py, placed where the layout has a paragraph."""

    xml: str

    def __str__(self) -> str:
        return self.xml

    def __html__(self) -> str:
        return self.xml


@dataclass
class _DocxBlock:
    kind: str
    paragraph: RichTextParagraph | _RawXml | None = None
    rows: list[_Row] | None = None
    signatures: list[_Signature] | None = None


def _row(r: TableRow, notes: _Notes) -> _Row:
    runs = [replace(x, strong=x.strong or r.kind == "total") for x in r.label]
    return _Row(clean(r.number), _rich(runs, notes), clean(r.amount))


class _Adapter:
    """Turns the blocks of one document into docxtpl values, collecting footnotes and bookmarks."""

    def __init__(self, anchor_pages: dict[str, int]) -> None:
        self.notes = _Notes()
        self.anchor_pages = anchor_pages
        self.bookmarks = 0

    def block(self, b: Block) -> _DocxBlock:
        notes = self.notes
        if b.kind == "table":
            return _DocxBlock("table", rows=[_row(r, notes) for r in b.rows])
        if b.kind == "signatures":
            sigs = []
            for s in b.signatures:
                sigs.append(
                    _Signature(
                        _rich([Run(s.party, strong=True)], notes) if s.party else RichText(),
                        RichText(clean("\n".join([*s.before, *s.after]))),
                    )
                )
            return _DocxBlock("signatures", signatures=sigs)
        if b.kind == "page_break":
            return _DocxBlock("page_break")
        if b.kind == "grid":
            rows = [
                [
                    _rich([replace(r, strong=r.strong or (b.header and i == 0)) for r in cell], notes)
                    for cell in row
                ]
                for i, row in enumerate(b.grid)
            ]
            return _DocxBlock("grid", paragraph=_RawXml(grid_xml(rows, b.header)))
        if b.kind == "signature_table":
            signatories = [
                (clean(s.party), [clean(x) for x in s.before], [clean(x) for x in s.after])
                for s in b.signatures
            ]
            return _DocxBlock("signature_table", paragraph=_RawXml(signature_table_xml(signatories)))
        if b.kind == "item":
            rt = _rich(b.runs, notes, prefix=f"{b.label}\t")
        elif b.kind == "definition":
            rt = _rich(b.runs, notes, prefix=f"{b.term}\t", prefix_bold=True)
        elif b.kind == "toc":
            rt = _rich([*b.runs, Run(f"\t{b.label}" if b.label else "\t" if b.target else "")], notes)
            if b.target:
                rt.xml += pageref_xml(b.target, self.anchor_pages.get(b.target))
        else:
            rt = _rich(b.runs, notes)
        if b.anchor:
            self.bookmarks += 1
            rt.xml = bookmark(b.anchor, self.bookmarks, rt.xml)
        paragraph = RichTextParagraph()
        paragraph.add(rt, parastyle=_style(b))
        return _DocxBlock(b.kind, paragraph=paragraph)


def _jinja() -> SandboxedEnvironment:
    return SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)


def render_docx_document(doc: Document, anchor_pages: dict[str, int] | None = None) -> bytes:
    """The DOCX of a view-model document. ``anchor_pages`` (from the PDF of the same document) are shown
    as the page numbers of the table of contents until Word updates its PAGEREF fields."""
    template = DocxTemplate(BytesIO(_LAYOUT_BYTES))
    adapter = _Adapter(anchor_pages or {})
    context = {
        "blocks": [adapter.block(b) for b in doc.blocks],
        # Office limits these core properties to 255 characters (python-docx raises beyond); the full
        # text is in the body.
        "title": _property(clean(doc.title)),
        "author": _property(clean(doc.author)),
        "subject": _property(clean(doc.subject)),
        "running_header": clean(doc.running_header),
    }
    template.render(context, jinja_env=_jinja(), autoescape=True)
    props = template.docx.core_properties  # set as plain values (python-docx escapes them itself)
    props.title, props.author, props.subject = context["title"], context["author"], context["subject"]
    props.created = props.modified = _FIXED_TIME
    props.last_modified_by = "convenant"
    props.revision = 1
    footnotes = next(
        r.target_part for r in template.docx.part.rels.values() if r.reltype == FOOTNOTES_RELTYPE
    )
    footnotes._blob = footnotes_xml(adapter.notes.texts)
    out = BytesIO()
    template.save(out)
    return _deterministic_zip(out.getvalue())


_FIXED_TIME = datetime(2000, 1, 1, tzinfo=UTC)
_PROPERTY_MAX = 255


def _property(value: str) -> str:
    return value if len(value) <= _PROPERTY_MAX else value[: _PROPERTY_MAX - 1] + "\u2026"


def _deterministic_zip(data: bytes) -> bytes:
    """The same dossier gives the same bytes in every process (fixed entry times), so a document that
    one worker rendered and another signs is the same document."""
    source = zipfile.ZipFile(BytesIO(data))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()
