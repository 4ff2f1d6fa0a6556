"""From Word paragraphs to a draft dossier: title, parties, considerations, chapters, articles, leden, items,
annexes and the signature page. Typed numbers ("Artikel 4", "1.", "a.") and Word's own numbering are read
alike (the reader puts Word's number in ``label``). What cannot be placed is reported, never dropped silently.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from templates.dossier.legal import V1_TERM_KINDS, draft_legal
from templates.formatting import MONTHS as DUTCH_MONTHS
from templates.formatting import count_phrase, letter
from templates.wordimport.reader import Para

MONTHS = {m: i for i, m in enumerate(DUTCH_MONTHS, 1)}
ORDINALS = {
    w: i
    for i, w in enumerate(
        (
            "eerste tweede derde vierde vijfde zesde zevende achtste negende tiende elfde twaalfde dertiende "
            "veertiende vijftiende zestiende zeventiende achttiende negentiende twintigste"
        ).split(),
        1,
    )
}
ROMAN = re.compile(r"^(?=[IVXLC])(C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
CHAPTER_RE = re.compile(r"^(?:hoofdstuk\s+)?([IVXLC]+|\d{1,2})[.:]?\s+(\S.{0,200})$", re.I)
CHAPTER_WORD_RE = re.compile(r"^hoofdstuk\s+([IVXLC]+|\d{1,2})[.:]?\s*(.{0,200})$", re.I)
ARTICLE_RE = re.compile(r"^(?:artikel|art\.)\s+(\d{1,3}(?:\.\d{1,2})?)[.:]?(?:\s+(\S.{0,300}))?$", re.I)
LID_RE = re.compile(r"^(\d{1,2})[.)]\s+(\S.*)$", re.S)
LETTER_RE = re.compile(r"^([a-z])[.)]\s+(\S.*)$", re.S)
ROMAN_ITEM_RE = re.compile(r"^(i{1,3}|iv|vi{0,3}|ix|x)[.)]\s+(\S.*)$", re.S)
BULLET_RE = re.compile(r"^[-–•·*▪]\s+(\S.*)$", re.S)
ANNEX_RE = re.compile(r"^bijlage\s+(\d{1,2}(?:\.[a-z])?)\b[.:]?\s*(.*)$", re.I)
PARTIES_RE = re.compile(
    r"^(het bevoegd gezag van|de ondergetekenden|ondergetekenden|partijen|de partijen)\s*:?\s*$", re.I
)
CONSIDER_RE = re.compile(r"^overwegende(\s+dat)?\s*:?\s*$", re.I)
AGREE_RE = re.compile(
    r"^(komen overeen|maken de volgende afspraken|spreken (het volgende )?af|verklaren (het volgende )?"
    r"te zijn overeengekomen|zijn het volgende overeengekomen)",
    re.I,
)
SIGNING_RE = re.compile(r"^(ondertekening|aldus overeengekomen.*|.*,\s*de partijen)\s*:?$", re.I)
DATE_RE = re.compile(r"(\d{1,2})\s+(" + "|".join(MONTHS) + r")\s+(\d{4})", re.I)
TOC_RE = re.compile(r"^(inhoudsopgave|inhoud)$", re.I)
LAW_AFTER = re.compile(
    r"^\s*,?\s*(van\s+(de|het|dit)\b|Wpg|Wbp|AVG|UAVG|Wet\b|Besluit|Politiewet|Jeugdwet|Wmo|Awb|BW\b|Sr\b|Sv\b"
    r"|Grondwet|EVRM|Gemeentewet|Wvggz|Wzd|Wgbo|Archiefwet)",
)
REF_RE = re.compile(
    r"\b[Aa]rtikel\s+(\d{1,3})(?:,\s*(" + "|".join(ORDINALS) + r")\s+lid)?(?:,\s*onder\s+([a-z])\b)?"
)
ANNEX_REF_RE = re.compile(r"\b[Bb]ijlage\s+(\d{1,2}(?:\.[a-z])?)\b")


@dataclass
class Finding:
    """Something the import could not place, or placed by a guess the author should check."""

    where: str  # e.g. "alinea 12" or "tabel 2"
    text: str  # the first words
    reason: str  # Dutch, for the author


@dataclass
class Draft:
    data: dict[str, Any]
    unplaced: list[Finding] = field(default_factory=list)
    check: list[Finding] = field(default_factory=list)  # placed, but by a guess
    references: int = 0  # cross-references turned into [[ref:…]]


def slug(text: str, limit: int = 40) -> str:
    norm = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    s = re.sub(r"[^a-z0-9]+", "-", norm).strip("-")[:limit].strip("-")
    return s or "x"


def _words(text: str, n: int = 12) -> str:
    parts = text.split()
    return " ".join(parts[:n]) + (" …" if len(parts) > n else "")


def _is_heading(p: Para) -> bool:
    return p.heading is not None or (p.bold and len(p.full) <= 250)


class _Body:
    """Builds one text (the agreement or one annex): parts with blocks, considerations, chapters, articles."""

    def __init__(self, owner: _Builder, key_prefix: str) -> None:
        self.owner = owner
        self.prefix = key_prefix
        self.parts: list[dict[str, Any]] = []
        self.chapter: dict[str, Any] | None = None
        self.article: dict[str, Any] | None = None
        self.lid: dict[str, Any] | None = None
        self.list_target: list[Any] | None = None  # the list an item goes into
        self.articles: list[tuple[str, dict[str, Any]]] = []  # (typed/printed number, article)
        self.n_articles = 0
        self.last_letter = ""

    # --- parts -----------------------------------------------------------------------------------------
    def _part(self, kind: str) -> dict[str, Any]:
        if self.parts and kind in self.parts[-1] and kind != "ondertekening":
            return self.parts[-1]
        part: dict[str, Any] = {kind: [] if kind in ("blocks", "chapters", "articles") else True}
        self.parts.append(part)
        self.article = None
        self.lid = None
        self.chapter = None if kind != "chapters" else self.chapter
        return part

    def block(self, block: dict[str, Any]) -> None:
        if self.article is not None:
            target = self.lid["blocks"] if self.lid is not None else self.article["intro"]
            target.append(block)
            return
        self._part("blocks")["blocks"].append(block)

    def paragraph(self, text: str) -> None:
        self.list_target = None
        self.block({"p": text})

    def heading(self, text: str) -> None:
        self.list_target = None
        if self.article is not None:
            self.block({"p": text})
            return
        self._part("blocks")["blocks"].append({"heading": text})

    def considerations(self, items: list[str], intro: str, closing: str | None) -> None:
        c: dict[str, Any] = {"intro": intro, "items": items}
        if closing:
            c["closing"] = closing
        self.parts.append({"considerations": c})
        self.article = self.lid = self.chapter = None

    def signing_page(self) -> None:
        self.parts.append({"ondertekening": True})
        self.article = self.lid = self.chapter = None

    # --- chapters and articles ---------------------------------------------------------------------------
    def new_chapter(self, title: str) -> None:
        if self.parts and "articles" in self.parts[-1] and self.parts[-1]["articles"]:
            self.owner.finding(
                None, title, "hoofdstuk na losse artikelen: als nieuw tekstdeel geplaatst", True
            )
        part = self._part("chapters")
        n = len(part["chapters"]) + 1
        self.chapter = {"key": f"{self.prefix}hoofdstuk-{n}", "title": title, "articles": []}
        part["chapters"].append(self.chapter)
        self.article = self.lid = None

    def new_article(self, number: str, title: str | None) -> None:
        if self.chapter is not None and self.parts and "chapters" in self.parts[-1]:
            target = self.chapter["articles"]
        else:
            target = self._part("articles")["articles"]
        self.n_articles += 1
        key = f"{self.prefix}artikel-{self.n_articles}"
        if (
            "." in number
            and self.article is not None
            and number.split(".")[0] == self.articles[-1][0].split(".")[0]
        ):
            # "Artikel 5.1" and "Artikel 5.2": one article with numbered leden (as the numbering prints it)
            self.n_articles -= 1
            self.lid = self._new_lid(title or "")
            self.owner.finding(None, f"Artikel {number}", "als lid van het vorige artikel geplaatst", True)
            return
        self.article = {"key": key, "title": title, "intro": [], "leden": []}
        if title is None:
            del self.article["title"]
        target.append(self.article)
        self.articles.append((number.split(".")[0], self.article))
        if "." in number:
            self.lid = self._new_lid("")
        else:
            self.lid = None
        self.list_target = None

    def _new_lid(self, text: str) -> dict[str, Any]:
        assert self.article is not None
        n = len(self.article["leden"]) + 1
        lid: dict[str, Any] = {
            "key": f"{self.article['key']}-lid-{n}",
            "text": text,
            "items": [],
            "blocks": [],
        }
        self.article["leden"].append(lid)
        self.list_target = None
        return lid

    def new_lid(self, text: str) -> None:
        self.lid = self._new_lid(text)

    def item(self, text: str, kind: str, depth: int) -> None:
        """A lettered/roman/bullet/numbered point: under the lid, in the article's intro, or in a list."""
        if self.article is None:
            name = "bullets" if kind == "bullet" else ("lettered" if kind == "letter" else "numbered")
            blocks = self._part("blocks")["blocks"]
            if not (blocks and name in blocks[-1]) or self.list_target is None:
                blocks.append({name: []})
                self.list_target = blocks[-1][name]
            self.list_target.append(text)
            return
        if self.lid is not None and self.lid["text"] == "" and not self.lid["items"]:
            self.lid["text"] = text  # "Artikel 5.2" with its text in the next paragraph
            return
        if self.lid is not None and kind == "letter" and depth == 0 and not self.lid["blocks"]:
            key = f"{self.lid['key']}-{letter_key(len(self.lid['items']) + 1)}"
            self.lid["items"].append({"key": key, "text": text, "items": []})
            self.list_target = self.lid["items"]
            return
        if self.lid is not None and kind == "roman" and self.lid["items"]:
            parent = self.lid["items"][-1]
            parent["items"].append({"text": text, "items": []})
            return
        container = self.lid["blocks"] if self.lid is not None else self.article["intro"]
        name = {"bullet": "bullets", "letter": "lettered", "roman": "lettered"}.get(kind, "numbered")
        if not (container and name in container[-1]) or self.list_target is not container[-1][name]:
            container.append({name: []})
            self.list_target = container[-1][name]
        self.list_target.append({"text": text})

    def definition(self, term: str, text: str) -> None:
        assert self.article is not None
        target = self.lid["blocks"] if self.lid is not None else self.article["intro"]
        if not (target and "definitions" in target[-1]):
            target.append({"definitions": []})
        target[-1]["definitions"].append({"term": term, "text": text})

    # --- result --------------------------------------------------------------------------------------------
    def result(self) -> list[dict[str, Any]]:
        for part in self.parts:
            for article in _part_articles(part):
                _tidy_article(article)
        return [p for p in self.parts if any(v for v in p.values())]


def letter_key(n: int) -> str:
    return letter(n)


def _part_articles(part: dict[str, Any]) -> list[dict[str, Any]]:
    out = list(part.get("articles") or [])
    for ch in part.get("chapters") or []:
        out.extend(ch["articles"])
    return out


def _tidy_article(article: dict[str, Any]) -> None:
    for lid in article["leden"]:
        if not lid["text"]:
            lid["text"] = "…"
        if not lid["items"]:
            del lid["items"]
        if not lid["blocks"]:
            del lid["blocks"]
        for item in lid.get("items", []):
            if not item["items"]:
                del item["items"]
            else:
                for sub in item["items"]:
                    if not sub["items"]:
                        del sub["items"]
    if not article["intro"]:
        del article["intro"]
    if not article["leden"]:
        del article["leden"]
        if "intro" not in article:
            article["intro"] = [{"p": "…"}]


def _lists_to_plain(blocks: list[dict[str, Any]]) -> None:
    """Block lists take plain strings or {text} items; keep the model's shape."""
    for b in blocks:
        for name in ("bullets", "lettered", "numbered"):
            if name in b:
                b[name] = [x if isinstance(x, dict) else {"text": x} for x in b[name]]


class _Builder:
    def __init__(self, paragraphs: list[Para]) -> None:
        self.ps = paragraphs
        self.i = 0
        self.unplaced: list[Finding] = []
        self.check: list[Finding] = []
        self.title: str | None = None
        self.subtitle: str | None = None
        self.parties: list[dict[str, Any]] = []
        self.signing_date: date | None = None
        self.signing_place: str | None = None
        self.annexes: list[dict[str, Any]] = []
        self.bodies: list[tuple[_Body, dict[str, Any] | None]] = []

    def finding(self, p: Para | None, text: str, reason: str, guess: bool = False) -> None:
        where = (
            "" if p is None else (f"tabel {p.table + 1}" if p.table is not None else f"alinea {p.index + 1}")
        )
        (self.check if guess else self.unplaced).append(Finding(where, _words(text), reason))

    # --- the walk ------------------------------------------------------------------------------------------
    def run(self) -> None:
        body = _Body(self, "")
        self.bodies.append((body, None))
        self._title()
        while self.i < len(self.ps):
            p = self.ps[self.i]
            annex = self._annex_start(p)
            if annex is not None:
                body = annex
                continue
            self.i += 1
            self._one(body, p)

    def _title(self) -> None:
        for j, p in enumerate(self.ps[:40]):
            if p.heading == 0 or (p.heading == 1 and self.title is None):
                self.title = p.full
                self.i = j + 1
                nxt = self.ps[j + 1] if j + 1 < len(self.ps) else None
                if nxt is not None and nxt.heading in (1, 2) and p.heading == 1 and len(nxt.full) < 120:
                    self.subtitle = nxt.full
                    self.i = j + 2
                return
        for j, p in enumerate(self.ps[:40]):
            if p.bold and p.table is None:
                self.title = p.full
                self.i = j + 1
                return
        if self.ps:
            self.title = self.ps[0].full
            self.i = 1

    def _annex_start(self, p: Para) -> _Body | None:
        m = ANNEX_RE.match(p.full)
        if not m or not _is_heading(p) or len(p.full) > 200:
            return None
        number, rest = m.group(1), m.group(2).strip()
        self.i += 1
        title = rest if rest and not rest.lower().startswith("bij ") else None
        if title is None and self.i < len(self.ps) and _is_heading(self.ps[self.i]):
            title = self.ps[self.i].full
            self.i += 1
        key = "bijlage-" + number.replace(".", "-")
        annex: dict[str, Any] = {"key": key, "title": title or f"Bijlage {number}", "annexes": []}
        if "." in number:
            parent = next((a for a in self.annexes if a["key"] == "bijlage-" + number.split(".")[0]), None)
            (parent["annexes"] if parent else self.annexes).append(annex)
        else:
            self.annexes.append(annex)
        body = _Body(self, f"b{number.replace('.', '')}-")
        self.bodies.append((body, annex))
        return body

    def _one(self, body: _Body, p: Para) -> None:
        text = p.full
        if p.table is not None:
            self._table(body, p)
            return
        if TOC_RE.match(text) and _is_heading(p):
            self._skip_toc(p)
            return
        if PARTIES_RE.match(text) and body is self.bodies[0][0] and not self.parties and self._list_follows():
            self._parties(body, p)
            return
        if CONSIDER_RE.match(text) or (text.lower().startswith("overwegende") and len(text) < 40):
            self._considerations(body, p)
            return
        if SIGNING_RE.match(text) and _is_heading(p) and body is self.bodies[0][0]:
            self._signing(body, p)
            return
        if _is_heading(p) or p.label_kind in ("decimal", "roman") and p.heading is not None:
            m = CHAPTER_WORD_RE.match(text) or (CHAPTER_RE.match(text) if _is_heading(p) else None)
            if m and (ROMAN.match(m.group(1).upper()) or text.lower().startswith("hoofdstuk") or p.label):
                title = m.group(2).strip() or self._next_heading_text()
                body.new_chapter(title)
                return
            m = ARTICLE_RE.match(text)
            if m:
                title = m.group(2)
                if not title and self.i < len(self.ps) and _is_heading(self.ps[self.i]):
                    nxt = self.ps[self.i].full
                    if not ARTICLE_RE.match(nxt) and not CHAPTER_WORD_RE.match(nxt):
                        title = nxt
                        self.i += 1
                body.new_article(m.group(1), title.strip() if title else None)
                return
        if body.article is not None:
            self._in_article(body, p)
            return
        m_b = BULLET_RE.match(p.text) if not p.label else None
        if p.label_kind == "bullet" or m_b:
            body.item(m_b.group(1) if m_b else p.text, "bullet", 0)
            return
        if p.label_kind in ("decimal", "letter") or LID_RE.match(text) and not p.label:
            body.item(p.text if p.label else LID_RE.sub(r"\2", text), p.label_kind or "decimal", 0)
            return
        if _is_heading(p):
            body.heading(text)
            return
        body.paragraph(text)

    def _next_heading_text(self) -> str:
        if self.i < len(self.ps) and _is_heading(self.ps[self.i]):
            self.i += 1
            return self.ps[self.i - 1].full
        return "…"

    def _in_article(self, body: _Body, p: Para) -> None:
        text = p.text
        kind, depth = p.label_kind, p.level
        if not p.label:
            for rx, k in (
                (LID_RE, "decimal"),
                (ROMAN_ITEM_RE, "roman"),
                (LETTER_RE, "letter"),
                (BULLET_RE, "bullet"),
            ):
                m = rx.match(text)
                if m:
                    if k == "roman" and m.group(1) == "i" and body.last_letter == "h":
                        continue  # "i." after "h." is a letter
                    kind = k
                    text = m.group(m.lastindex or 1)
                    mark = m.group(1) if k != "bullet" else ""
                    depth = 0
                    if k == "letter":
                        body.last_letter = mark
                    break
        elif kind == "letter":
            body.last_letter = p.label.rstrip(".)")
        if not p.label and p.indent > 0 and body.lid is not None and kind == "decimal":
            depth = 1  # a typed "1." indented under a lid is a point of that lid
        if kind == "decimal" and (depth == 0 or body.lid is None):
            body.new_lid(text)
            return
        if kind in ("letter", "roman", "bullet", "decimal"):
            body.item(text, kind, 0 if kind == "letter" and depth <= 1 else depth)
            return
        title = (body.article or {}).get("title") or ""
        m = re.match(r"^([^:]{1,60}):\s+(\S.*)$", text)
        if m and title.lower().startswith("begrip"):
            body.definition(m.group(1).strip(), m.group(2).strip())
            return
        if body.lid is not None:
            body.lid["blocks"].append({"p": text})
            return
        body.paragraph(text)

    def _list_follows(self) -> bool:
        nxt = self.ps[self.i] if self.i < len(self.ps) else None
        return nxt is not None and (
            nxt.label_kind != "" or bool(BULLET_RE.match(nxt.text)) or nxt.text.endswith(";")
        )

    def _parties(self, body: _Body, p: Para) -> None:
        body.paragraph(p.full)
        body._part("blocks")["blocks"].append({"generated": "partijen"})
        while self.i < len(self.ps):
            q = self.ps[self.i]
            m = BULLET_RE.match(q.text) if not q.label else None
            if not (q.label_kind or m or q.text.rstrip().endswith(";")) or q.table is not None:
                break
            self.i += 1
            self._party_line(m.group(1) if m else q.text)

    def _party_line(self, line: str) -> None:
        line = line.strip().rstrip(";").rstrip(",").strip()
        represented = None
        m = re.search(r",?\s*vertegenwoordigd door\s+(.+)$", line)
        if m:
            represented = m.group(1).strip().rstrip(".")
            line = line[: m.start()].strip()
        name, _, description = line.partition(",")
        self._add_party(name.strip(), description.strip() or None, represented)

    def _add_party(self, name: str, description: str | None, represented: str | None) -> dict[str, Any]:
        existing = next((x for x in self.parties if _same(x["name"], name)), None)
        if existing is not None:
            return existing
        key = slug(name, 30)
        while any(x["key"] == key for x in self.parties):
            key += "-2"
        party: dict[str, Any] = {"key": key, "name": name, "kind": _kind(name), "signatories": []}
        if description:
            party["description"] = description
        if represented:
            party["represented_by"] = represented
        self.parties.append(party)
        return party

    def _considerations(self, body: _Body, p: Para) -> None:
        items: list[str] = []
        closing = None
        while self.i < len(self.ps):
            q = self.ps[self.i]
            if q.table is not None or ANNEX_RE.match(q.full) and _is_heading(q):
                break
            if ARTICLE_RE.match(q.full) and _is_heading(q) or CHAPTER_WORD_RE.match(q.full):
                break
            if _is_heading(q) and CHAPTER_RE.match(q.full) and ROMAN.match(q.full.split()[0].upper()):
                break
            self.i += 1
            if AGREE_RE.match(q.full):
                closing = q.full
                break
            m = BULLET_RE.match(q.text) if not q.label else None
            items.append(m.group(1) if m else q.text)
        if not items:
            self.finding(p, p.full, "'Overwegende' zonder overwegingen")
            body.paragraph(p.full)
            return
        body.considerations(items, p.full, closing)

    def _skip_toc(self, p: Para) -> None:
        skipped = 0
        while self.i < len(self.ps):
            q = self.ps[self.i]
            if (
                q.heading is not None
                and q.heading <= 2
                or (q.bold and not re.search(r"\s\d+$|\tBijlage", q.text))
            ):
                break
            if PARTIES_RE.match(q.full) or CONSIDER_RE.match(q.full):
                break
            skipped += 1
            self.i += 1
        self.finding(
            p, p.full, f"inhoudsopgave ({skipped} regels) overgeslagen: de generator maakt haar zelf", True
        )

    # --- the signature page ------------------------------------------------------------------------------
    def _signing(self, body: _Body, p: Para) -> None:
        body.signing_page()
        group: str | None = None
        block: list[Para] = []

        def flush() -> None:
            nonlocal block
            if block:
                self._signature(block, group)
            block = []

        while self.i < len(self.ps):
            q = self.ps[self.i]
            t = q.full
            if (
                ANNEX_RE.match(t)
                and _is_heading(q)
                or CONSIDER_RE.match(t)
                or ARTICLE_RE.match(t)
                and _is_heading(q)
                or (q.heading is not None and q.heading <= 2)
            ):
                break
            self.i += 1
            if q.table is not None:
                self._signature_cell(q)
                continue
            m = re.match(r"^datum\s*:?\s*(.*)$", t, re.I)
            if m or (DATE_RE.search(t) and len(t) < 60 and not block):
                self._date_place(t)
                continue
            nxt = self.ps[self.i] if self.i < len(self.ps) else None
            if q.bold and nxt is not None and CONSIDER_RE.match(nxt.full):
                self.i -= 1  # "Partijen" / "Overwegende dat:": the text goes on
                break
            if q.heading is not None or (q.bold and self._heading_before_block()):
                flush()
                group = t
                continue
            if q.bold:
                flush()
                block = [q]
                continue
            if block:
                block.append(q)
            else:
                self.finding(q, t, "tekst op de ondertekeningspagina zonder partij")
        flush()

    def _heading_before_block(self) -> bool:
        nxt = self.ps[self.i] if self.i < len(self.ps) else None
        return nxt is not None and (nxt.bold or nxt.heading is not None)

    def _signature_cell(self, q: Para) -> None:
        cells: dict[tuple[int, int, int], list[Para]] = {}
        j = self.i - 1
        while j < len(self.ps) and self.ps[j].table == q.table:
            r = self.ps[j]
            cells.setdefault((r.table or 0, r.row, r.cell), []).append(r)
            j += 1
        self.i = j
        for lines in cells.values():
            if len(lines) >= 3:
                self._signature(lines, None)
            else:
                self.finding(
                    lines[0],
                    " ".join(x.full for x in lines),
                    "cel in de ondertekeningstabel zonder naam en functie",
                )

    def _date_place(self, text: str) -> None:
        m = DATE_RE.search(text)
        if m:
            self.signing_date = date(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)))
            before = text[: m.start()].strip().rstrip(",").strip()
            before = re.sub(r"^datum\s*:?\s*", "", before, flags=re.I).strip()
            if before and len(before) < 40:
                self.signing_place = before

    def _signature(self, lines: list[Para], group: str | None) -> None:
        """Party, lines above the signature line (on whose behalf), the line, then name, function, note."""
        texts = [re.sub(r"^(naam|functie)\s*:\s*", "", x.full, flags=re.I) for x in lines]
        line = next(
            (i for i, t in enumerate(texts) if re.fullmatch(r"(handtekening\s*:?)?\s*[_.…]{3,}", t, re.I)),
            None,
        )
        if line is not None:
            before, after = texts[1:line], [t for t in texts[line + 1 :] if t.strip()]
        else:
            before, after = texts[1:-2], texts[-2:]
        if len(after) < 2 or len(texts) < 3:
            self.finding(lines[0], " ".join(texts), "handtekeningblok zonder naam en functie")
            return
        party = self._add_party(texts[0], None, None)
        if group:
            party.setdefault("group", group)
        name, function, note = after[0], after[1], " ".join(after[2:])
        words = re.sub(r"[^\w\s-]", " ", name).split()
        key = slug(words[-1] if words else name, 30)
        taken = {s["key"] for x in self.parties for s in x["signatories"]}
        base, n = key, 2
        while key in taken:
            key, n = f"{base}-{n}", n + 1
        sig: dict[str, Any] = {"key": key, "name": name, "function": function}
        if before:
            sig["on_behalf_of"] = " ".join(before).rstrip(",").strip()
        if note:
            sig["note"] = note
        party["signatories"].append(sig)

    # --- tables --------------------------------------------------------------------------------------------
    def _table(self, body: _Body, p: Para) -> None:
        rows: dict[int, list[str]] = {}
        j = self.i - 1
        while j < len(self.ps) and self.ps[j].table == p.table:
            rows.setdefault(self.ps[j].row, []).append(self.ps[j].full)
            j += 1
        self.i = j
        first = " | ".join(rows.get(0, []))
        hint = " (een begroting vult u in het formulier 'Begroting' in)" if "€" in first else ""
        self.finding(p, first, f"tabel met {count_phrase(len(rows), 'rij', 'rijen')} niet geplaatst{hint}")


def _same(a: str, b: str) -> bool:
    return slug(a, 80) == slug(b, 80)


def _kind(name: str) -> str:
    n = name.lower()
    if n.startswith("stadsdeel"):
        return "stadsdeel"
    if "gemeente" in n:
        return "gemeente"
    if "politie" in n:
        return "politie"
    if "woning" in n or "woon" in n or "corporatie" in n:
        return "woningcorporatie"
    if n.startswith("ggd") or " ggd" in n:
        return "ggd"
    if "ggz" in n or "zorg" in n:
        return "zorg"
    if "welzijn" in n:
        return "welzijn"
    return "overig"


# --- cross-references -------------------------------------------------------------------------------------


def _body_targets(parts: list[dict[str, Any]]) -> dict[tuple[int, int, str], str]:
    """(article number, lid number or 0, item letter or '') -> key, numbered as the generator will."""
    out: dict[tuple[int, int, str], str] = {}
    n = 0
    for part in parts:
        for article in _part_articles(part):
            n += 1
            out[(n, 0, "")] = article["key"]
            for li, lid in enumerate(article.get("leden", []), 1):
                out[(n, li, "")] = lid["key"]
                for ii, item in enumerate(lid.get("items", []), 1):
                    if "key" in item:
                        out[(n, li, letter_key(ii))] = item["key"]
    return out


def _texts(value: Any) -> list[tuple[Any, Any]]:
    """(container, key) of every text field, so references can be rewritten in place."""
    out: list[tuple[Any, Any]] = []
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(v, str) and k in ("text", "p", "intro", "closing"):
                out.append((value, k))
            else:
                out.extend(_texts(v))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            if isinstance(v, str):
                out.append((value, i))
            else:
                out.extend(_texts(v))
    return out


def link_references(parts: list[dict[str, Any]], annex_keys: dict[str, str], draft: Draft) -> None:
    targets = _body_targets(parts)

    def replace(m: re.Match[str]) -> str:
        after = m.string[m.end() : m.end() + 40]
        if LAW_AFTER.match(after):
            return m.group(0)
        art = int(m.group(1))
        lid = ORDINALS[m.group(2)] if m.group(2) else 0
        item = m.group(3) or ""
        key = targets.get((art, lid, item))
        if key is None:
            if (art, 0, "") in targets:
                draft.check.append(
                    Finding("", m.group(0), "verwijzing niet gevonden (lid of onderdeel bestaat niet)")
                )
            return m.group(0)
        draft.references += 1
        return f"[[ref:{key}]]"

    def replace_annex(m: re.Match[str]) -> str:
        key = annex_keys.get(m.group(1))
        if key is None:
            return m.group(0)
        draft.references += 1
        return f"[[ref:{key}]]"

    for container, k in _texts(parts):
        text = container[k]
        new = REF_RE.sub(replace, text)
        new = ANNEX_REF_RE.sub(replace_annex, new)
        container[k] = new


NUMBER_WORDS = {"een": 1, "één": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "tien": 10}
TERM_RE = re.compile(r"looptijd van (\d{1,2}|een|één|twee|drie|vier|vijf|zes|tien) jaar", re.I)
RENEW_RE = re.compile(
    r"(stilzwijgend|telkens) verlengd met (?:een periode van )?(\d|een|één|twee|drie) jaar", re.I
)


def _term_rule(paragraphs: list[Para]) -> dict[str, Any]:
    """The term and renewal as the text states them ("looptijd van drie jaar", "stilzwijgend verlengd")."""
    years, renewal, renewal_years = 1, "geen", 1
    for p in paragraphs:
        m = TERM_RE.search(p.text)
        if m:
            word = m.group(1).lower()
            years = int(word) if word.isdigit() else NUMBER_WORDS[word]
            break
    for p in paragraphs:
        m = RENEW_RE.search(p.text)
        if m:
            renewal = "stilzwijgend"
            word = m.group(2).lower()
            renewal_years = int(word) if word.isdigit() else NUMBER_WORDS[word]
            break
        if "evaluatie" in p.text.lower() and "verleng" in p.text.lower():
            renewal = "na_evaluatie"
    return {"duration_years": max(1, min(years, 50)), "renewal": renewal, "renewal_years": renewal_years}


# --- entry ------------------------------------------------------------------------------------------------


def build_draft(paragraphs: list[Para], *, dossier_id: str | None = None, today: date | None = None) -> Draft:
    b = _Builder(paragraphs)
    b.run()
    title = b.title or "Naamloos convenant"
    draft = Draft({})
    annex_keys: dict[str, str] = {}

    def collect(annexes: list[dict[str, Any]], prefix: str = "") -> None:
        for i, a in enumerate(annexes, 1):
            number = f"{prefix}{i}" if not prefix else f"{prefix}{letter_key(i)}"
            annex_keys[number] = a["key"]
            collect(a["annexes"], f"{number}.")

    collect(b.annexes)
    agreement: dict[str, Any] = {"title": title}
    if b.subtitle:
        agreement["subtitle"] = b.subtitle
    for body, annex in b.bodies:
        parts = body.result()
        for part in parts:
            _lists_to_plain(part.get("blocks", []))
            for article in _part_articles(part):
                _lists_to_plain(article.get("intro", []))
                for lid in article.get("leden", []):
                    _lists_to_plain(lid.get("blocks", []))
        link_references(parts, annex_keys, draft)
        if annex is None:
            agreement["parts"] = parts or [{"blocks": [{"p": "…"}]}]
        else:
            annex["body"] = {"title": annex["title"], "parts": parts} if parts else None
            if annex["body"] is None:
                del annex["body"]
    if not any(p.get("ondertekening") for p in agreement["parts"]):
        agreement["parts"].append({"ondertekening": True})
        draft.check.append(
            Finding(
                "",
                "Ondertekening",
                "geen ondertekeningspagina gevonden: aan het eind gezet",
            )
        )

    def strip_empty(annexes: list[dict[str, Any]]) -> None:
        for a in annexes:
            if not a["annexes"]:
                del a["annexes"]
            else:
                strip_empty(a["annexes"])

    strip_empty(b.annexes)
    on = b.signing_date or today or date.today()
    parties = b.parties or [{"key": "partij-1", "name": "Partij 1", "kind": "overig", "signatories": []}]
    if not b.parties:
        draft.check.append(
            Finding("", "Partijen", "geen partijen gevonden: vul ze in het formulier 'Partijen' in")
        )
    gemeente = next((p["name"] for p in parties if p["kind"] == "gemeente"), None)
    municipality = re.sub(r"^gemeente\s+", "", gemeente, flags=re.I).split(",")[0] if gemeente else "Onbekend"
    for p in parties:
        if p["kind"] == "overig":
            draft.check.append(Finding("", p["name"], "soort partij niet herkend: 'overig' gekozen"))
    if b.signing_date is None:
        draft.check.append(Finding("", "Datum", "geen datum van ondertekening gevonden: vandaag ingevuld"))
    rule = _term_rule(paragraphs)
    term: dict[str, Any] = {"start": on, "duration_years": rule["duration_years"]}
    draft.check.append(
        Finding(
            "",
            "Looptijd",
            f"looptijd {term['duration_years']} jaar vanaf de datum van ondertekening, "
            f"verlenging '{rule['renewal']}': controleer haar",
        )
    )
    first_key = _first_article_key(agreement, b.annexes)
    legal = draft_legal(first_key or "overeenkomst", V1_TERM_KINDS[rule["renewal"]], rule["renewal_years"])
    draft.check.append(
        Finding(
            "",
            "Rechtsmodel",
            "alleen een begin van het rechtsmodel (één rol en de looptijdregel, met het eerste artikel als "
            "bron): vul rollen, gegevensstromen, grondslagen en de juiste artikelen aan",
        )
    )
    draft.data = {
        "id": dossier_id or slug(title, 60),
        "title": title,
        "kind": "convenant" if "convenant" in title.lower() else "samenwerkingsovereenkomst",
        "municipality": municipality,
        "cooperation": title,
        "signing": {"date": on, **({"place": b.signing_place} if b.signing_place else {})},
        "schema_version": 2,
        "term": term,
        "legal": legal,
        "parties": parties,
        "agreement": agreement,
        "annexes": b.annexes,
    }
    draft.unplaced = b.unplaced
    draft.check = b.check + draft.check
    return draft


def _first_article_key(agreement: dict[str, Any], annexes: list[dict[str, Any]]) -> str | None:
    """The key of the first article of the imported text, else of an annex's first article, else of the first
    annex (the draft legal model cites it)."""
    bodies = [agreement] + [a["body"] for a in annexes if isinstance(a.get("body"), dict)]
    for body in bodies:
        for part in body.get("parts", []):
            for chapter in part.get("chapters") or []:
                for article in chapter.get("articles", []):
                    return str(article["key"])
            for article in part.get("articles") or []:
                return str(article["key"])
    return str(annexes[0]["key"]) if annexes and annexes[0].get("key") else None
