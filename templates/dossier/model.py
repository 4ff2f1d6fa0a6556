"""The dossier: one structured description of an agreement and every document of its set.

Each fact lives in one place. Legal text is data: documents are ``Body`` objects made of parts,
chapters, articles, leden and items; numbering is computed, never written. Inside any text, inline
markup refers to other parts of the dossier by key:

``[[ref:KEY]]``       an article, lid, chapter or annex
                      -> "artikel 13", "artikel 13, tweede lid", "bijlage 1.a"
``[[partij:KEY]]``    a party's name
``[[voetnoot:KEY]]``  a footnote (text in ``Dossier.footnotes``), numbered per document
``[[waarde:NAME]]``   a computed value (see ``templates.dossier.values``), e.g. ``datum_ondertekening``
``[[cursief]]…[[/cursief]]``, ``[[vet]]…[[/vet]]``  italic or bold text

An unknown key is an error, reported with the path of the field that holds it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from templates.dossier.legal import LegalModel

Key = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_.-]*$", max_length=80)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=300, strip_whitespace=True)]
Email = Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)]

PartyKind = Literal[
    "gemeente",
    "stadsdeel",
    "regio",  # a regional body or a group of municipalities acting together
    "provincie",
    "politie",
    "openbaar_ministerie",
    "reclassering",
    "riec",
    "veiligheidshuis",
    "veiligheidsregio",
    "ggd",
    "zorgaanbieder",
    "zorg",
    "jeugdbescherming",
    "welzijn",
    "woningcorporatie",
    "netbeheerder",
    "uwv",
    "belastingdienst",
    "onderwijs",
    "overig",
]
GeneratedBlock = Literal[
    "partijen",  # the list of parties with who represents them
    "partijen.per_groep",  # the same list under the heading of each party's group
    "besluit.categorieen",  # the besluit's categories of police data (a, b, ...)
    "besluit.gebruik",  # the uses the recipients may make of police data (1, 2, ...)
    "besluit.ontvangers",  # the recipient partners of the besluit
    "verklaring.grondslagen",  # the grounds an agendadeelnemer may choose from
    "begroting",  # the budget table, every total computed
]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


def _text_to_item(value: Any) -> Any:
    return {"text": value} if isinstance(value, str) else value


class Item(Model):
    """A lettered sub-item (a., b., ...); its own items are numbered i., ii., ..."""

    key: Key | None = None
    text: Text
    items: list[Item] = Field(default_factory=list)

    @field_validator("items", mode="before")
    @classmethod
    def _strings_are_items(cls, v: Any) -> Any:
        return [_text_to_item(x) for x in v] if isinstance(v, list) else v


class Definition(Model):
    term: Name
    text: Text


class Table(Model):
    """A table in the text (e.g. in an annex): an optional header row and rows of cells; cells may carry
    inline markup. Every row has as many cells as the header (or as the first row)."""

    header: list[Text] = Field(default_factory=list)
    rows: list[list[Text]] = Field(min_length=1)

    @model_validator(mode="after")
    def _same_width(self) -> Table:
        width = len(self.header) if self.header else len(self.rows[0])
        for i, row in enumerate(self.rows):
            if len(row) != width:
                raise ValueError(
                    f"rij {i + 1} van de tabel heeft {len(row)} cellen, de tabel heeft er {width}"
                )
        return self


class Block(Model):
    """One block of running text. Exactly one of the fields is set."""

    p: Text | None = None
    heading: Text | None = None
    bullets: list[Item] | None = None
    numbered: list[Item] | None = None
    lettered: list[Item] | None = None
    definitions: list[Definition] | None = None
    generated: GeneratedBlock | None = None
    table: Table | None = None
    page_break: bool | None = None

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, v: Any) -> Any:
        if isinstance(v, str):
            return {"p": v}
        if isinstance(v, dict):
            v = dict(v)
            for k in ("bullets", "numbered", "lettered"):
                if isinstance(v.get(k), list):
                    v[k] = [_text_to_item(x) for x in v[k]]
        return v

    @model_validator(mode="after")
    def _exactly_one(self) -> Block:
        set_fields = [k for k in type(self).model_fields if getattr(self, k) is not None]
        if len(set_fields) != 1:
            raise ValueError(
                "een tekstblok heeft precies één van p, heading, bullets, numbered, lettered, "
                f"definitions, generated, table, page_break (gevonden: {', '.join(set_fields) or 'geen'})"
            )
        return self


def _blocks(v: Any) -> Any:
    return [v] if isinstance(v, (str, dict)) else v


class Lid(Model):
    """A numbered lid of an article; numbering is automatic (1, 2, ...)."""

    key: Key | None = None
    text: Text
    items: list[Item] = Field(default_factory=list)
    blocks: list[Block] = Field(default_factory=list)

    @field_validator("items", mode="before")
    @classmethod
    def _strings_are_items(cls, v: Any) -> Any:
        return [_text_to_item(x) for x in v] if isinstance(v, list) else v

    @field_validator("blocks", mode="before")
    @classmethod
    def _one_block(cls, v: Any) -> Any:
        return _blocks(v)


class Article(Model):
    """An article: numbered automatically within its document ("Artikel 13", "4.2", or unnumbered)."""

    key: Key
    title: Text | None = None
    numbered: bool = True  # false: a section known by its title only ("de paragraaf ‘Aanleiding’")
    intro: list[Block] = Field(default_factory=list)
    leden: list[Lid] = Field(default_factory=list)
    blocks: list[Block] = Field(default_factory=list)

    @field_validator("leden", mode="before")
    @classmethod
    def _strings_are_leden(cls, v: Any) -> Any:
        return [_text_to_item(x) for x in v] if isinstance(v, list) else v

    @field_validator("intro", "blocks", mode="before")
    @classmethod
    def _one_block(cls, v: Any) -> Any:
        return _blocks(v)

    @model_validator(mode="after")
    def _unnumbered_has_title(self) -> Article:
        if not self.numbered and not self.title:
            raise ValueError("een artikel zonder nummer (numbered: false) heeft een titel (title) nodig")
        return self


class Chapter(Model):
    """A chapter, numbered I, II, ... (or 1, 2, ..., or not at all: see ``Numbering``)."""

    key: Key | None = None
    title: Text
    articles: list[Article]


class Considerations(Model):
    intro: Text = "Overwegende:"
    items: list[Text]
    closing: Text | None = None


class Part(Model):
    """One part of a document's body, in reading order. Exactly one field is set."""

    blocks: list[Block] | None = None
    considerations: Considerations | None = None
    chapters: list[Chapter] | None = None
    articles: list[Article] | None = None
    ondertekening: bool | None = None  # the signature page goes here
    inhoudsopgave: bool | TableOfContents | None = None  # a table of contents of the set goes here

    @model_validator(mode="after")
    def _exactly_one(self) -> Part:
        set_fields = [k for k in type(self).model_fields if getattr(self, k) is not None]
        if len(set_fields) != 1:
            raise ValueError(
                "een onderdeel heeft precies één van blocks, considerations, chapters, articles, "
                f"ondertekening, inhoudsopgave (gevonden: {', '.join(set_fields) or 'geen'})"
            )
        return self


class Numbering(Model):
    """How a text numbers its articles and chapters, and so how a ``[[ref:…]]`` to them reads.

    ``style: doorlopend`` (default): Artikel 1, 2 … across chapters; leden 1., 2. ("artikel 4, tweede lid").
    ``style: decimaal``: articles 1, 2 … (within a chapter 2.1, 2.2 …); leden 4.1, 4.2 ("artikel 4.2").
    ``word``: the name of the unit in headings and references ("artikel 4" or "paragraaf 4").
    ``heading_word``: print the word in the heading ("Artikel 4 Doel") or only the number ("4 Doel");
    by default the word is printed in the doorlopend style and left out in the decimal style.
    ``chapters``: romeins (I, II), arabisch (1, 2) or geen (a chapter is known by its title);
    in the decimal style numbered chapters are always arabic (chapter 2, articles 2.1, 2.2).
    """

    style: Literal["doorlopend", "decimaal"] = "doorlopend"
    word: Literal["artikel", "paragraaf"] = "artikel"
    heading_word: bool | None = None
    chapters: Literal["romeins", "arabisch", "geen"] = "romeins"


class TableOfContents(Model):
    """What the table of contents lists: always the text, the signing page and the annexes."""

    articles: bool = False  # also every article (and chapter) of the text, with its page
    page_numbers: bool = True  # the page of each entry (entries of annexes show "Bijlage 1")


class Body(Model):
    """The text of one document."""

    title: Text
    subtitle: Text | None = None
    numbering: Numbering = Field(default_factory=Numbering)
    parts: list[Part] = Field(default_factory=list)


class Annex(Model):
    """A bijlage, numbered 1, 2, ... and its sub-annexes 1.a, 1.b, ...

    ``declaration: true`` (without a body) places the blank geheimhoudingsverklaring
    (``Dossier.declaration``) here, so its text lives in one place.
    """

    key: Key
    title: Text
    body: Body | None = None
    declaration: bool = False
    annexes: list[Annex] = Field(default_factory=list)

    @model_validator(mode="after")
    def _body_or_declaration(self) -> Annex:
        if (self.body is None) == (not self.declaration):
            raise ValueError("een bijlage heeft óf een tekst (body), óf 'declaration: true' (de verklaring)")
        return self


class Publication(Model):
    medium: Name = "Gemeenteblad"
    afdeling: Name | None = None
    nummer: Name | None = None
    date: dt.date
    decision_date: dt.date | None = None
    decision_body: Name | None = None  # "Burgemeester en wethouders van Amsterdam"


class Official(Model):
    """A person acting in an office: the politiechef, a teamchef, a burgemeester."""

    name: Name
    function: Name
    organisation: Name | None = None
    email: Email | None = None


class Signatory(Model):
    key: Key
    name: Name
    function: Name
    email: Email | None = None
    capacity: Literal["vertegenwoordiger", "mandaat"] = "vertegenwoordiger"
    mandate: Key | None = None  # key of a Mandate, when capacity is "mandaat"
    on_behalf_of: Name | None = None  # e.g. "De politiechef van de eenheid Midden-Nederland, ..."
    note: Text | None = None  # printed under the block, e.g. "Ook namens de onderdelen: ..."
    also_for: list[Key] = Field(default_factory=list)  # parties this signatory signs for too ("mede namens")


class Party(Model):
    key: Key
    name: Name
    kind: PartyKind
    description: Text | None = None  # e.g. "de onderdelen Centrum voor Jeugd en Gezin, ..."
    represented_by: Name | None = None  # the representative's role, e.g. "de directeur-bestuurder"
    part_of: Key | None = None  # a stadsdeel is part of the gemeente
    group: Name | None = None  # heading on the signature page, e.g. "Partners", "Stadsdeel Noord"
    signatories: list[Signatory] = Field(default_factory=list)
    # A class of parties that joins later (toetreding), e.g. "de woningcorporaties in Overijssel en
    # Gelderland": named in the text, no signatory at signing; each member signs when it accedes.
    joins_later: bool = False


class Area(Model):
    """Where the agreement applies when it is more than one municipality (a region)."""

    name: Name  # "Regio Twente", "Oost-Nederland"
    municipalities: list[Name] = Field(default_factory=list)


LawKey = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_.-]*$", max_length=40)]


class LawDefinition(Model):
    """A law that is not in the table of templates/laws.yaml, with the dates it is in force."""

    key: LawKey
    name: Name
    in_force_from: dt.date | None = None
    in_force_until: dt.date | None = None  # the last day it was in force
    successor: Name | None = None


class Version(Model):
    """The version of the text, printed on the cover and in the running header of every page."""

    date: dt.date
    label: Name | None = None  # "2.1", "definitief"


class Signing(Model):
    date: dt.date
    place: Name | None = None
    title: Text = "Ondertekening"
    # "blokken": one block per signatory with a large box; "tabel": a compact table, one row per signatory
    # (for long lists of parties); "automatisch": the table from more than 40 signatories on.
    layout: Literal["automatisch", "blokken", "tabel"] = "automatisch"


class Term(Model):
    """Looptijd: a start and an end (or a duration), or ``indefinite``. How it is renewed or ended is the
    legal model's ``legal.term``."""

    start: dt.date
    end: dt.date | None = None
    duration_years: int | None = Field(default=None, ge=1, le=50)
    indefinite: bool = False  # voor onbepaalde tijd (legal.term.kind "onbepaald")
    retroactive: bool = False  # entry into force before the signing date is intended

    @model_validator(mode="after")
    def _end_or_duration(self) -> Term:
        if self.indefinite and (self.end is not None or self.duration_years is not None):
            raise ValueError("een looptijd voor onbepaalde tijd (indefinite) heeft geen einddatum of duur")
        if not self.indefinite and self.end is None and self.duration_years is None:
            raise ValueError(
                "geef een einddatum (end) of een duur in jaren (duration_years), of 'indefinite: true'"
            )
        return self

    @property
    def open_ended(self) -> bool:
        return self.indefinite

    @property
    def effective_end(self) -> dt.date:
        """The end date (``date.max`` for an indefinite term)."""
        if self.end is not None:
            return self.end
        if self.duration_years is None:
            return dt.date.max
        try:
            return self.start.replace(year=self.start.year + self.duration_years)
        except ValueError:  # 29 February
            return self.start.replace(year=self.start.year + self.duration_years, day=28)


class Category(Model):
    key: Key
    text: Text


Provider = Literal["wijkagent", "vervanger"]


def _all_providers() -> list[Provider]:
    return ["wijkagent", "vervanger"]


class Besluit(Model):
    """The police chief's decision ex artikel 20 Wpg: who may receive which police data, for what, how long."""  # noqa: E501 (docstring is the JSON-schema description)

    key: Key = "besluit-art20"
    title: Text = "Besluit gegevensverstrekking ingevolge artikel 20 Wpg"
    issuer: Official
    eenheid: Name
    date: dt.date
    place: Name
    recipients: list[Key]  # party keys; never agendadeelnemers
    categories: list[Category]
    uses: list[Category]
    providers: list[Provider] = Field(default_factory=_all_providers)
    recording_fields: list[Name] = Field(
        default_factory=lambda: ["dit besluit", "datum", "reden", "inhoud", "ontvanger"]
    )
    term_years: int = Field(default=3, ge=1, le=10)
    revocable: bool = True
    body: Body


class Mandate(Model):
    """A mandaatbesluit: the mandator lets the mandatary sign the named documents on her behalf."""

    key: Key
    mandator: Official
    mandatary: Official
    documents: list[Key]  # what may be signed: "overeenkomst", "besluit-art20", a mandate's key, ...
    document_title: Text  # as the mandaatbesluit names it
    date: dt.date
    valid_until: dt.date | None = None
    place: Name
    legal_basis: list[Text] = Field(default_factory=list)  # "Gelet op de Algemene wet bestuursrecht;"


class Ground(Model):
    key: Key
    label: Text
    # One plain-language sentence (B1) shown next to the choice on the signing page; not in the document.
    explanation: Text | None = None


class Declaration(Model):
    """The geheimhoudingsverklaring an agendadeelnemer signs, choosing one of the grounds."""

    key: Key = "geheimhoudingsverklaring"
    title: Text
    grounds: list[Ground]
    body: Body


class BudgetLine(Model):
    """A line with an amount, a multiplication (quantity x unit_amount), or the remainder of the available amount."""  # noqa: E501 (docstring is the JSON-schema description)

    key: Key | None = None
    label: Text
    amount: Decimal | None = Field(default=None, ge=0, max_digits=14, decimal_places=2)
    quantity: int | None = Field(default=None, ge=1)
    unit_amount: Decimal | None = Field(default=None, ge=0, max_digits=14, decimal_places=2)
    remainder: bool = False
    details: list[Text] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_way(self) -> BudgetLine:
        ways = [
            self.amount is not None,
            self.quantity is not None or self.unit_amount is not None,
            self.remainder,
        ]
        if sum(ways) > 1:
            raise ValueError("een begrotingsregel heeft óf een bedrag, óf aantal × bedrag, óf 'rest'")
        if (self.quantity is None) != (self.unit_amount is None):
            raise ValueError("aantal (quantity) en bedrag per stuk (unit_amount) horen bij elkaar")
        return self


class BudgetGroup(Model):
    label: Text
    lines: list[BudgetLine]


class Budget(Model):
    key: Key = "begroting"
    per_year: Decimal = Field(ge=0, max_digits=14, decimal_places=2)
    years: int = Field(default=1, ge=1, le=10)
    reference_year: int | None = None
    stated_total: Decimal | None = Field(
        default=None,
        ge=0,
        max_digits=14,
        decimal_places=2,
        description="Het totaal zoals de auteur het schreef; gecontroleerd tegen de som, nooit aangepast.",
    )
    groups: list[BudgetGroup]


class Dossier(Model):
    """One agreement and everything needed to generate, sign and register its document set."""

    schema_version: Literal[2] = 2
    id: Key
    title: Text
    kind: Literal["samenwerkingsovereenkomst", "convenant"]
    municipality: Name | None = None  # the gemeente, when the agreement is one municipality's
    region: Area | None = None  # or the region it applies in
    cooperation: Name
    period_label: Name | None = None  # e.g. "2018 – 2021", shown on the cover
    version: Version | None = None
    publication: Publication | None = None
    signing: Signing
    term: Term
    parties: list[Party]
    agreement: Body
    annexes: list[Annex] = Field(default_factory=list)
    besluit: Besluit | None = None
    mandates: list[Mandate] = Field(default_factory=list)
    declaration: Declaration | None = None
    budget: Budget | None = None
    footnotes: dict[Key, Text] = Field(default_factory=dict)
    laws: list[LawKey | LawDefinition] = Field(
        default_factory=list,
        description=(
            "Wetten waarop de tekst steunt: een sleutel uit de wettentabel (templates/laws.yaml, bv. "
            "AVG, Wpg, Wpubg, Wmo2015) of een eigen wet met naam en data; gecontroleerd op de datum van "
            "het document."
        ),
    )
    legal: LegalModel = Field(
        description="Het rechtsmodel: wat het convenant vastlegt (rollen, gegevensstromen, grondslagen, "
        "voorwaarden, looptijd, bewaartermijn, besluit), elk met de sleutel van de bepaling die het vastlegt."
    )

    @model_validator(mode="after")
    def _term_fits_rule(self) -> Dossier:
        if (self.legal.term.kind == "onbepaald") != self.term.indefinite:
            raise ValueError(
                "term.indefinite en legal.term.kind horen bij elkaar: een looptijd voor onbepaalde tijd "
                "(indefinite: true) heeft de looptijdregel 'onbepaald', en omgekeerd"
            )
        return self

    @model_validator(mode="after")
    def _municipality_or_region(self) -> Dossier:
        if self.municipality is None and self.region is None:
            raise ValueError(
                "geef de gemeente (municipality) of de regio (region) waarvoor de overeenkomst geldt"
            )
        return self

    @property
    def area(self) -> str:
        """The municipality, or the name of the region."""
        if self.municipality is not None:
            return self.municipality
        assert self.region is not None
        return self.region.name

    def party(self, key: str) -> Party | None:
        return next((p for p in self.parties if p.key == key), None)

    def mandate(self, key: str) -> Mandate | None:
        return next((m for m in self.mandates if m.key == key), None)


Item.model_rebuild()
Annex.model_rebuild()
