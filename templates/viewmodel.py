"""The format-neutral structure of a rendered document (the "view model").

Everything a reader sees is computed here, in Python: numbers, references, footnote numbers, amounts,
dates. The HTML (PDF) and DOCX layouts only walk ``Document.blocks``; both renderings therefore carry
the same text.

Block kinds: ``heading`` (level 1-4), ``label`` (the "Bijlage 1" line above an annex title),
``para``, ``item`` (label + text, indented by ``level``), ``definition`` (term + text), ``note``
(a footnote: label + text), ``toc`` (text + label), ``cover`` (large title line), ``meta``
(publication line), ``table`` (``rows``), ``signatures`` (``signatures``), ``page_break``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Run:
    """A piece of text; ``sup`` marks a footnote number, ``strong`` bold and ``em`` italic text."""

    text: str
    sup: bool = False
    strong: bool = False
    em: bool = False


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
    field: str | None  # "sig-<key>" when the box is a signature field of this document, else None


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
