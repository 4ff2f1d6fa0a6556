"""Redline between two versions of a dossier: the agreement (with its annexes) compared section by section
(an article, a chapter heading, a bijlage), words inserted and deleted marked per section, plus a list of
what a jurist checks before asking partners to sign again: parties, signatories, dates, amounts and the
legal model (besluit, mandates and any other part of the dossier).

Sections are matched by their title without the number, so an inserted article does not make every later
article "changed" only because its number moved; a moved number is itself reported.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from templates.documents import build_document
from templates.dossier.model import Dossier
from templates.formatting import format_date, format_money
from templates.pdf import html_pdf, layout_env
from templates.viewmodel import Block

_NUMBER = re.compile(r"^(artikel|hoofdstuk|paragraaf|bijlage)?\s*[\dIVXLC]+(\.\d+)*[.:]?\s+", re.I)


@dataclass
class Section:
    title_old: str | None
    title_new: str | None
    status: str  # "gelijk", "vernummerd" (same text, new number), "gewijzigd", "nieuw", "vervallen"
    tokens: list[tuple[str, str]] = field(default_factory=list)  # ("=", "+", "-"), words

    @property
    def title(self) -> str:
        return self.title_new or self.title_old or ""


@dataclass(frozen=True)
class Change:
    kind: str  # "partij", "ondertekenaar", "datum", "bedrag", "juridisch model", "overig"
    what: str
    old: str
    new: str


@dataclass
class Redline:
    old_label: str
    new_label: str
    title: str
    sections: list[Section]
    changes: list[Change]

    @property
    def changed_sections(self) -> list[Section]:
        return [s for s in self.sections if s.status not in ("gelijk", "vernummerd")]

    @property
    def renumbered(self) -> list[Section]:
        return [s for s in self.sections if s.status == "vernummerd"]


def _block_text(b: Block) -> str:
    text = "".join(r.text for r in b.runs if not r.sup)
    if b.kind == "definition" and b.term:
        text = f"{b.term} {text}"
    if b.kind == "signatures":
        text = " ".join(" ".join([s.party, *s.before, *s.after]) for s in b.signatures)
    if b.kind == "table":
        text = " ".join(f"{r.number} {''.join(x.text for x in r.label)} {r.amount}" for r in b.rows)
    return f"{b.label} {text}".strip() if b.label else text


def _sections(dossier: Dossier) -> list[tuple[str, list[str]]]:
    out: list[tuple[str, list[str]]] = [("Begin", [])]
    for b in build_document(dossier, "overeenkomst").blocks:
        if b.kind in ("page_break", "toc", "meta", "cover"):
            continue
        if b.kind in ("heading", "label"):
            out.append((_block_text(b), []))
            continue
        text = _block_text(b)
        if text:
            out[-1][1].append(text)
    return [(t, body) for t, body in out if body or t != "Begin"]


def _norm(title: str) -> str:
    return _NUMBER.sub("", title).strip().lower()


def _words(lines: list[str]) -> list[str]:
    return [w for line in lines for w in (line.split() + ["¶"])]


def _diff(a: list[str], b: list[str]) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    sm = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            tokens.append(("=", " ".join(a[i1:i2])))
        if op in ("delete", "replace"):
            tokens.append(("-", " ".join(a[i1:i2])))
        if op in ("insert", "replace"):
            tokens.append(("+", " ".join(b[j1:j2])))
    return [(k, t) for k, t in tokens if t]


def compare_text(old: Dossier, new: Dossier) -> list[Section]:
    a, b = _sections(old), _sections(new)
    sm = difflib.SequenceMatcher(a=[_norm(t) for t, _ in a], b=[_norm(t) for t, _ in b], autojunk=False)
    out: list[Section] = []

    def pair(i: int, j: int) -> None:
        (ta, la), (tb, lb) = a[i], b[j]
        wa, wb = _words(la), _words(lb)
        if wa == wb and _norm(ta) == _norm(tb):  # the same text, perhaps under a new number
            out.append(Section(ta, tb, "gelijk" if ta == tb else "vernummerd", [("=", " ".join(wa))]))
        else:
            title_tokens = [] if _norm(ta) == _norm(tb) else [("-", ta), ("+", tb), ("=", "¶")]
            out.append(Section(ta, tb, "gewijzigd", title_tokens + _diff(wa, wb)))

    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            for k in range(i2 - i1):
                pair(i1 + k, j1 + k)
        elif op == "replace":
            n = min(i2 - i1, j2 - j1)
            for k in range(n):
                pair(i1 + k, j1 + k)
            for i in range(i1 + n, i2):
                out.append(Section(a[i][0], None, "vervallen", [("-", " ".join(_words(a[i][1])))]))
            for j in range(j1 + n, j2):
                out.append(Section(None, b[j][0], "nieuw", [("+", " ".join(_words(b[j][1])))]))
        elif op == "delete":
            for i in range(i1, i2):
                out.append(Section(a[i][0], None, "vervallen", [("-", " ".join(_words(a[i][1])))]))
        elif op == "insert":
            for j in range(j1, j2):
                out.append(Section(None, b[j][0], "nieuw", [("+", " ".join(_words(b[j][1])))]))
    return out


def _s(v: Any) -> str:
    if v is None or v == "" or v == []:
        return "—"
    return str(v)


def _money(v: Any) -> str:
    return "—" if v is None else format_money(Decimal(str(v)))


def _date(v: Any) -> str:
    return "—" if v is None else format_date(v)


def compare_facts(old: Dossier, new: Dossier) -> list[Change]:
    out: list[Change] = []

    def diff(kind: str, what: str, a: Any, b: Any, fmt: Any = _s) -> None:
        if a != b:
            out.append(Change(kind, what, fmt(a), fmt(b)))

    diff("overig", "Titel", old.title, new.title)
    old_p = {p.key: p for p in old.parties}
    new_p = {p.key: p for p in new.parties}
    for key, p in old_p.items():
        if key not in new_p:
            out.append(Change("partij", f"Partij '{p.name}'", "partij", "vervallen"))
    for key, p in new_p.items():
        if key not in old_p:
            out.append(Change("partij", f"Partij '{p.name}'", "—", "nieuwe partij"))
            continue
        q = old_p[key]
        diff("partij", f"Partij '{p.name}': naam", q.name, p.name)
        diff("partij", f"Partij '{p.name}': soort", q.kind, p.kind)
        diff("partij", f"Partij '{p.name}': vertegenwoordigd door", q.represented_by, p.represented_by)
        old_s = {s.key: s for s in q.signatories}
        new_s = {s.key: s for s in p.signatories}
        for sk, s in old_s.items():
            if sk not in new_s:
                out.append(
                    Change("ondertekenaar", f"{p.name}: ondertekenaar '{s.name}'", s.name, "vervallen")
                )
        for sk, s in new_s.items():
            if sk not in old_s:
                out.append(
                    Change("ondertekenaar", f"{p.name}: ondertekenaar", "—", f"{s.name}, {s.function}")
                )
                continue
            t = old_s[sk]
            for label, a, b in (
                ("naam", t.name, s.name),
                ("functie", t.function, s.function),
                ("e-mailadres", t.email, s.email),
                ("hoedanigheid", t.capacity, s.capacity),
                ("mandaat", t.mandate, s.mandate),
                ("namens", t.on_behalf_of, s.on_behalf_of),
            ):
                diff("ondertekenaar", f"{p.name}: ondertekenaar '{s.name}', {label}", a, b)
    if [p.key for p in old.parties if p.key in new_p] != [p.key for p in new.parties if p.key in old_p]:
        out.append(Change("partij", "Volgorde van de partijen", "gewijzigd", "gewijzigd"))
    diff("datum", "Datum van ondertekening", old.signing.date, new.signing.date, _date)
    diff("datum", "Plaats van ondertekening", old.signing.place, new.signing.place)
    diff("datum", "Ingangsdatum", old.term.start, new.term.start, _date)
    diff("datum", "Einddatum", old.term.end, new.term.end, _date)
    diff("datum", "Looptijd in jaren", old.term.duration_years, new.term.duration_years)
    ot, nt = old.legal.term, new.legal.term
    diff("juridisch model", "Looptijdregel", ot.kind, nt.kind)
    diff("juridisch model", "Duur van een verlenging (jaren)", ot.renewal_years, nt.renewal_years)
    diff("juridisch model", "Bezwaar tegen verlenging", ot.objection, nt.objection)
    for name, what in (
        ("roles", "Rollen"),
        ("grounds", "Grondslagen"),
        ("conditions", "Voorwaarden"),
        ("flows", "Gegevensstromen"),
        ("prohibitions", "Verboden"),
    ):
        was = {i.key: i.model_dump(mode="json") for i in getattr(old.legal, name)}
        now = {i.key: i.model_dump(mode="json") for i in getattr(new.legal, name)}
        for key in sorted(was.keys() | now.keys()):
            if was.get(key) != now.get(key):
                state = "—" if key not in was else "gewijzigd" if key in now else "vervallen"
                out.append(Change("juridisch model", f"{what}: {key}", state, "—" if key not in now else key))
    ore, nre = old.legal.retention, new.legal.retention
    diff("juridisch model", "Bewaartermijn (jaren)", ore.years if ore else None, nre.years if nre else None)
    ob, nb = old.budget, new.budget
    diff("bedrag", "Bijdrage per jaar", ob.per_year if ob else None, nb.per_year if nb else None, _money)
    diff("bedrag", "Aantal jaren van de begroting", ob.years if ob else None, nb.years if nb else None)
    if ob and nb:
        old_lines = {(g.label, ln.label): ln for g in ob.groups for ln in g.lines}
        for g in nb.groups:
            for ln in g.lines:
                before = old_lines.get((g.label, ln.label))
                if before is None:
                    out.append(Change("bedrag", f"Begroting: {ln.label}", "—", _money(ln.amount)))
                else:
                    diff("bedrag", f"Begroting: {ln.label}", before.amount, ln.amount, _money)
                    diff(
                        "bedrag",
                        f"Begroting: {ln.label} (stukprijs)",
                        before.unit_amount,
                        ln.unit_amount,
                        _money,
                    )
                    diff("bedrag", f"Begroting: {ln.label} (aantal)", before.quantity, ln.quantity)
    ol, nl = old.besluit, new.besluit
    if (ol is None) != (nl is None):
        out.append(
            Change(
                "juridisch model",
                "Artikel 20-besluit",
                "aanwezig" if ol else "—",
                "aanwezig" if nl else "vervallen",
            )
        )
    elif ol is not None and nl is not None:
        diff("datum", "Datum van het artikel 20-besluit", ol.date, nl.date, _date)
        diff("juridisch model", "Besluit: wie het neemt", ol.issuer.name, nl.issuer.name)
        diff("juridisch model", "Besluit: ontvangers", ", ".join(ol.recipients), ", ".join(nl.recipients))
        diff(
            "juridisch model", "Besluit: categorieën politiegegevens", len(ol.categories), len(nl.categories)
        )
        for c_old, c_new in zip(ol.categories, nl.categories, strict=False):
            diff("juridisch model", f"Besluit: categorie '{c_new.key}'", c_old.text, c_new.text)
        diff(
            "juridisch model",
            "Besluit: toegestaan gebruik",
            [u.text for u in ol.uses],
            [u.text for u in nl.uses],
        )
        diff("juridisch model", "Besluit: termijn (jaren)", ol.term_years, nl.term_years)
    om = {m.key: m for m in old.mandates}
    for m in new.mandates:
        prev = om.get(m.key)
        if prev is None:
            out.append(Change("juridisch model", f"Mandaatbesluit '{m.document_title}'", "—", "nieuw"))
            continue
        diff("datum", f"Mandaatbesluit '{m.document_title}': datum", prev.date, m.date, _date)
        diff(
            "datum",
            f"Mandaatbesluit '{m.document_title}': geldig tot",
            prev.valid_until,
            m.valid_until,
            _date,
        )
        diff(
            "juridisch model",
            f"Mandaatbesluit '{m.document_title}': gemandateerde",
            prev.mandatary.name,
            m.mandatary.name,
        )
    for m in old.mandates:
        if m.key not in {x.key for x in new.mandates}:
            out.append(
                Change("juridisch model", f"Mandaatbesluit '{m.document_title}'", "aanwezig", "vervallen")
            )
    known = {
        "title",
        "parties",
        "signing",
        "term",
        "budget",
        "besluit",
        "mandates",
        "agreement",
        "annexes",
        "footnotes",
    }
    od, nd = old.model_dump(mode="json"), new.model_dump(mode="json")
    for key in sorted(set(od) | set(nd)):
        if key not in known and od.get(key) != nd.get(key):
            out.append(
                Change(
                    "juridisch model" if key not in ("id", "schema_version") else "overig",
                    f"Veld '{key}'",
                    "zie vorige versie",
                    "gewijzigd",
                )
            )
    return out


def compare(old: Dossier, new: Dossier, old_label: str, new_label: str) -> Redline:
    return Redline(old_label, new_label, new.title, compare_text(old, new), compare_facts(old, new))


def redline_html(redline: Redline, *, standalone: bool = True) -> str:
    return layout_env().get_template("redline.html.j2").render(r=redline, standalone=standalone)


def redline_pdf(redline: Redline) -> bytes:
    """The comparison as a PDF (same fonts and project assets as the documents; nothing else is fetched)."""
    return html_pdf(redline_html(redline), document_css=True)
