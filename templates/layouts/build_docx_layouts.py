"""Build templates/layouts/document.docx, the docxtpl layout of every document.

Run after changing the layout: ``.venv/bin/python -m templates.layouts.build_docx_layouts``.
The produced .docx is committed. The template only walks ``blocks`` (see templates/viewmodel.py):
paragraph-like blocks arrive as ready paragraphs with a style defined here; tables, signature blocks
and page breaks have their own branch.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from templates.docx_notes import FOOTNOTES_CONTENT_TYPE, FOOTNOTES_RELTYPE, footnotes_xml

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.enum.text import WD_PARAGRAPH_ALIGNMENT
    from docx.styles.style import ParagraphStyle
    from docx.table import _Cell
    from docx.text.paragraph import Paragraph

OUT = Path(__file__).with_name("document.docx")
FONT = "Liberation Sans"


def _style(
    doc: DocxDocument,
    name: str,
    size: float = 10.5,
    bold: bool = False,
    before: float = 0,
    after: float = 4,
    left_mm: float = 0,
    hanging_mm: float = 0,
    keep_next: bool = False,
    align: WD_PARAGRAPH_ALIGNMENT | None = None,
    color: str | None = None,
) -> ParagraphStyle:
    style: ParagraphStyle = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(size)
    style.font.bold = bold
    if color:
        style.font.color.rgb = RGBColor.from_string(color)
    pf = style.paragraph_format
    pf.space_before = Pt(before)
    pf.space_after = Pt(after)
    pf.keep_with_next = keep_next
    if left_mm or hanging_mm:
        pf.left_indent = Mm(left_mm + hanging_mm)
        pf.first_line_indent = Mm(-hanging_mm)
        if hanging_mm:
            pf.tab_stops.add_tab_stop(Mm(left_mm + hanging_mm))
    if align is not None:
        pf.alignment = align
    return style


def _field(paragraph: Paragraph, instruction: str) -> None:
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    fld.append(run)
    paragraph._p.append(fld)


def _borders(cell: _Cell, style: str = "dashed") -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    for edge in ("top", "left", "bottom", "right"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), style)
        el.set(qn("w:sz"), "4")
        el.set(qn("w:color"), "888888")
        borders.append(el)
    tc_pr.append(borders)


def _footnotes_part(doc: DocxDocument) -> None:
    """An empty footnotes part (Word's separator notes only) and ``w:footnotePr`` in the settings; each
    render fills the part with the document's footnotes (templates/docx_notes.py)."""
    part = Part(PackURI("/word/footnotes.xml"), FOOTNOTES_CONTENT_TYPE, footnotes_xml([]), doc.part.package)
    doc.part.relate_to(part, FOOTNOTES_RELTYPE)
    settings = doc.settings.element
    pr = OxmlElement("w:footnotePr")
    for note_id in ("-1", "0"):
        ref = OxmlElement("w:footnote")
        ref.set(qn("w:id"), note_id)
        pr.append(ref)
    compat = settings.find(qn("w:compat"))
    assert compat is not None  # python-docx's default settings have one; footnotePr goes just before it
    compat.addprevious(pr)


def build() -> Path:
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10.5)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    lang = OxmlElement("w:lang")  # Dutch spelling and hyphenation in Word
    lang.set(qn("w:val"), "nl-NL")
    lang.set(qn("w:eastAsia"), "nl-NL")
    normal.element.rPr.append(lang)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(25), Mm(22)
    section.left_margin, section.right_margin = Mm(25), Mm(22)
    section.different_first_page_header_footer = True

    for level, size in ((1, 16), (2, 13), (3, 11), (4, 10.5)):
        _style(
            doc,
            f"CvHeading{level}",
            size=size,
            bold=True,
            before=10 if level < 4 else 6,
            after=4,
            keep_next=True,
        )
    _style(doc, "CvCover", size=24, bold=True, before=120, after=12, align=WD_ALIGN_PARAGRAPH.CENTER)
    _style(doc, "CvMeta", size=9.5, after=2)
    _style(doc, "CvLabel", size=9.5, after=4, color="333333")
    for level in range(4):
        _style(doc, f"CvPara{level}", left_mm=8 * level, after=6)
        _style(doc, f"CvItem{level}", left_mm=8 * level, hanging_mm=8, after=4)
    _style(doc, "CvDefinition", hanging_mm=42, after=4)
    _style(doc, "CvFootnote", size=8.5, hanging_mm=6, after=2)
    toc = _style(doc, "CvToc", after=2)
    toc.paragraph_format.tab_stops.add_tab_stop(Mm(163), WD_TAB_ALIGNMENT.RIGHT)
    _style(doc, "CvCell", after=0)

    body = doc.add_paragraph
    # The loop over the view-model blocks.
    body("{%p for b in blocks %}")
    body("{%p if b.kind == 'table' %}")
    table = doc.add_table(rows=3, cols=3)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.cell(0, 0).text = "{%tr for r in b.rows %}"
    table.cell(1, 0).text = "{{ r.number }}"
    table.cell(1, 1).text = "{{r r.label }}"
    table.cell(1, 2).text = "{{ r.amount }}"
    table.cell(1, 2).paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    table.cell(2, 0).text = "{%tr endfor %}"
    for width, col in zip((Mm(10), Mm(118), Mm(35)), table.columns, strict=True):
        for cell in col.cells:
            cell.width = width
    body("{%p elif b.kind == 'signatures' %}")
    sig = doc.add_table(rows=3, cols=3)
    sig.cell(0, 0).text = "{%tr for s in b.signatures %}"
    sig.cell(1, 0).text = "{{r s.party }}"
    sig.cell(1, 1).text = "{{r s.text }}"
    sig.cell(1, 2).text = ""
    _borders(sig.cell(1, 2))
    sig.cell(2, 0).text = "{%tr endfor %}"
    for width, col in zip((Mm(50), Mm(55), Mm(58)), sig.columns, strict=True):
        for cell in col.cells:
            cell.width = width
    sig.rows[1].height = Mm(28)
    body("{%p elif b.kind == 'page_break' %}")
    brk = body()
    brk.add_run().add_break(WD_BREAK.PAGE)
    body("{%p else %}")
    body("{{p b.paragraph }}")
    body("{%p endif %}")
    body("{%p endfor %}")

    # Running header (not on the first page) and page numbers.
    header = section.header.paragraphs[0]
    header.text = "{{ running_header }}"
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    header.runs[0].font.size = Pt(8)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = footer.add_run("pagina ")
    run.font.size = Pt(8)
    _field(footer, "PAGE")
    footer.add_run(" van ").font.size = Pt(8)
    _field(footer, "NUMPAGES")
    first_footer = section.first_page_footer.paragraphs[0]
    first_footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    _footnotes_part(doc)

    props = doc.core_properties
    props.title = "{{ title }}"
    props.author = "{{ author }}"
    props.subject = "{{ subject }}"
    props.language = "nl-NL"
    props.comments = "Gegenereerd door convenant"
    _ = WD_SECTION
    doc.save(str(OUT))
    return OUT


if __name__ == "__main__":
    print(build())
