"""The format-neutral structure of a rendered document (the "view model").

Everything a reader sees is computed here, in Python: numbers, references, footnote numbers, amounts,
dates. The HTML (PDF) and DOCX layouts only walk ``Document.blocks``; both renderings therefore carry
the same text.

Block kinds: ``heading`` (level 1-4), ``label`` (the "Bijlage 1" line above an annex title),
``para``, ``item`` (label + text, indented by ``level``), ``definition`` (term + text), ``toc`` (text,
and on the right either ``label`` or the page of ``target``), ``cover`` (large title line), ``meta``
(publication line), ``table`` (``rows``), ``grid`` (a table of the text: ``grid``), ``signatures``
(``signatures``), ``signature_table`` (compact: one row per signatory), ``page_break``.

Footnotes travel inside the text: the run of a footnote's number carries the footnote's own runs
(``Run.note``), so the PDF floats them to the foot of the page and the DOCX makes a Word footnote.
A heading with ``anchor`` is a target of the table of contents.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Run:
    """A piece of text; ``sup`` marks a footnote number, ``strong`` bold and ``em`` italic text.

    ``note`` holds the text of the footnote whose number this run is, at its first call (a later call
    of the same footnote repeats the number without a note)."""

    text: str
    sup: bool = False
    strong: bool = False
    em: bool = False
    note: tuple[Run, ...] = ()


@dataclass(frozen=True)
class TableRow:
    number: str
    label: list[Run]
    amount: str
    kind: str = "line"  # "group", "line", "detail", "total"


@dataclass(frozen=True)
class SignatureView:
    """One signature block: who, the lines above and below the (empty) box, and the field name."""

    party: str
    before: list[str]
    after: list[str]
    # templates.fields.signature_field(key) when the box is a signature field of this document, else None
    field: str | None


@dataclass
class Block:
    kind: str
    runs: list[Run] = field(default_factory=list)
    level: int = 0
    label: str = ""
    term: str = ""
    rows: list[TableRow] = field(default_factory=list)
    signatures: list[SignatureView] = field(default_factory=list)
    keep_with_next: bool = False
    anchor: str = ""  # a heading the table of contents points at ("toc3"; also a Word bookmark name)
    target: str = ""  # a toc entry: the anchor whose page number is printed on the right
    grid: list[list[list[Run]]] = field(default_factory=list)  # a grid's rows of cells (runs per cell)
    header: bool = False  # a grid: its first row is a header row

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass
class Document:
    name: str  # stable identifier: "overeenkomst", "besluit-art20", "mandaat-<key>", ...
    title: str
    author: str
    subject: str
    blocks: list[Block]
    running_header: str
    lang: str = "nl"

    @property
    def signature_fields(self) -> list[str]:
        return [s.field for b in self.blocks for s in b.signatures if s.field]

    @property
    def anchors(self) -> list[str]:
        return [b.anchor for b in self.blocks if b.anchor]
