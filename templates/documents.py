"""From a dossier to the view model of each document of its set.

Document names are stable identifiers (URLs, other packages): ``overeenkomst``, ``besluit-art20``,
``mandaat-<mandate key>``, ``geheimhoudingsverklaring``. Signature fields: ``sig-<signatory key>``
in the agreement, ``sig-besluit``, ``sig-<mandate key>``, ``sig-agendadeelnemer``.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import replace

from templates.budget import compute_budget
from templates.dossier.model import (
    Annex,
    Article,
    Body,
    Dossier,
    Item,
    Mandate,
    Official,
    Party,
    TableOfContents,
)
from templates.dossier.model import (
    Block as ModelBlock,
)
from templates.dossier.values import Participant, compute_value, version_phrase
from templates.errors import DossierInvalid, ParticipantInvalid, Problem, UnknownDocument
from templates.fields import signature_field
from templates.formatting import format_date, format_money, join_names, letter, roman
from templates.numbering import (
    TOKENS,
    ArticleNumber,
    Target,
    annex_numbers,
    markup_problems,
    number_body,
    reference_targets,
)
from templates.viewmodel import Block, Document, Run, SignatureView, TableRow

AGREEMENT = "overeenkomst"
BESLUIT = "besluit-art20"
DECLARATION = "geheimhoudingsverklaring"
BULLET = "•"
# Control characters other than tab and newline cannot be represented in DOCX (XML 1.0) or PDF text.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff]")


def clean(text: str) -> str:
    return _CONTROL.sub("", text)


def document_names(dossier: Dossier) -> list[str]:
    names = [AGREEMENT]
    if dossier.besluit is not None:
        names.append(BESLUIT)
    names += [f"mandaat-{m.key}" for m in dossier.mandates]
    if dossier.declaration is not None:
        names.append(DECLARATION)
    return names


class _Builder:
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
                self.add("item", _party_line(party), label=BULLET, level=level + (1 if party.part_of else 0))
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
                    self.add("item", _party_line(party), label=BULLET, level=level + (1 if group else 0))
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


def _official_lines(o: Official) -> list[str]:
    return [o.name, o.function] + ([o.organisation] if o.organisation else [])


def _party_line(party: Party) -> str:
    text = party.name
    if party.description:
        text += f", {party.description}"
    if party.represented_by:
        text += f", vertegenwoordigd door {party.represented_by}"
    return text + ";"


COMPACT_FROM = 41  # signatories: from this many on, "automatisch" gives the compact table


def _agreement_signatures(b: _Builder) -> list[Block]:
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


SIGNING_ANCHOR = "toc0"


def _toc(b: _Builder, options: TableOfContents) -> list[Block]:
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


def _cover(b: _Builder) -> None:
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
            b.add("meta", _version_line(d))
    else:
        b.add("cover", d.title)
        if d.period_label:
            b.add("cover", d.period_label)
        if d.version is not None:
            b.add("cover", _version_line(d))
        b.blocks.append(Block("page_break"))


def _version_line(d: Dossier) -> str:
    phrase = version_phrase(d)
    assert phrase is not None
    return phrase[0].upper() + phrase[1:]


def _running_header(d: Dossier, title: str) -> str:
    """The header of every page but the first: the title, and the version when the dossier has one."""
    phrase = version_phrase(d)
    return f"{title} \u2013 {phrase}" if phrase else title


def _annex(b: _Builder, number: str, annex: Annex, depth: int) -> None:
    d = b.d
    b.blocks.append(Block("page_break"))
    b.add("label", f"Bijlage {number}" + (f" bij {d.title}" if depth == 0 else ""))
    if annex.declaration and d.declaration is not None:
        blank = _Builder(d, b.targets, None, signature_fields=False)
        blank.note_numbers = b.note_numbers
        blank.body(d.declaration.body, signatures=_declaration_signature(blank))
        b.blocks.extend(blank.blocks)
    elif annex.body is not None:
        b.body(annex.body)


def _declaration_signature(b: _Builder) -> list[Block]:
    p = b.participant
    after = [f"{p.name}, {p.institution}"] if p else ["[Handtekening agendadeelnemer]"]
    view = SignatureView("", [], after, signature_field("agendadeelnemer") if b.fields else None)
    return [Block("signatures", signatures=[view])]


def _mandate_signing_for(d: Dossier, document: str) -> Mandate | None:
    return next((m for m in d.mandates if document in m.documents), None)


def _toc_options(body: Body) -> TableOfContents | None:
    for part in body.parts:
        if isinstance(part.inhoudsopgave, TableOfContents):
            return part.inhoudsopgave
        if part.inhoudsopgave:
            return TableOfContents()
    return None


def build_agreement(d: Dossier, targets: dict[str, Target]) -> Document:
    b = _Builder(d, targets)
    _cover(b)
    options = _toc_options(d.agreement)
    toc = _toc(b, options) if options is not None else None
    b.body(d.agreement, signatures=_agreement_signatures(b), toc=toc)
    for number, annex, depth in annex_numbers(d.annexes):
        _annex(b, number, annex, depth)
    return Document(AGREEMENT, d.title, d.area, d.cooperation, b.blocks, _running_header(d, d.title))


def build_besluit(d: Dossier, targets: dict[str, Target]) -> Document:
    assert d.besluit is not None
    bs = d.besluit
    b = _Builder(d, targets)
    before = [f"{bs.issuer.function},"]
    after = [bs.issuer.name]
    mandate = _mandate_signing_for(d, bs.key)
    if mandate is not None:
        after += ["namens deze,", mandate.mandatary.name, mandate.mandatary.function]
    sig = [Block("signatures", signatures=[SignatureView("", before, after, signature_field("besluit"))])]
    b.body(bs.body, signatures=sig)
    return Document(BESLUIT, bs.title, bs.issuer.organisation or bs.eenheid, d.title, b.blocks, bs.title)


def build_mandate(d: Dossier, targets: dict[str, Target], mandate: Mandate) -> Document:
    b = _Builder(d, targets)
    m = mandate
    b.add("heading", "Mandaatbesluit", level=1)
    b.add("para", f"{m.mandator.function},")
    for basis in m.legal_basis:
        b.add("para", basis)
    b.add("heading", "Besluit", level=4)
    b.add(
        "para",
        f"De {m.mandatary.function}, {m.mandatary.name}, tekenbevoegdheid te verlenen ten aanzien van "
        f"het ondertekenen van de \u201c{m.document_title}\u201d.",
    )
    if m.valid_until:
        b.add("para", f"Dit mandaat geldt tot en met {format_date(m.valid_until)}.")
    b.add("para", f"{m.place}, {format_date(m.date)},")
    view = SignatureView("", [], _official_lines(m.mandator)[:2], signature_field(m.key))
    b.blocks.append(Block("signatures", signatures=[view]))
    return Document(
        f"mandaat-{m.key}",
        f"Mandaatbesluit {m.mandator.function} – {m.mandatary.name}",
        m.mandator.organisation or m.mandator.function,
        m.document_title,
        b.blocks,
        "Mandaatbesluit",
    )


def check_participant(d: Dossier, p: Participant) -> None:
    """The participant's ground must be one of the declaration's; names must be present and sane."""
    assert d.declaration is not None
    problems = []
    keys = [g.key for g in d.declaration.grounds]
    if p.ground_key not in keys:
        problems.append(
            Problem(
                "deelnemer.grondslag",
                f"onbekende grondslag '{p.ground_key[:80]}'; kies uit: {', '.join(keys)}",
                code="grondslag_onbekend",
            )
        )
    for path, value in (("deelnemer.naam", p.name), ("deelnemer.instelling", p.institution)):
        if not clean(value).strip():
            problems.append(Problem(path, "is verplicht", code="missing"))
        elif len(value) > 300:
            problems.append(Problem(path, "is te lang (ten hoogste 300 tekens)", code="string_too_long"))
    if problems:
        raise ParticipantInvalid(
            "De gegevens van de agendadeelnemer passen niet in de verklaring: "
            + "; ".join(f"{x.path}: {x.message}" for x in problems),
            problems,
        )


def build_declaration(d: Dossier, targets: dict[str, Target], participant: Participant | None) -> Document:
    assert d.declaration is not None
    if participant is not None:
        check_participant(d, participant)
    b = _Builder(d, targets, participant)
    b.body(d.declaration.body, signatures=_declaration_signature(b))
    title = d.declaration.title + (f" – {participant.name}" if participant else "")
    return Document(
        DECLARATION,
        title,
        participant.name if participant else d.area,
        d.title,
        b.blocks,
        d.declaration.title,
    )


_VALIDATED: OrderedDict[str, dict[str, Target]] = OrderedDict()  # dossier JSON -> targets (valid only)
_VALIDATED_MAX = 16
_VALIDATED_LOCK = threading.Lock()


def validate_markup(dossier: Dossier) -> dict[str, Target]:
    """Raise DossierInvalid when inline markup cannot be resolved; return the reference targets.

    The outcome depends on the dossier alone, so a valid dossier's targets are kept per exact dossier
    content (its JSON): a personalised declaration rendered per request does not re-check the whole
    dossier. An invalid dossier is checked (and refused) every time."""
    key = dossier.model_dump_json()
    with _VALIDATED_LOCK:
        hit = _VALIDATED.get(key)
        if hit is not None:
            _VALIDATED.move_to_end(key)
            return dict(hit)
    targets = _validate_markup(dossier)
    with _VALIDATED_LOCK:
        _VALIDATED[key] = dict(targets)
        while len(_VALIDATED) > _VALIDATED_MAX:
            _VALIDATED.popitem(last=False)
    return targets


def _validate_markup(dossier: Dossier) -> dict[str, Target]:
    problems: list[Problem] = markup_problems(dossier)
    errors = [p for p in problems if p.severity == "fout"]
    if errors:
        raise DossierInvalid(
            f"Het dossier bevat {len(errors)} fout(en) in verwijzingen of markeringen.", errors
        )
    return reference_targets(dossier)[0]


def build_document(dossier: Dossier, name: str, participant: Participant | None = None) -> Document:
    targets = validate_markup(dossier)
    if name == AGREEMENT:
        return build_agreement(dossier, targets)
    if name == BESLUIT and dossier.besluit is not None:
        return build_besluit(dossier, targets)
    if name == DECLARATION and dossier.declaration is not None:
        return build_declaration(dossier, targets, participant)
    if name.startswith("mandaat-") and (m := dossier.mandate(name.removeprefix("mandaat-"))) is not None:
        return build_mandate(dossier, targets, m)
    raise UnknownDocument(
        f"Het document '{name}' hoort niet bij dit dossier. "
        f"Beschikbaar: {', '.join(document_names(dossier))}."
    )
