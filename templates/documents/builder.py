"""What every document kind builds with: ``Builder`` (inline markup, structure, generated blocks,
signature sections) and the small lines the kinds share (parties, officials, version, budget rows).
"""

from __future__ import annotations

from dataclasses import replace

from templates.budget import compute_budget
from templates.documents.text import BULLET, clean
from templates.dossier.model import (
    Article,
    Body,
    Dossier,
    Item,
    Official,
    Party,
    TableOfContents,
)
from templates.dossier.model import (
    Block as ModelBlock,
)
from templates.dossier.values import Participant, compute_value, version_phrase
from templates.formatting import format_money, letter, roman
from templates.numbering import (
    TOKENS,
    ArticleNumber,
    Target,
    number_body,
)
from templates.viewmodel import Block, Run, SignatureView, TableRow

SIGNING_ANCHOR = "toc0"


class Builder:
    """Builds one document; footnotes are numbered per document in the order of their first call, and
    travel with that call (``Run.note``) to the foot of its page."""

    def __init__(
        self,
        dossier: Dossier,
        targets: dict[str, Target],
        participant: Participant | None = None,
        signature_fields: bool = True,
    ) -> None:
        self.d = dossier
        self.targets = targets
        self.participant = participant
        self.fields = signature_fields
        self.blocks: list[Block] = []
        self.note_numbers: dict[str, int] = {}
        self.anchors: dict[int, str] = {}  # id of a body, chapter or article -> anchor of its heading

    # ---------------------------------------------------------------- inline text
    def runs(self, text: str) -> list[Run]:
        """Inline markup resolved; ``[[cursief]]…[[/cursief]]`` and ``[[vet]]…[[/vet]]`` set emphasis."""
        out: list[Run] = []
        pos = 0
        style = {"cursief": False, "vet": False}

        def literal(chunk: str) -> None:
            if chunk:
                out.append(Run(clean(chunk), strong=style["vet"], em=style["cursief"]))

        for m in TOKENS.finditer(text):
            literal(text[pos : m.start()])
            if m.group("style"):
                style[m.group("style")] = not m.group("close")
            else:
                run = self._markup(m.group(1), m.group(2).strip())
                out.append(
                    replace(run, strong=run.strong or style["vet"], em=style["cursief"])
                    if not run.sup
                    else run
                )
            pos = m.end()
        literal(text[pos:])
        return out

    def _markup(self, kind: str, key: str) -> Run:
        if kind == "ref":
            return Run(self.targets[key].label)
        if kind == "partij":
            party = self.d.party(key)
            assert party is not None
            return Run(party.name)
        if kind == "voetnoot":
            if key in self.note_numbers:
                return Run(str(self.note_numbers[key]), sup=True)
            number = self.note_numbers[key] = len(self.note_numbers) + 1
            return Run(str(number), sup=True, note=tuple(self.runs(self.d.footnotes[key])))
        value = compute_value(key, self.d, self.participant)
        assert value is not None
        return Run(clean(value))

    def add(self, kind: str, text: str = "", **kw: object) -> Block:
        block = Block(kind, self.runs(text) if text else [], **kw)  # type: ignore[arg-type]
        self.blocks.append(block)
        return block

    # ---------------------------------------------------------------- structure
    def items(self, items: list[Item], level: int, style: str) -> None:
        for n, item in enumerate(items, start=1):
            label = {
                "lettered": f"{letter(n)}.",
                "numbered": f"{n}.",
                "roman": f"{roman(n).lower()}.",
                "bullets": BULLET,
            }[style]
            self.add("item", item.text, label=label, level=level)
            sub = {"lettered": "roman", "numbered": "lettered", "roman": "bullets", "bullets": "bullets"}[
                style
            ]
            self.items(item.items, level + 1, sub)

    def model_blocks(self, blocks: list[ModelBlock], level: int = 0) -> None:
        for b in blocks:
            if b.p is not None:
                self.add("para", b.p, level=level)
            elif b.heading is not None:
                self.add("heading", b.heading, level=4, keep_with_next=True)
            elif b.bullets is not None:
                self.items(b.bullets, level, "bullets")
            elif b.numbered is not None:
                self.items(b.numbered, level, "numbered")
            elif b.lettered is not None:
                self.items(b.lettered, level, "lettered")
            elif b.definitions is not None:
                for d in b.definitions:
                    self.add("definition", d.text, term=d.term, level=level)
            elif b.generated is not None:
                self.generated(b.generated, level)
            elif b.table is not None:
                rows = ([b.table.header] if b.table.header else []) + b.table.rows
                grid = [[self.runs(cell) for cell in row] for row in rows]
                self.blocks.append(Block("grid", grid=grid, header=bool(b.table.header)))
            elif b.page_break:
                self.blocks.append(Block("page_break"))

    def body(
        self,
        body: Body,
        signatures: list[Block] | None = None,
        toc: list[Block] | None = None,
        heading_level: int = 1,
    ) -> None:
        numbers = number_body(body)
        self.add(
            "heading",
            body.title,
            level=heading_level,
            keep_with_next=True,
            anchor=self.anchors.get(id(body), ""),
        )
        if body.subtitle:
            self.add("heading", body.subtitle, level=heading_level + 1, keep_with_next=True)
        placed = False
        for part in body.parts:
            if part.blocks is not None:
                self.model_blocks(part.blocks)
            elif part.considerations is not None:
                c = part.considerations
                self.add("para", c.intro)
                for text in c.items:
                    self.add("item", text, label=BULLET)
                if c.closing:
                    self.add("para", c.closing)
            elif part.chapters is not None:
                for chapter in part.chapters:
                    self.add(
                        "heading",
                        numbers.chapter(chapter).heading,
                        level=2,
                        keep_with_next=True,
                        anchor=self.anchors.get(id(chapter), ""),
                    )
                    for article in chapter.articles:
                        self.article(article, numbers.article(article))
            elif part.articles is not None:
                for article in part.articles:
                    self.article(article, numbers.article(article))
            elif part.ondertekening and signatures is not None:
                self._place(signatures)
                placed = True
            elif part.inhoudsopgave and toc is not None:
                self.blocks.extend(toc)
        if signatures is not None and not placed:
            self._place(signatures)

    def _place(self, signatures: list[Block]) -> None:
        """Signature blocks start on the page of the line before them (e.g. "Aldus besloten ...")."""
        if self.blocks and self.blocks[-1].kind == "para":
            self.blocks[-1].keep_with_next = True
        self.blocks.extend(signatures)

    def article(self, article: Article, number: ArticleNumber) -> None:
        self.add(
            "heading", number.heading, level=3, keep_with_next=True, anchor=self.anchors.get(id(article), "")
        )
        self.model_blocks(article.intro)
        for n, lid in enumerate(article.leden, start=1):
            self.add("item", lid.text, label=number.lid_label(n), level=0)
            self.items(lid.items, 1, "lettered")
            self.model_blocks(lid.blocks, level=1)
        self.model_blocks(article.blocks)

    # ---------------------------------------------------------------- generated blocks
    def generated(self, name: str, level: int) -> None:
        d = self.d
        if name == "partijen":
            for party in d.parties:
                self.add("item", party_line(party), label=BULLET, level=level + (1 if party.part_of else 0))
        elif name == "partijen.per_groep":
            groups: dict[str | None, list[Party]] = {}
            for party in d.parties:
                groups.setdefault(party.group, []).append(party)
            for group, parties in groups.items():
                if group is not None:
                    self.blocks.append(
                        Block("para", [Run(clean(group), strong=True)], level=level, keep_with_next=True)
                    )
                for party in parties:
                    self.add("item", party_line(party), label=BULLET, level=level + (1 if group else 0))
        elif name == "besluit.categorieen" and d.besluit:
            for n, cat in enumerate(d.besluit.categories, start=1):
                self.add("item", cat.text, label=f"{letter(n)}.", level=level + 1)
        elif name == "besluit.gebruik" and d.besluit:
            for n, use in enumerate(d.besluit.uses, start=1):
                self.add("item", use.text, label=f"{n}.", level=level)
        elif name == "besluit.ontvangers" and d.besluit:
            for key in d.besluit.recipients:
                recipient = d.party(key)
                self.add("item", recipient.name if recipient else key, label=BULLET, level=level)
        elif name == "verklaring.grondslagen" and d.declaration:
            grounds = d.declaration.grounds
            if self.participant is not None:
                grounds = [g for g in grounds if g.key == self.participant.ground_key] or grounds
            for g in grounds:
                self.add("item", g.label, label=BULLET, level=level)
        elif name == "begroting" and d.budget:
            self.blocks.append(Block("table", rows=budget_rows(d)))

    # ---------------------------------------------------------------- signatures
    def signature_section(
        self,
        title: str,
        date_line: str | None,
        views: list[tuple[str | None, SignatureView]],
        kind: str = "signatures",
    ) -> list[Block]:
        out = [Block("heading", [Run(title)], level=2, keep_with_next=True, anchor=SIGNING_ANCHOR)]
        if date_line:
            out.append(Block("para", [Run(date_line)], keep_with_next=True))
        group: str | None = None
        current: Block | None = None
        for g, view in views:
            if current is None or (g is not None and g != group):
                if g is not None and g != group:
                    out.append(Block("heading", [Run(g)], level=4, keep_with_next=True))
                group = g if g is not None else group
                current = Block(kind)
                out.append(current)
            current.signatures.append(view)
        return out


def budget_rows(dossier: Dossier) -> list[TableRow]:
    assert dossier.budget is not None
    budget = compute_budget(dossier.budget)
    rows: list[TableRow] = []
    for n, group in enumerate(budget.groups, start=1):
        single = len(group.lines) == 1 and group.lines[0].label.strip().lower() == group.label.strip().lower()
        rows.append(
            TableRow(
                str(n),
                [Run(group.label, strong=True)],
                format_money(group.subtotal) if single else "",
                "group",
            )
        )
        for line in group.lines:
            if not single:
                label = line.label
                if line.quantity is not None and line.unit_amount is not None:
                    label += f" ({line.quantity} × {format_money(line.unit_amount)})"
                rows.append(TableRow("", [Run(label)], format_money(line.amount), "line"))
            for detail in line.details:
                rows.append(TableRow("", [Run(detail)], "", "detail"))
    rows.append(TableRow("", [Run("Totaal", strong=True)], format_money(budget.total), "total"))
    return rows


def official_lines(o: Official) -> list[str]:
    return [o.name, o.function] + ([o.organisation] if o.organisation else [])


def party_line(party: Party) -> str:
    text = party.name
    if party.description:
        text += f", {party.description}"
    if party.represented_by:
        text += f", vertegenwoordigd door {party.represented_by}"
    return text + ";"


def version_line(d: Dossier) -> str:
    phrase = version_phrase(d)
    assert phrase is not None
    return phrase[0].upper() + phrase[1:]


def running_header(d: Dossier, title: str) -> str:
    """The header of every page but the first: the title, and the version when the dossier has one."""
    phrase = version_phrase(d)
    return f"{title} \u2013 {phrase}" if phrase else title


def toc_options(body: Body) -> TableOfContents | None:
    for part in body.parts:
        if isinstance(part.inhoudsopgave, TableOfContents):
            return part.inhoudsopgave
        if part.inhoudsopgave:
            return TableOfContents()
    return None
