"""Read a .docx into a flat list of paragraphs in reading order, with Word's own numbering made visible.

Each paragraph carries its style, heading level, boldness, the table cell it sits in, and ``label``: the
number Word would print in front of it ("Artikel 4", "1.", "a.", "•"), computed from the numbering
definitions (numbering part, list instances with start overrides, levels that restart deeper levels, and
numbering inherited from the paragraph style). Typed numbers stay in ``text``; the structure reader treats
both the same way.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from docx import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from templates.errors import DossierInvalid
from templates.formatting import letter, roman

MAX_DOCX_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024


@dataclass
class Para:
    text: str
    label: str = ""  # automatic numbering, as Word prints it
    label_kind: str = ""  # "decimal", "letter", "roman", "bullet", "" (none)
    level: int = 0  # numbering level (ilvl)
    style: str = ""
    heading: int | None = None  # 0 for Title, 1.. for Heading N, None otherwise
    bold: bool = False
    table: int | None = None  # index of the table it sits in
    row: int = 0
    cell: int = 0
    index: int = 0  # position in the document (for the report)
    indent: int = 0  # left indent in EMU (typed sub-points are indented)

    @property
    def full(self) -> str:
        return f"{self.label} {self.text}".strip() if self.label else self.text


@dataclass
class _Level:
    fmt: str
    text: str
    start: int


def _val(el: Any, tag: str) -> str | None:
    child = el.find(qn(tag)) if el is not None else None
    return child.get(qn("w:val")) if child is not None else None


class _Numbering:
    def __init__(self, document: Any) -> None:
        self.levels: dict[str, dict[int, _Level]] = {}  # abstractNumId -> ilvl -> level
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}  # numId -> (abstractNumId, start overrides)
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        for an in root.findall(qn("w:abstractNum")):
            levels: dict[int, _Level] = {}
            for lvl in an.findall(qn("w:lvl")):
                ilvl = int(lvl.get(qn("w:ilvl")) or 0)
                start = _val(lvl, "w:start")
                levels[ilvl] = _Level(
                    _val(lvl, "w:numFmt") or "decimal", _val(lvl, "w:lvlText") or "", int(start or 1)
                )
            self.levels[an.get(qn("w:abstractNumId")) or ""] = levels
        for num in root.findall(qn("w:num")):
            overrides: dict[int, int] = {}
            for ov in num.findall(qn("w:lvlOverride")):
                so = _val(ov, "w:startOverride")
                if so is not None:
                    overrides[int(ov.get(qn("w:ilvl")) or 0)] = int(so)
            self.nums[num.get(qn("w:numId")) or ""] = (_val(num, "w:abstractNumId") or "", overrides)

    def label(self, num_id: str, ilvl: int) -> tuple[str, str]:
        if num_id not in self.nums or num_id == "0":
            return "", ""
        abstract, overrides = self.nums[num_id]
        levels = self.levels.get(abstract, {})
        level = levels.get(ilvl)
        if level is None:
            return "", ""
        counters = self.counters.setdefault(num_id, {})
        start = overrides.get(ilvl, level.start)
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if level.fmt == "bullet":
            return "•", "bullet"
        if level.fmt == "none":
            return level.text.strip(), ""

        def fmt(k: int) -> str:
            lv = levels.get(k)
            n = counters.get(k, overrides.get(k, lv.start if lv else 1))
            kind = lv.fmt if lv else "decimal"
            if kind == "lowerLetter":
                return letter(n)
            if kind == "upperLetter":
                return letter(n).upper()
            if kind == "lowerRoman":
                return roman(n).lower()
            if kind == "upperRoman":
                return roman(n)
            return str(n)

        text = re.sub(r"%(\d)", lambda m: fmt(int(m.group(1)) - 1), level.text)
        kind = {
            "lowerLetter": "letter",
            "upperLetter": "letter",
            "lowerRoman": "roman",
            "upperRoman": "roman",
        }
        return text.strip(), kind.get(level.fmt, "decimal")


@dataclass(frozen=True)
class _StyleInfo:
    name: str
    heading: int | None
    bold: bool
    num: tuple[str, int] | None


class _Styles:
    """Paragraph styles read once from styles.xml (python-docx looks each style up by a linear scan)."""

    def __init__(self, document: Any) -> None:
        self.raw: dict[str, Any] = {}
        self.default = ""
        for st in document.styles.element.findall(qn("w:style")):
            sid = st.get(qn("w:styleId")) or ""
            self.raw[sid] = st
            if st.get(qn("w:type")) == "paragraph" and st.get(qn("w:default")) in ("1", "true"):
                self.default = sid
        self.cache: dict[str, _StyleInfo] = {}

    def info(self, style_id: str | None) -> _StyleInfo:
        sid = style_id or self.default
        if sid not in self.cache:
            self.cache[sid] = self._compute(sid)
        return self.cache[sid]

    def _compute(self, sid: str) -> _StyleInfo:
        name, bold, num = "", False, None
        chain: list[Any] = []
        seen: set[str] = set()
        cur: str | None = sid
        while cur and cur in self.raw and cur not in seen and len(chain) < 20:
            seen.add(cur)
            chain.append(self.raw[cur])
            cur = _val(self.raw[cur], "w:basedOn")
        if chain:
            name = _val(chain[0], "w:name") or sid
        for st in chain:
            ppr = st.find(qn("w:pPr"))
            numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
            if num is None and numpr is not None and _val(numpr, "w:numId") is not None:
                num = (str(_val(numpr, "w:numId")), int(_val(numpr, "w:ilvl") or 0))
            rpr = st.find(qn("w:rPr"))
            b = rpr.find(qn("w:b")) if rpr is not None else None
            if b is not None:
                bold = bold or b.get(qn("w:val")) in (None, "1", "true", "on")
        return _StyleInfo(name, _heading(name), bold, num)


def _style_id(paragraph: Any) -> str | None:
    ppr = paragraph._p.pPr
    if ppr is not None and ppr.pStyle is not None:
        return str(ppr.pStyle.val)
    return None


def _num_pr(paragraph: Any, style: _StyleInfo) -> tuple[str, int] | None:
    ppr = paragraph._p.pPr
    if ppr is not None and ppr.numPr is not None:
        num = ppr.numPr.numId.val if ppr.numPr.numId is not None else None
        ilvl = ppr.numPr.ilvl.val if ppr.numPr.ilvl is not None else 0
        if num is not None:
            return str(num), int(ilvl)
    return style.num


def _heading(style_name: str) -> int | None:
    name = style_name.lower()
    if name in ("title", "titel"):
        return 0
    m = re.fullmatch(r"(?:heading|kop)\s*(\d)", name)
    return int(m.group(1)) if m else None


def _bold(paragraph: Any, style: _StyleInfo) -> bool:
    runs = [r for r in paragraph.runs if r.text.strip()]
    if runs and all(r.bold for r in runs):
        return True
    return style.bold and bool(runs) and not any(r.bold is False for r in runs)


def _check_zip(data: bytes) -> None:
    if len(data) > MAX_DOCX_BYTES:
        raise DossierInvalid(
            f"Het Word-bestand is te groot ({len(data)} bytes; ten hoogste {MAX_DOCX_BYTES})."
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            total = sum(i.file_size for i in z.infolist())
            if "word/document.xml" not in z.namelist():
                raise DossierInvalid("Dit is geen Word-document (.docx): word/document.xml ontbreekt.")
    except zipfile.BadZipFile:
        raise DossierInvalid("Dit is geen Word-document (.docx); sla het bestand op als .docx.") from None
    if total > MAX_UNPACKED_BYTES:
        raise DossierInvalid("Het Word-bestand pakt uit tot meer dan 200 MB; het wordt niet gelezen.")


def read_paragraphs(data: bytes) -> list[Para]:
    _check_zip(data)
    try:
        document = Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several kinds for a damaged package
        raise DossierInvalid(f"Het Word-bestand kan niet worden gelezen: {type(exc).__name__}.") from None
    numbering = _Numbering(document)
    styles = _Styles(document)
    out: list[Para] = []
    table_index = 0

    def para(p: Any, **where: Any) -> None:
        text = re.sub(r"[ \t\u00a0]+", " ", p.text).strip()
        info = styles.info(_style_id(p))
        num = _num_pr(p, info)
        label, kind = numbering.label(*num) if num else ("", "")
        if not text and not label:
            return
        out.append(
            Para(
                text=text,
                label=label,
                label_kind=kind,
                level=num[1] if num else 0,
                style=info.name,
                heading=info.heading,
                bold=_bold(p, info),
                index=len(out),
                indent=int(p.paragraph_format.left_indent or 0),
                **where,
            )
        )

    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            para(Paragraph(child, document))
        elif child.tag == qn("w:tbl"):
            table = Table(child, document)
            for ri, row in enumerate(table.rows):
                seen: set[int] = set()
                for ci, cell in enumerate(row.cells):
                    if id(cell._tc) in seen:  # merged cells repeat
                        continue
                    seen.add(id(cell._tc))
                    for p in cell.paragraphs:
                        para(p, table=table_index, row=ri, cell=ci)
            table_index += 1
    return out
