"""Word files made the way municipalities make them, from a dossier's printed text (for tests, benchmarks
and the guide). Three variants:

``stijlen``  Word heading styles with automatic numbering: chapters and articles numbered by a multilevel
             list on Heading 1/2 ("I", "Artikel 1"), leden and points by numbered lists that restart per
             article, bullets by a bullet list.
``getypt``   everything in plain paragraphs with the numbers typed ("Artikel 4", "1.", "a.", "-"),
             headings only bold.
``gemengd``  a mix: article headings in a style with typed numbers, leden typed, points from Word's list
             styles, and the signature page in a table.
"""

from __future__ import annotations

import io
import re
from typing import Any

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from templates.documents import build_document
from templates.dossier.model import Dossier

VARIANTS = ("stijlen", "getypt", "gemengd")
_CHAPTER = re.compile(r"^([IVXLC]+) (.+)$")
_ARTICLE = re.compile(r"^Artikel (\d+) ?(.*)$")


class _Lists:
    """Numbering definitions added to the document's numbering part."""

    def __init__(self, document: Any) -> None:
        self.root = document.part.numbering_part.element
        self.next_abstract = 900
        self.next_num = 900

    def abstract(self, levels: list[tuple[str, str]]) -> int:
        an = OxmlElement("w:abstractNum")
        an.set(qn("w:abstractNumId"), str(self.next_abstract))
        mlt = OxmlElement("w:multiLevelType")
        mlt.set(qn("w:val"), "multilevel")
        an.append(mlt)
        for ilvl, (fmt, text) in enumerate(levels):
            lvl = OxmlElement("w:lvl")
            lvl.set(qn("w:ilvl"), str(ilvl))
            for tag, val in (("w:start", "1"), ("w:numFmt", fmt), ("w:lvlText", text)):
                el = OxmlElement(tag)
                el.set(qn("w:val"), val)
                lvl.append(el)
            an.append(lvl)
        first_num = self.root.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(an)
        else:
            self.root.append(an)
        self.next_abstract += 1
        return self.next_abstract - 1

    def instance(self, abstract_id: int) -> int:
        num = OxmlElement("w:num")
        num.set(qn("w:numId"), str(self.next_num))
        ab = OxmlElement("w:abstractNumId")
        ab.set(qn("w:val"), str(abstract_id))
        num.append(ab)
        for ilvl in range(3):
            ov = OxmlElement("w:lvlOverride")
            ov.set(qn("w:ilvl"), str(ilvl))
            so = OxmlElement("w:startOverride")
            so.set(qn("w:val"), "1")
            ov.append(so)
            num.append(ov)
        self.root.append(num)
        self.next_num += 1
        return self.next_num - 1


def _number(paragraph: Any, num_id: int, ilvl: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    numpr = OxmlElement("w:numPr")
    il = OxmlElement("w:ilvl")
    il.set(qn("w:val"), str(ilvl))
    ni = OxmlElement("w:numId")
    ni.set(qn("w:val"), str(num_id))
    numpr.append(il)
    numpr.append(ni)
    ppr.append(numpr)


def _bold(document: Any, text: str, size: int | None = None) -> Any:
    p = document.add_paragraph()
    run = p.add_run(text)
    run.bold = True
    if size:
        run.font.size = Pt(size)
    return p


def build_docx(dossier: Dossier, variant: str = "stijlen") -> bytes:
    """The agreement of ``dossier`` (with its annexes) as a Word file in one of ``VARIANTS``."""
    if variant not in VARIANTS:
        raise ValueError(f"onbekende variant {variant!r}")
    doc = build_document(dossier, "overeenkomst")
    document = Document()
    lists = _Lists(document)
    heads = lists.instance(lists.abstract([("upperRoman", "%1"), ("decimal", "Artikel %2")]))
    points = lists.abstract([("decimal", "%1."), ("lowerLetter", "%2."), ("lowerRoman", "%3.")])
    bullets = lists.abstract([("bullet", "•"), ("bullet", "-"), ("bullet", "-")])
    current_points: int | None = None
    current_bullets: int | None = None
    in_article = False
    titled = False
    blocks = doc.blocks  # footnote numbers (sup runs) are left out: Word keeps footnotes apart
    i = 0
    while i < len(blocks):
        b = blocks[i]
        i += 1
        text = "".join(r.text for r in b.runs if not r.sup).strip()
        if b.kind in ("cover", "meta", "toc", "page_break", "note") or (
            b.kind == "heading" and text == "Inhoudsopgave"
        ):
            continue
        if not titled and b.kind == "heading":
            titled = True
            title = dossier.title
            if variant == "getypt":
                _bold(document, title, 18)
            else:
                document.add_paragraph(title, style="Title")
            if text != title and text not in title:
                continue
            continue
        if b.kind == "label":  # "Bijlage 1 bij ..."
            heads = lists.instance(lists.abstract([("upperRoman", "%1"), ("decimal", "Artikel %2")]))
            in_article = False
            if variant == "getypt":
                _bold(document, text)
            else:
                document.add_paragraph(text, style="Heading 1")
            continue
        if b.kind == "heading":
            current_points = current_bullets = None
            ch = _CHAPTER.match(text)
            art = _ARTICLE.match(text)
            if ch and b.level == 2:
                in_article = False
                if variant == "stijlen":
                    p = document.add_paragraph(ch.group(2), style="Heading 1")
                    _number(p, heads, 0)
                elif variant == "gemengd":
                    document.add_paragraph(f"Hoofdstuk {ch.group(1)} {ch.group(2)}", style="Heading 1")
                else:
                    _bold(document, text)
            elif art:
                in_article = True
                if variant == "stijlen":
                    p = document.add_paragraph(art.group(2), style="Heading 2")
                    _number(p, heads, 1)
                elif variant == "gemengd":
                    document.add_paragraph(f"Artikel {art.group(1)}", style="Heading 2")
                    if art.group(2):
                        document.add_paragraph(art.group(2), style="Heading 3")
                else:
                    _bold(document, text)
            else:
                in_article = False
                if variant == "getypt":
                    _bold(document, text)
                else:
                    document.add_paragraph(
                        text, style="Heading 3" if b.level >= 3 else f"Heading {max(1, b.level)}"
                    )
            continue
        if b.kind == "item":
            label = b.label
            kind = (
                "bullet"
                if label in ("•", "-", "–")
                else ("letter" if re.fullmatch(r"[a-z]+\.", label) else "decimal")
            )
            if kind == "letter" and re.fullmatch(r"(i|ii|iii|iv|v|vi|vii|viii)\.", label) and b.level >= 1:
                kind = "roman"
            if variant == "getypt" or (variant == "gemengd" and kind == "decimal" and b.level == 0):
                mark = "-" if kind == "bullet" else label
                typed = document.add_paragraph(f"{mark} {text}")
                if b.level > 0:
                    typed.paragraph_format.left_indent = Cm(b.level)
                continue
            if kind == "bullet":
                if current_bullets is None:
                    current_bullets = lists.instance(bullets)
                _number(document.add_paragraph(text, style="List Paragraph"), current_bullets, 0)
                continue
            current_bullets = None
            if current_points is None:
                current_points = lists.instance(points)
            ilvl = {"decimal": 0, "letter": 1, "roman": 2}[kind]
            if kind == "letter" and (b.level == 0 or not in_article):
                ilvl = 1
            if kind == "decimal" and b.level > 0:
                ilvl = 0 if not in_article else 2
            _number(document.add_paragraph(text, style="List Paragraph"), current_points, ilvl)
            continue
        if b.kind == "definition":
            document.add_paragraph(f"{b.term}: {text}")
            continue
        if b.kind == "signatures":
            _signatures(document, b.signatures, table=variant == "gemengd")
            continue
        if b.kind == "table":
            table = document.add_table(rows=0, cols=3)
            for row in b.rows:
                cells = table.add_row().cells
                cells[0].text = row.number
                cells[1].text = "".join(r.text for r in row.label)
                cells[2].text = row.amount
            continue
        if text:
            if current_bullets is not None or current_points is not None:
                current_bullets = None
            document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _signatures(document: Any, signatures: list[Any], *, table: bool) -> None:
    if table:
        grid = document.add_table(rows=(len(signatures) + 1) // 2, cols=2)
        for n, s in enumerate(signatures):
            cell = grid.cell(n // 2, n % 2)
            first = cell.paragraphs[0]
            first.add_run(s.party).bold = True
            for line in [*s.before, "______________________", *s.after]:
                cell.add_paragraph(line)
        return
    for s in signatures:
        _bold(document, s.party)
        for line in [*s.before, "______________________", *s.after]:
            document.add_paragraph(line)
