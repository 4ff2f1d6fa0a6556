"""Tables of the DOCX rendering that the layout's fixed tables cannot hold: a table of the text (any
number of columns) and the compact signature table (one row per signatory, a box above the name).

Built as WordprocessingML here and placed where the layout has a paragraph; every text goes through
docxtpl's ``RichText`` (escaped), so the XML carries only what the view model says. Elements follow the
order of the OOXML schema (tblW, tblBorders, tblLayout, tblCellMar; pStyle, pBdr, spacing, ind), which
Word enforces.
"""

from __future__ import annotations

from docxtpl import RichText

TEXT_WIDTH = 9242  # twips: A4 (210 mm) minus the 25 mm and 22 mm margins, 1 mm = 56.7 twips
_MM = 56.7


def _twips(mm: float) -> int:
    return round(mm * _MM)


def _border(edges: tuple[str, ...], style: str = "single", size: int = 4, color: str = "888888") -> str:
    return "".join(f'<w:{e} w:val="{style}" w:sz="{size}" w:space="0" w:color="{color}"/>' for e in edges)


def _paragraph(runs_xml: str, extra_ppr: str = "") -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="CvCell"/>{extra_ppr}</w:pPr>{runs_xml}</w:p>'


def _cell(width: int, paragraphs: str, extra_tcpr: str = "") -> str:
    content = paragraphs or _paragraph("")
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{extra_tcpr}</w:tcPr>{content}</w:tc>'


def grid_xml(rows: list[list[RichText]], header: bool) -> str:
    """A table of the text: equal columns, thin borders; the header row repeats on each Word page."""
    columns = max((len(r) for r in rows), default=1)
    width = TEXT_WIDTH // columns
    borders = _border(("top", "left", "bottom", "right", "insideH", "insideV"))
    out = [
        f'<w:tbl><w:tblPr><w:tblW w:w="{width * columns}" w:type="dxa"/>'
        f"<w:tblBorders>{borders}</w:tblBorders>"
        '<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" '
        'w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid>'
        + f'<w:gridCol w:w="{width}"/>' * columns
        + "</w:tblGrid>"
    ]
    for i, row in enumerate(rows):
        head = i == 0 and header
        out.append("<w:tr>" + ("<w:trPr><w:tblHeader/></w:trPr>" if head else ""))
        for cell in row:
            out.append(_cell(width, _paragraph(cell.xml)))
        out.extend(_cell(width, "") for _ in range(columns - len(row)))
        out.append("</w:tr>")
    out.append("</w:tbl><w:p/>")
    return "".join(out)


PARTY_MM, BOX_MM, BOX_HEIGHT_MM = 70, 60, 13


def signature_table_xml(rows: list[tuple[str, list[str], list[str]]]) -> str:
    """(party, lines before the box, lines after it) per signatory: the party on the left, the dashed box
    with the name and function under it on the right. A row is never split over two pages."""
    left = _twips(PARTY_MM)
    right = TEXT_WIDTH - left
    box = _border(("top", "left", "bottom", "right"), style="dashed")
    out = [
        f'<w:tbl><w:tblPr><w:tblW w:w="{TEXT_WIDTH}" w:type="dxa"/>'
        f"<w:tblBorders>{_border(('bottom', 'insideH'), size=2, color='CCCCCC')}</w:tblBorders>"
        '<w:tblLayout w:type="fixed"/></w:tblPr>'
        f'<w:tblGrid><w:gridCol w:w="{left}"/><w:gridCol w:w="{right}"/></w:tblGrid>'
    ]
    for party, before, after in rows:
        party_xml = _paragraph(RichText(party, bold=True).xml) + "".join(
            _paragraph(RichText(line).xml) for line in before
        )
        box_xml = _paragraph(
            "",
            f'<w:pBdr>{box}</w:pBdr><w:spacing w:before="60" w:after="60" w:line="{_twips(BOX_HEIGHT_MM)}" '
            f'w:lineRule="exact"/><w:ind w:right="{right - _twips(BOX_MM)}"/>',
        )
        after_xml = "".join(_paragraph(RichText(line).xml) for line in after)
        out.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        out.append(_cell(left, party_xml) + _cell(right, box_xml + after_xml))
        out.append("</w:tr>")
    out.append("</w:tbl><w:p/>")
    return "".join(out)
