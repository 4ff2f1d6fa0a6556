"""The overeenkomst: cover, table of contents, body with the signature section, and the annexes."""

from __future__ import annotations

from templates.documents.builder import SIGNING_ANCHOR, Builder, running_header, toc_options, version_line
from templates.documents.declaration import declaration_signature
from templates.dossier.model import (
    Annex,
    Dossier,
    TableOfContents,
)
from templates.fields import signature_field
from templates.formatting import format_date, join_names
from templates.numbering import (
    Target,
    annex_numbers,
    number_body,
)
from templates.viewmodel import Block, Document, Run, SignatureView

AGREEMENT = "overeenkomst"
COMPACT_FROM = 41  # signatories: from this many on, "automatisch" gives the compact table


def _agreement_signatures(b: Builder) -> list[Block]:
    d = b.d
    views: list[tuple[str | None, SignatureView]] = []
    for party in d.parties:
        for s in party.signatories:
            before: list[str] = []
            if s.on_behalf_of:
                before.append(s.on_behalf_of)
            if s.capacity == "mandaat":
                mandate = d.mandate(s.mandate) if s.mandate else None
                if not s.on_behalf_of and mandate is not None:
                    before.append(f"{mandate.mandator.function}, {mandate.mandator.name},")
                if "namens deze" not in " ".join(before).lower():
                    before.append("namens deze,")
            after = [s.name, s.function] + ([s.note] if s.note else [])
            also = [p.name for k in s.also_for if (p := d.party(k)) is not None]
            if also:
                after.append(f"mede namens {join_names(also)}")
            sig_field = signature_field(s.key) if b.fields else None
            views.append((party.group, SignatureView(party.name, before, after, sig_field)))
    date_line = f"Datum: {format_date(d.signing.date)}"
    if d.signing.place:
        date_line = f"Plaats: {d.signing.place}    {date_line}"
    layout = d.signing.layout
    compact = layout == "tabel" or (layout == "automatisch" and len(views) >= COMPACT_FROM)
    out = b.signature_section(
        d.signing.title, date_line, views, "signature_table" if compact else "signatures"
    )
    later = [p.name for p in d.parties if p.joins_later]
    if later:
        out.append(
            Block(
                "para",
                [Run(f"Partijen die later toetreden, ondertekenen bij hun toetreding: {join_names(later)}.")],
            )
        )
    return out


def _toc(b: Builder, options: TableOfContents) -> list[Block]:
    """The table of contents of the agreement: its text, the signing page, (its chapters and articles,)
    and the annexes. Headings it lists get an anchor; the PDF prints their page, the DOCX a PAGEREF."""
    d = b.d

    def entry(text: str, obj: object, level: int = 0) -> Block:
        anchor = b.anchors.setdefault(id(obj), f"toc{len(b.anchors) + 1}")
        return Block("toc", [Run(text)], level=level, target=anchor if options.page_numbers else "")

    out = [Block("heading", [Run("Inhoudsopgave")], level=2, keep_with_next=True)]
    numbers = number_body(d.agreement)
    if d.annexes or options.articles:
        out.append(entry(d.agreement.title, d.agreement))
    if options.articles:
        for part in d.agreement.parts:
            for chapter in part.chapters or []:
                out.append(entry(numbers.chapter(chapter).heading, chapter, 1))
                out += [entry(numbers.article(a).heading, a, 2) for a in chapter.articles]
            out += [entry(numbers.article(a).heading, a, 1) for a in part.articles or []]
    if d.annexes or options.articles:
        signing = Block("toc", [Run(d.signing.title)], target=SIGNING_ANCHOR if options.page_numbers else "")
        out.append(signing)
    if not options.articles:
        for part in d.agreement.parts:
            out += [entry(numbers.chapter(c).heading, c) for c in part.chapters or []]
    for number, annex, depth in annex_numbers(d.annexes):
        out.append(Block("toc", [Run(annex.title)], label=f"Bijlage {number}", level=depth))
    return out


def _cover(b: Builder) -> None:
    d = b.d
    if d.publication is not None:
        p = d.publication
        ref = ", ".join(x for x in (p.afdeling, str(p.date.year), p.nummer) if x)
        b.add("meta", f"{p.medium}: {d.title} ({ref})")
        if p.afdeling:
            b.add("meta", f"Afdeling {p.afdeling}")
        if p.nummer:
            b.add("meta", f"Nummer {p.nummer}")
        b.add("meta", f"Publicatiedatum {format_date(p.date)}")
        if d.version is not None:
            b.add("meta", version_line(d))
    else:
        b.add("cover", d.title)
        if d.period_label:
            b.add("cover", d.period_label)
        if d.version is not None:
            b.add("cover", version_line(d))
        b.blocks.append(Block("page_break"))


def _annex(b: Builder, number: str, annex: Annex, depth: int) -> None:
    d = b.d
    b.blocks.append(Block("page_break"))
    b.add("label", f"Bijlage {number}" + (f" bij {d.title}" if depth == 0 else ""))
    if annex.declaration and d.declaration is not None:
        blank = Builder(d, b.targets, None, signature_fields=False)
        blank.note_numbers = b.note_numbers
        blank.body(d.declaration.body, signatures=declaration_signature(blank))
        b.blocks.extend(blank.blocks)
    elif annex.body is not None:
        b.body(annex.body)


def build_agreement(d: Dossier, targets: dict[str, Target]) -> Document:
    b = Builder(d, targets)
    _cover(b)
    options = toc_options(d.agreement)
    toc = _toc(b, options) if options is not None else None
    b.body(d.agreement, signatures=_agreement_signatures(b), toc=toc)
    for number, annex, depth in annex_numbers(d.annexes):
        _annex(b, number, annex, depth)
    return Document(AGREEMENT, d.title, d.area, d.cooperation, b.blocks, running_header(d, d.title))
