"""Text of rendered documents, for comparisons: PDF body text (running headers and page numbers
left out by position) and DOCX body text in reading order. Used by tests and the fidelity measure."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from io import BytesIO
from typing import Any

from docx import Document as DocxDocument
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTChar, LTContainer, LTTextBox, LTTextLine

# The layout's margins are 25 mm (top) and 22 mm (bottom); the header and page number live inside them.
_TOP_MARGIN_PT = 25 * 72 / 25.4
_BOTTOM_MARGIN_PT = 22 * 72 / 25.4


NOTE_PT = 8.5  # the size of footnote text (templates/assets/document.css, .fn); no other text has it


def pdf_text(data: bytes, notes: str = "keep") -> str:
    """Body text of a PDF in reading order, without what is printed in the page margins.

    ``notes``: "keep" the footnotes at the foot of each page, "omit" them, or give "only" them (each
    line of a footnote, with its number, in page order).

    WeasyPrint does not paint text strictly in document order, so text is put in reading order by
    position. pdfminer groups lines into boxes (a paragraph, a table cell, a party name over two lines);
    boxes are read top to bottom, boxes that start on the same line left to right, and each box whole —
    so a wrapped cell or party name reads as in the DOCX, not interleaved with its neighbour.
    """

    def boxes(container: Any) -> Iterator[list[LTTextLine]]:
        for element in container:
            if isinstance(element, LTTextBox):
                yield [line for line in element if isinstance(line, LTTextLine)]
            elif isinstance(element, LTTextLine):
                yield [element]
            elif isinstance(element, LTContainer):
                yield from boxes(element)

    out: list[str] = []
    for page in extract_pages(BytesIO(data), laparams=LAParams(line_margin=0.5, char_margin=1.5)):
        height = page.height
        found: list[tuple[float, float, list[str]]] = []
        for box in boxes(page):
            kept = []
            for line in box:
                if line.y0 > height - _TOP_MARGIN_PT + 2 or line.y1 < _BOTTOM_MARGIN_PT - 2:
                    continue
                if notes != "keep":
                    sizes = {round(c.size, 1) for c in line if isinstance(c, LTChar)}
                    if (sizes == {NOTE_PT}) != (notes == "only"):
                        continue
                kept.append(line)
            if kept:
                # The baseline of its first line places a box (a superscript rides on its line).
                found.append((kept[0].y0, kept[0].x0, [line.get_text().strip() for line in kept]))
        found.sort(key=lambda t: (-t[0], t[1]))
        rows: list[list[tuple[float, float, list[str]]]] = []
        for item in found:
            if rows and abs(rows[-1][0][0] - item[0]) <= 3.5:
                rows[-1].append(item)
            else:
                rows.append([item])
        for row in rows:
            out.append("\n".join("\n".join(t[2]) for t in sorted(row, key=lambda t: t[1])))
    return "\n".join(out)


def docx_text(data: bytes) -> str:
    """All paragraph and table text of a DOCX body, in document order; a footnote call reads as the
    number Word shows for it (footnotes are numbered 1, 2, ... in the order of their calls)."""
    doc = DocxDocument(BytesIO(data))
    out: list[str] = []
    calls = 0

    def walk(element) -> None:  # type: ignore[no-untyped-def]
        nonlocal calls
        for child in element.iterchildren():
            if child.tag == qn("w:p"):
                parts = []
                for node in child.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:footnoteReference")):
                    if node.tag == qn("w:footnoteReference"):
                        calls += 1
                        parts.append(str(calls))
                    else:
                        parts.append(node.text or "" if node.tag == qn("w:t") else " ")
                out.append("".join(parts))
            elif child.tag == qn("w:tbl"):
                for row in child.iter(qn("w:tr")):
                    for cell in row.iter(qn("w:tc")):
                        walk(cell)
            elif child.tag in (qn("w:sdt"), qn("w:sdtContent")):
                walk(child)

    walk(doc.element.body)
    return "\n".join(out)


def docx_footnotes(data: bytes) -> str:
    """The footnotes of a DOCX, one line each: Word's number, then the text."""

    with zipfile.ZipFile(BytesIO(data)) as z:
        if "word/footnotes.xml" not in z.namelist():
            return ""
        root = parse_xml(z.read("word/footnotes.xml"))
    out = []
    number = 0
    for note in root.iter(qn("w:footnote")):
        if note.get(qn("w:type")) in ("separator", "continuationSeparator"):
            continue
        number += 1
        out.append(f"{number} " + "".join(t.text or "" for t in note.iter(qn("w:t"))))
    return "\n".join(out)


def words(text: str) -> list[str]:
    """Lower-cased words, as the fidelity measure counts them."""
    return re.findall(r"\w+", text.lower())
