"""Editor operations on dossier data (plain dicts, as stored): pure functions that return changed data,
plus ``save`` which stores the result as a new version. Keys are made here, never typed by the author."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml
from email_validator import EmailNotValidError, validate_email
from sqlmodel import Session

from service.accounts import tenancy
from service.accounts.service import Principal
from service.dossiers import service as dossiers
from service.dossiers.service import Upload
from service.editor.data import (
    ArticleRef,
    EditorInputError,
    all_articles,
    all_keys,
    articles,
    body_of,
    new_key,
    nodes,
)
from service.editor.data import date_field as _date
from service.editor.data import int_field as _int
from service.editor.data import name_field as _name
from service.editor.data import text_field as _text
from service.editor.decisions import documents as mandate_documents
from service.editor.legal import cited_by
from service.editor.places import mentions, ref_tokens
from service.failures import Conflict
from service.settings import Settings
from templates import Dossier
from templates.dossier.citation import citations
from templates.dossier.legal import V1_TERM_KINDS, draft_legal
from templates.formatting import letter, ordinal, roman
from templates.numbering import reference_targets
from templates.wordimport import WordImport, import_docx
from templates.wordimport.structure import slug

_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml when present: 10x faster than pure Python


def dump(data: dict[str, Any]) -> bytes:
    text = yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=110)
    return text.encode("utf-8")


def current_data(settings: Settings, dossier_id: str) -> dict[str, Any]:
    """The newest version as plain data in the model's own shape (shorthands such as a lid written as a
    plain string become objects), so every editor operation sees one form."""
    dossier = dossiers.get_dossier(settings, dossier_id)
    data = dossier.model_dump(mode="json", exclude_defaults=True)
    if not isinstance(data, dict):
        raise Conflict(f"Dossier '{dossier_id}' is geen object.")
    return data


def save(
    settings: Settings,
    db: Session,
    data: dict[str, Any],
    *,
    author: str,
    comment: str,
    source: str = "editor",
    new_version_after_signing: bool = False,
    owner: Principal | None = None,
) -> Upload:
    """Store the edited dossier as its next version; ``owner``: the signed-in author (tenancy: a new
    dossier is granted to her, another organisation's is never replaced)."""
    return dossiers.upload_and_register(
        settings,
        db,
        dump(data),
        "editor",
        "application/yaml",
        author=author,
        comment=comment,
        source=source,
        new_version_after_signing=new_version_after_signing,
        parsed=data,
        owner=owner,
    )


def unique_id(settings: Settings, wanted: str, db: Session | None = None) -> str:
    """A dossier id not in use: not stored, and (with ``db``) no agreement or grant of anyone by that key
    (tenancy: an id of another organisation's agreement is never taken over)."""

    store = dossiers.store_for(settings)
    base = slug(wanted, 60) or "dossier"
    candidate, n = base, 2
    while store.exists(candidate) or (db is not None and tenancy.key_is_taken(db, candidate)):
        candidate, n = f"{base}-{n}", n + 1
    return candidate


# --- new dossiers -------------------------------------------------------------------------------------------


def empty(title: str, municipality: str, on: date) -> dict[str, Any]:
    """The smallest dossier that passes the checks: a municipality and one article."""
    return {
        "id": "nieuw",
        "title": title,
        "kind": "convenant",
        "municipality": municipality,
        "cooperation": title,
        "schema_version": 2,
        "signing": {"date": on},
        "term": {"start": on, "duration_years": 1},
        "legal": draft_legal("artikel-1"),
        "parties": [
            {
                "key": "gemeente",
                "name": f"Gemeente {municipality}",
                "kind": "gemeente",
                "represented_by": "de burgemeester",
                "signatories": [
                    {"key": "burgemeester", "name": "Nog in te vullen", "function": "burgemeester"}
                ],
            }
        ],
        "agreement": {
            "title": title,
            "parts": [
                {"blocks": [{"p": "De partijen:"}, {"generated": "partijen"}]},
                {
                    "articles": [
                        {
                            "key": "artikel-1",
                            "title": "Doel",
                            "leden": [{"key": "artikel-1-lid-1", "text": "…"}],
                        }
                    ]
                },
                {"ondertekening": True},
            ],
        },
    }


def from_model(settings: Settings, model_id: str, title: str) -> dict[str, Any]:
    data = current_data(settings, model_id)
    data = copy.deepcopy(data)
    data["title"] = title
    if isinstance(data.get("agreement"), dict):
        data["agreement"]["title"] = title
    return data


def from_word(body: bytes, on: date) -> WordImport:
    return import_docx(body, today=on)


# --- the text: chapters, articles, leden, items -------------------------------------------------------------


def _article_part(data: dict[str, Any], document: str = "") -> list[dict[str, Any]]:
    """Where new articles go: the last chapter, or the last part with loose articles (made if none)."""
    parts = body_of(data, document).setdefault("parts", [])
    for part in reversed(parts):
        if part.get("chapters"):
            return part["chapters"][-1]["articles"]  # type: ignore[no-any-return]
        if "articles" in part:
            return part["articles"]  # type: ignore[no-any-return]
    new: dict[str, Any] = {"articles": []}
    at = next((i for i, p in enumerate(parts) if p.get("ondertekening")), len(parts))
    parts.insert(at, new)
    return new["articles"]  # type: ignore[no-any-return]


def add_article(data: dict[str, Any], title: str, first_lid: str, document: str = "") -> dict[str, Any]:
    data = copy.deepcopy(data)
    key = new_key(data, f"artikel-{slug(title, 30)}")
    article: dict[str, Any] = {"key": key, "title": _text(title, "titel", "Titel van het artikel")}
    article["leden"] = [{"key": new_key(data, f"{key}-lid-1"), "text": _text(first_lid, "lid", "Eerste lid")}]
    _article_part(data, document).append(article)
    return data


def find_article(data: dict[str, Any], key: str) -> ArticleRef:
    for ref in all_articles(data):
        if ref.holder[ref.index].get("key") == key:
            return ref
    raise EditorInputError("artikel", "Dit artikel bestaat niet (meer); laad de pagina opnieuw.")


def _chapter_lists(body: dict[str, Any]) -> list[list[dict[str, Any]]]:
    return [ch["articles"] for part in body.get("parts", []) for ch in part.get("chapters") or []]


def move_article(data: dict[str, Any], key: str, step: int) -> dict[str, Any]:
    """One place up or down; the first article of a chapter moves up into the end of the chapter before it
    (and the last one down into the next chapter)."""
    data = copy.deepcopy(data)
    ref = find_article(data, key)
    j = ref.index + step
    if 0 <= j < len(ref.holder):
        ref.holder[ref.index], ref.holder[j] = ref.holder[j], ref.holder[ref.index]
        return data
    lists = _chapter_lists(ref.body or data["agreement"])
    at = next((i for i, lst in enumerate(lists) if lst is ref.holder), None)
    if at is None or not 0 <= at + step < len(lists):
        return data
    if len(ref.holder) == 1:
        raise EditorInputError(
            "artikel", "Een hoofdstuk houdt ten minste één artikel; verwijder het hoofdstuk."
        )
    article = ref.holder.pop(ref.index)
    target = lists[at + step]
    if step < 0:
        target.append(article)
    else:
        target.insert(0, article)
    return data


def add_chapter(
    data: dict[str, Any], title: str, article_title: str, first_lid: str, document: str = ""
) -> dict[str, Any]:
    """A new chapter at the end of the chapters, with its first article."""
    data = copy.deepcopy(data)
    parts = body_of(data, document).setdefault("parts", [])
    holder = next((p for p in reversed(parts) if p.get("chapters")), None)
    if holder is None:
        raise EditorInputError(
            "hoofdstuk",
            "Deze tekst heeft geen hoofdstukken: voeg artikelen toe, of begin met een model met "
            "hoofdstukken.",
        )
    chapter_key = new_key(data, f"hoofdstuk-{slug(title, 30)}")
    article_key = new_key(data, f"artikel-{slug(article_title, 30)}")
    holder["chapters"].append(
        {
            "key": chapter_key,
            "title": _text(title, "hoofdstuk", "Titel van het hoofdstuk"),
            "articles": [
                {
                    "key": article_key,
                    "title": _text(article_title, "titel", "Titel van het eerste artikel"),
                    "leden": [{"key": f"{article_key}-lid-1", "text": _text(first_lid, "lid", "Eerste lid")}],
                }
            ],
        }
    )
    return data


@dataclass(frozen=True)
class ChapterRef:
    at: str  # "part.chapter" within its document
    title: str
    articles: int


def chapters(data: dict[str, Any], document: str = "") -> list[ChapterRef]:
    """The chapters of one document, in order."""
    return [
        ChapterRef(f"{pi}.{ci}", ch.get("title", ""), len(ch.get("articles") or []))
        for pi, part in enumerate(body_of(data, document).get("parts", []))
        for ci, ch in enumerate(part.get("chapters") or [])
    ]


def _chapter(data: dict[str, Any], at: str, document: str) -> tuple[dict[str, Any], int]:
    pi, _, ci = at.partition(".")
    parts = body_of(data, document).get("parts", [])
    if pi.isdigit() and ci.isdigit() and int(pi) < len(parts):
        part = parts[int(pi)]
        if int(ci) < len(part.get("chapters") or []):
            return part, int(ci)
    raise EditorInputError("hoofdstuk", "Dit hoofdstuk bestaat niet (meer); laad de pagina opnieuw.")


def rename_chapter(data: dict[str, Any], at: str, title: str, document: str = "") -> dict[str, Any]:
    data = copy.deepcopy(data)
    part, ci = _chapter(data, at, document)
    part["chapters"][ci]["title"] = _text(title, "hoofdstuk", "Titel van het hoofdstuk")
    return data


def remove_chapter(data: dict[str, Any], at: str, document: str = "") -> dict[str, Any]:
    """Remove a chapter with its articles, unless a text refers to it or to one of its articles (the refusal
    names the referring article) or the legal model rests on them."""
    data = copy.deepcopy(data)
    part, ci = _chapter(data, at, document)
    chapter = part["chapters"][ci]
    used = referrers(data, all_keys({"c": chapter}))
    if used:
        raise EditorInputError(
            "hoofdstuk",
            f"Hoofdstuk '{chapter.get('title', '')}' kan niet weg: {', '.join(used)} verwijst naar het "
            "hoofdstuk of naar een artikel erin. Haal eerst die verwijzing weg.",
        )
    del part["chapters"][ci]
    if not part["chapters"]:
        part.pop("chapters")
    if not articles(data, document):
        raise EditorInputError(
            "hoofdstuk", "Het laatste hoofdstuk kan niet weg: de tekst heeft ten minste één artikel."
        )
    return data


def remove_item(data: dict[str, Any], item_key: str) -> dict[str, Any]:
    """Remove one point (a, b, …) of a lid, unless the text refers to it."""
    data = copy.deepcopy(data)
    used = referrers(data, {item_key})
    if used:
        raise EditorInputError("onderdeel", f"Dit onderdeel kan niet weg: {', '.join(used)} verwijst ernaar.")
    for holder in _item_lists(data):
        if any(i.get("key") == item_key for i in holder):
            holder[:] = [i for i in holder if i.get("key") != item_key]
            return data
    raise EditorInputError("onderdeel", "Dit onderdeel bestaat niet (meer); laad de pagina opnieuw.")


def _item_lists(data: dict[str, Any]) -> list[list[dict[str, Any]]]:
    """Every list of points (a, b, …) and sub-points (i, ii, …) in the leden of every document."""
    out: list[list[dict[str, Any]]] = []

    def walk(items: list[dict[str, Any]]) -> None:
        out.append(items)
        for item in items:
            if item.get("items"):
                walk(item["items"])

    for ref in all_articles(data):
        for lid in ref.holder[ref.index].get("leden", []):
            if lid.get("items"):
                walk(lid["items"])
    return out


def points_of(article: dict[str, Any]) -> list[tuple[str, str]]:
    """(key, "lid 2, onder a — first words") for every point and sub-point (", sub ii") of an article."""

    out: list[tuple[str, str]] = []

    def walk(items: list[dict[str, Any]], prefix: str, depth: int) -> None:
        for n, item in enumerate(items, 1):
            label = f"{prefix}, onder {letter(n)}" if depth == 0 else f"{prefix}, sub {roman(n).lower()}"
            if item.get("key"):
                words = item.get("text", "").split()
                out.append((item["key"], f"{label} — {' '.join(words[:8])}{' …' if len(words) > 8 else ''}"))
            walk(item.get("items") or [], label, depth + 1)

    for li, lid in enumerate(article.get("leden") or [], 1):
        walk(lid.get("items") or [], f"lid {li}", 0)
    return out


def move_item(data: dict[str, Any], item_key: str, step: int) -> dict[str, Any]:
    """A point (or sub-point) one place up or down within its list; its letter follows the place."""
    data = copy.deepcopy(data)
    for holder in _item_lists(data):
        at = next((n for n, i in enumerate(holder) if i.get("key") == item_key), None)
        if at is not None:
            j = at + step
            if 0 <= j < len(holder):
                holder[at], holder[j] = holder[j], holder[at]
            return data
    raise EditorInputError("onderdeel", "Dit onderdeel bestaat niet (meer); laad de pagina opnieuw.")


def move_lid(data: dict[str, Any], lid_key: str, step: int) -> dict[str, Any]:
    """A lid one place up or down within its article. Its number follows the place; its key stays, so a
    reference to it prints the new number. At the edge the move is refused (nothing is stored)."""
    data = copy.deepcopy(data)
    for ref in all_articles(data):
        leden = ref.holder[ref.index].get("leden") or []
        keys = [lid.get("key") if isinstance(lid, dict) else None for lid in leden]
        at = keys.index(lid_key) if lid_key in keys else None
        if at is None:
            continue
        j = at + step
        if not 0 <= j < len(leden):
            where = "het eerste lid en kan niet verder omhoog"
            if step > 0:
                where = "het laatste lid en kan niet verder omlaag"
            raise EditorInputError("lid", f"Dit lid van {ref.name.lower()} is al {where}.")
        leden[at], leden[j] = leden[j], leden[at]
        return data
    raise EditorInputError("lid", "Dit lid bestaat niet (meer); laad de pagina opnieuw.")


def move_chapter(data: dict[str, Any], at: str, step: int, document: str = "") -> dict[str, Any]:
    """A chapter (with its articles) one place up or down; chapter and article numbers follow the place,
    keys stay, so references print the new numbers. At the edge the move is refused."""
    data = copy.deepcopy(data)
    part, ci = _chapter(data, at, document)
    chapters_ = part["chapters"]
    j = ci + step
    if not 0 <= j < len(chapters_):
        where = "bovenaan en kan niet verder omhoog" if step < 0 else "onderaan en kan niet verder omlaag"
        raise EditorInputError("hoofdstuk", f"Hoofdstuk '{chapters_[ci].get('title', '')}' staat al {where}.")
    chapters_[ci], chapters_[j] = chapters_[j], chapters_[ci]
    return data


def referrers(data: dict[str, Any], keys: set[str]) -> list[str]:
    """Where the texts (of every document) refer to one of ``keys``, and which items of the legal model
    rest on them: the printed places, for a refusal ("artikel 4, tweede lid", "bijlage 1, artikel 2")."""
    # the legal model cites provisions as its source
    return mentions(data, ref_tokens(keys), inside=keys) + cited_by(data, keys)


def remove_article(data: dict[str, Any], key: str) -> dict[str, Any]:
    data = copy.deepcopy(data)
    ref = find_article(data, key)
    article = ref.holder[ref.index]
    same_text = [a for a in all_articles(data) if a.body is ref.body]
    if len(same_text) == 1:
        raise EditorInputError(
            "artikel", "Het laatste artikel kan niet weg: een overeenkomst heeft ten minste één artikel."
        )
    keys = all_keys({"a": article})
    used = referrers(data, keys)
    if used:
        raise EditorInputError(
            "artikel",
            f"{ref.name} kan niet weg: {', '.join(used)} verwijst ernaar. Haal eerst die verwijzing weg.",
        )
    del ref.holder[ref.index]
    if ref.holder == [] and ref.chapter is not None:
        raise EditorInputError(
            "artikel",
            f"{ref.name} is het enige artikel van hoofdstuk '{ref.chapter}': verwijder het hoofdstuk.",
        )
    if not all_articles(data):
        raise EditorInputError(
            "artikel", "Het laatste artikel kan niet weg: een overeenkomst heeft ten minste één artikel."
        )
    return data


def update_article(data: dict[str, Any], key: str, title: str, leden: list[str]) -> dict[str, Any]:
    """New title and lid texts; an empty lid text removes that lid (unless something refers to it)."""
    data = copy.deepcopy(data)
    ref = find_article(data, key)
    article = ref.holder[ref.index]
    if title.strip():
        article["title"] = _text(title, "titel", f"Titel van {ref.name.lower()}")
    old = article.get("leden", [])
    new_leden = []
    for i, lid in enumerate(old):
        text = leden[i] if i < len(leden) else lid["text"]
        if not text.strip():
            used = referrers(data, all_keys({"l": lid}))
            if used:
                raise EditorInputError(
                    f"lid-{i + 1}",
                    f"{ref.name}, {ordinal(i + 1)} lid kan niet weg: {', '.join(used)} verwijst ernaar.",
                )
            continue
        lid["text"] = _text(text, f"lid-{i + 1}", f"{ref.name}, {ordinal(i + 1)} lid")
        new_leden.append(lid)
    if not new_leden and not article.get("intro") and not article.get("blocks"):
        raise EditorInputError("lid-1", f"{ref.name} heeft ten minste één lid nodig.")
    article["leden"] = new_leden
    return data


def add_lid(data: dict[str, Any], key: str, text: str) -> dict[str, Any]:
    data = copy.deepcopy(data)
    ref = find_article(data, key)
    article = ref.holder[ref.index]
    leden = article.setdefault("leden", [])
    leden.append(
        {"key": new_key(data, f"{key}-lid-{len(leden) + 1}"), "text": _text(text, "nieuw-lid", "Nieuw lid")}
    )
    return data


def add_item(data: dict[str, Any], lid_key: str, text: str) -> dict[str, Any]:
    """A point (a, b, …) at the end of a lid, or a sub-point (i, ii, …) under a point (``lid_key`` is then
    the point's key)."""
    data = copy.deepcopy(data)
    for holder in _item_lists(data):
        for point in holder:
            if point.get("key") == lid_key and lid_key:
                subs = point.setdefault("items", [])
                subs.append(
                    {
                        "key": new_key(data, f"{lid_key}-{len(subs) + 1}"),
                        "text": _text(text, "onderdeel", "Nieuw subonderdeel"),
                    }
                )
                return data
    for ref in all_articles(data):
        for lid in ref.holder[ref.index].get("leden", []):
            if lid.get("key") == lid_key:
                items = lid.setdefault("items", [])
                items.append(
                    {
                        "key": new_key(data, f"{lid_key}-{letter(len(items) + 1)}"),
                        "text": _text(text, "onderdeel", "Nieuw onderdeel"),
                    }
                )
                return data
    raise EditorInputError("onderdeel", "Dit lid bestaat niet (meer); laad de pagina opnieuw.")


@dataclass(frozen=True)
class RefChoice:
    key: str
    label: str  # "artikel 13, tweede lid — De partners …"


def _path_order(path: str) -> tuple[tuple[int, int, str], ...]:
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in path.split("."))


def reference_choices(dossier: Dossier, data: dict[str, Any]) -> list[RefChoice]:
    """Every chapter, article, lid and item of every document (the agreement, its annexes, the besluit) in
    document order, as the documents cite it ("artikel 11, tweede lid, van bijlage 1"), with its first
    words — for the reference picker and for choosing the provision an item of the legal model rests on."""

    targets = reference_targets(dossier)[0]
    labels = citations(dossier, targets)
    texts: dict[str, str] = {}

    for node in nodes(data):
        key = node.get("key")
        if isinstance(key, str) and key in targets and key not in texts:
            texts[key] = str(node.get("text") or node.get("title") or "")

    def first_words(text: str) -> str:
        plain = re.sub(r"\[\[[^\]]*\]\]", "…", text)
        words = plain.split()
        return " ".join(words[:8]) + (" …" if len(words) > 8 else "")

    out: list[RefChoice] = []
    for key, target in sorted(targets.items(), key=lambda kv: _path_order(kv[1].path)):
        if target.kind == "document":
            continue
        words = first_words(texts.get(key, ""))
        out.append(RefChoice(key, f"{labels[key]} — {words}" if words else labels[key]))
    return out


PLACEHOLDER = "[verwijzing]"


def insert_reference(data: dict[str, Any], lid_key: str, target: str) -> dict[str, Any]:
    """Put ``[[ref:target]]`` where the lid's text says [verwijzing] (or at its end)."""
    data = copy.deepcopy(data)
    if target not in all_keys(data):
        raise EditorInputError("doel", "Kies een artikel, lid of onderdeel uit de lijst.")
    for ref in all_articles(data):
        for lid in ref.holder[ref.index].get("leden", []):
            if lid.get("key") == lid_key:
                token = f"[[ref:{target}]]"
                if PLACEHOLDER in lid["text"]:
                    lid["text"] = lid["text"].replace(PLACEHOLDER, token, 1)
                else:
                    lid["text"] = f"{lid['text'].rstrip()} {token}"
                return data
    raise EditorInputError("lid", "Kies het lid waarin de verwijzing komt.")


# --- general data, parties, signatories, budget -------------------------------------------------------------

KINDS = {
    "gemeente": "gemeente",
    "stadsdeel": "stadsdeel",
    "politie": "politie",
    "woningcorporatie": "woningcorporatie",
    "zorg": "zorginstelling",
    "welzijn": "welzijnsorganisatie",
    "onderwijs": "onderwijs",
    "overig": "overig",
}
RENEWALS = {
    "geen": "geen verlenging",
    "na_evaluatie": "verlenging na schriftelijke evaluatie",
    "stilzwijgend": "stilzwijgende verlenging",
}


def update_general(data: dict[str, Any], form: dict[str, str]) -> dict[str, Any]:
    data = copy.deepcopy(data)
    data["title"] = _name(form.get("titel", ""), "titel", "Titel", 2000)
    data.setdefault("agreement", {})["title"] = data["title"]
    gemeente = " ".join(form.get("gemeente", "").split())
    regio = " ".join(form.get("regio", "").split())
    if not gemeente and not regio:
        raise EditorInputError(
            "gemeente", "Gemeente of regio: vul de gemeente in, of de regio waarvoor het geldt."
        )
    if gemeente:
        data["municipality"] = _name(gemeente, "gemeente", "Gemeente")
    else:
        data.pop("municipality", None)
    if regio:
        members = [" ".join(m.split()) for m in form.get("regio_gemeenten", "").split(",") if m.strip()]
        data["region"] = {"name": _name(regio, "regio", "Regio"), "municipalities": members}
    else:
        data.pop("region", None)
    data["cooperation"] = _name(
        form.get("samenwerkingsverband", ""), "samenwerkingsverband", "Samenwerkingsverband"
    )
    kind = form.get("soort", "convenant")
    if kind not in ("convenant", "samenwerkingsovereenkomst"):
        raise EditorInputError("soort", "Soort: kies convenant of samenwerkingsovereenkomst.")
    data["kind"] = kind
    signing = data.setdefault("signing", {})
    signing["date"] = _date(
        form.get("datum_ondertekening", ""), "datum_ondertekening", "Datum van ondertekening"
    )
    place = " ".join(form.get("plaats_ondertekening", "").split())
    if place:
        signing["place"] = place
    else:
        signing.pop("place", None)
    term = data.setdefault("term", {})
    term["start"] = _date(form.get("looptijd_start", ""), "looptijd_start", "Ingangsdatum")
    term.pop("end", None)
    term["duration_years"] = _int(
        form.get("looptijd_jaren", ""), "looptijd_jaren", "Looptijd in jaren", 1, 50
    )
    renewal = form.get("verlenging", "geen")
    if renewal not in RENEWALS:
        raise EditorInputError("verlenging", "Verlenging: kies een van de mogelijkheden.")
    # The term rule lives in the legal model (legal.term), with the provision it rests on.
    rule = data.setdefault("legal", {}).setdefault("term", {"source": []})
    rule["kind"] = V1_TERM_KINDS[renewal]
    if not rule.get("source"):
        first = next((a.holder[a.index].get("key") for a in articles(data)), None)
        rule["source"] = [first] if first else []
    rule["renewal_years"] = _int(
        form.get("verlenging_jaren", "1") or "1", "verlenging_jaren", "Duur van een verlenging", 1, 10
    )
    if renewal == "stilzwijgend":
        rule["objection"] = "meerderheid" if form.get("bezwaar") == "meerderheid" else "ieder"
        rule.setdefault("objection_source", list(rule["source"]))
    else:
        rule.pop("objection", None)
    return data


def renewal_choice(data: dict[str, Any]) -> str:
    """The editor's renewal choice for the dossier's term rule (legal.term.kind)."""
    kind = ((data.get("legal") or {}).get("term") or {}).get("kind", "vast")
    return next((k for k, v in V1_TERM_KINDS.items() if v == kind), "geen")


def _party(data: dict[str, Any], key: str) -> dict[str, Any]:
    for p in data.get("parties", []):
        if p.get("key") == key:
            return p  # type: ignore[no-any-return]
    raise EditorInputError("partij", "Deze partij bestaat niet (meer); laad de pagina opnieuw.")


def add_party(data: dict[str, Any], form: dict[str, str]) -> dict[str, Any]:
    data = copy.deepcopy(data)
    name = _name(form.get("naam", ""), "naam", "Naam van de partij")
    kind = form.get("soort", "overig")
    if kind not in KINDS:
        raise EditorInputError("soort", "Soort partij: kies een van de mogelijkheden.")
    party: dict[str, Any] = {"key": new_key(data, name), "name": name, "kind": kind, "signatories": []}
    rep = " ".join(form.get("vertegenwoordiger", "").split())
    if rep:
        party["represented_by"] = rep
    signer = " ".join(form.get("ondertekenaar", "").split())
    if signer:
        sig = {"key": new_key(data, signer.split()[-1])}
        party["signatories"].append(
            _signatory_fields(
                sig,
                data,
                {
                    "functie": form.get("ondertekenaar_functie", ""),
                    "email": form.get("ondertekenaar_email", ""),
                },
                signer,
            )
        )
    data.setdefault("parties", []).append(party)
    return data


def update_party(data: dict[str, Any], key: str, form: dict[str, str]) -> dict[str, Any]:
    data = copy.deepcopy(data)
    party = _party(data, key)
    party["name"] = _name(form.get("naam", ""), "naam", "Naam van de partij")
    kind = form.get("soort", party.get("kind", "overig"))
    if kind not in KINDS:
        raise EditorInputError("soort", "Soort partij: kies een van de mogelijkheden.")
    party["kind"] = kind
    rep = " ".join(form.get("vertegenwoordiger", "").split())
    if rep:
        party["represented_by"] = rep
    else:
        party.pop("represented_by", None)
    return data


def move_party(data: dict[str, Any], key: str, step: int) -> dict[str, Any]:
    data = copy.deepcopy(data)
    parties = data.get("parties", [])
    i = next((n for n, p in enumerate(parties) if p.get("key") == key), None)
    if i is None:
        raise EditorInputError("partij", "Deze partij bestaat niet (meer).")
    j = i + step
    if 0 <= j < len(parties):
        parties[i], parties[j] = parties[j], parties[i]
    return data


def remove_party(data: dict[str, Any], key: str) -> dict[str, Any]:
    data = copy.deepcopy(data)
    party = _party(data, key)
    if len(data["parties"]) == 1:
        raise EditorInputError("partij", "De laatste partij kan niet weg.")
    text = yaml.safe_dump({k: v for k, v in data.items() if k != "parties"}, allow_unicode=True)
    if f"[[partij:{key}]]" in text or (data.get("besluit") and key in data["besluit"].get("recipients", [])):
        raise EditorInputError(
            "partij",
            f"Partij '{party['name']}' wordt in de tekst of in het besluit genoemd; haal dat eerst weg.",
        )
    data["parties"] = [p for p in data["parties"] if p.get("key") != key]
    return data


def add_signatory(data: dict[str, Any], party_key: str, form: dict[str, str]) -> dict[str, Any]:
    data = copy.deepcopy(data)
    party = _party(data, party_key)
    name = _name(form.get("naam", ""), "naam", "Naam van de ondertekenaar")
    signatory = _signatory_fields({"key": new_key(data, name.split()[-1])}, data, form, name)
    party.setdefault("signatories", []).append(signatory)
    return data


def _signatory_fields(
    s: dict[str, Any], data: dict[str, Any], form: dict[str, str], name: str
) -> dict[str, Any]:
    s["name"] = name
    s["function"] = _name(form.get("functie", ""), "functie", "Functie van de ondertekenaar")
    email = form.get("email", "").strip()
    if email:
        try:  # the same check as an invitation's address (email-validator, no DNS look-up)
            validate_email(email, check_deliverability=False)
        except EmailNotValidError:
            raise EditorInputError(
                "email", f"E-mailadres van {name}: '{email[:60]}' is geen e-mailadres."
            ) from None
        s["email"] = email
    else:
        s.pop("email", None)
    capacity = form.get("hoedanigheid", "vertegenwoordiger")
    if capacity not in ("vertegenwoordiger", "mandaat"):
        raise EditorInputError("hoedanigheid", "Hoedanigheid: kies vertegenwoordiger of mandaat.")
    s["capacity"] = capacity
    mandate = form.get("mandaat", "").strip()
    if capacity == "mandaat":
        keys = [m.get("key") for m in data.get("mandates", [])]
        if mandate not in keys:
            raise EditorInputError("mandaat", f"{name} tekent krachtens mandaat: kies het mandaatbesluit.")
        s["mandate"] = mandate
    else:
        s.pop("mandate", None)
    behalf = " ".join(form.get("namens", "").split())
    if behalf:
        s["on_behalf_of"] = behalf
    else:
        s.pop("on_behalf_of", None)
    return s


def update_signatory(data: dict[str, Any], party_key: str, key: str, form: dict[str, str]) -> dict[str, Any]:
    data = copy.deepcopy(data)
    party = _party(data, party_key)
    for s in party.get("signatories", []):
        if s.get("key") == key:
            _signatory_fields(s, data, form, _name(form.get("naam", ""), "naam", "Naam van de ondertekenaar"))
            return data
    raise EditorInputError("ondertekenaar", "Deze ondertekenaar bestaat niet (meer).")


def remove_signatory(data: dict[str, Any], party_key: str, key: str) -> dict[str, Any]:
    data = copy.deepcopy(data)
    party = _party(data, party_key)
    party["signatories"] = [s for s in party.get("signatories", []) if s.get("key") != key]
    return data


def update_budget(data: dict[str, Any], form: dict[str, str]) -> dict[str, Any]:

    data = copy.deepcopy(data)
    raw = form.get("per_jaar", "").strip().replace("€", "").replace(".", "").replace(",", ".").strip()
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        raise EditorInputError(
            "per_jaar", "Bijdrage per jaar: geef een bedrag, bijvoorbeeld 195.000,00."
        ) from None
    if amount < 0 or amount > Decimal("999999999999"):
        raise EditorInputError("per_jaar", "Bijdrage per jaar: geef een bedrag van 0 of meer.")
    years = _int(form.get("jaren", "1"), "jaren", "Aantal jaren", 1, 10)
    budget = data.get("budget")
    if budget is None:
        budget = {
            "per_year": str(amount),
            "years": years,
            "groups": [{"label": "Begroting", "lines": [{"label": "Nog te verdelen", "remainder": True}]}],
        }
        data["budget"] = budget
    budget["per_year"] = f"{amount:.2f}"
    budget["years"] = years
    return data


def update_besluit(data: dict[str, Any], form: dict[str, str]) -> dict[str, Any]:
    data = copy.deepcopy(data)
    besluit = data.get("besluit")
    if not besluit:
        raise EditorInputError(
            "besluit", "Dit dossier heeft geen artikel 20-besluit; upload of importeer het eerst."
        )
    issuer = besluit.setdefault("issuer", {})
    issuer["name"] = _name(form.get("naam", ""), "besluit_naam", "Naam van wie het besluit neemt")
    issuer["function"] = _name(
        form.get("functie", ""), "besluit_functie", "Functie van wie het besluit neemt"
    )
    besluit["eenheid"] = _name(form.get("eenheid", ""), "eenheid", "Politie-eenheid")
    besluit["date"] = _date(form.get("datum", ""), "besluit_datum", "Datum van het besluit")
    besluit["place"] = _name(form.get("plaats", ""), "besluit_plaats", "Plaats van het besluit")
    besluit["term_years"] = _int(
        form.get("termijn", "3"), "termijn", "Termijn van het besluit in jaren", 1, 10
    )
    recipients = [k for k in form.get("ontvangers", "").split(",") if k]
    if recipients:
        keys = {p["key"] for p in data.get("parties", [])}
        unknown = [k for k in recipients if k not in keys]
        if unknown:
            raise EditorInputError("ontvangers", "Ontvangers: kies partijen uit de lijst.")
        besluit["recipients"] = recipients
    return data


def update_mandate(data: dict[str, Any], key: str, form: dict[str, str]) -> dict[str, Any]:
    data = copy.deepcopy(data)
    for m in data.get("mandates", []):
        if m.get("key") == key:
            m["date"] = _date(form.get("datum", ""), "mandaat_datum", "Datum van het mandaatbesluit")
            until = form.get("geldig_tot", "").strip()
            if until:
                m["valid_until"] = _date(until, "geldig_tot", "Geldig tot")
            else:
                m.pop("valid_until", None)
            m.setdefault("mandatary", {})["name"] = _name(
                form.get("gemandateerde", ""), "gemandateerde", "Naam van de gemandateerde"
            )
            _mandate_details(data, m, form)
            return data
    raise EditorInputError("mandaat", "Dit mandaatbesluit bestaat niet (meer).")


def _mandate_details(data: dict[str, Any], m: dict[str, Any], form: dict[str, str]) -> None:
    """The fields of the mandate form beyond name and dates, each changed only when the form has it."""
    fields = (
        ("gemandateerde_functie", ("mandatary", "function"), "Functie van de gemandateerde"),
        ("mandaatgever", ("mandator", "name"), "Naam van de mandaatgever"),
        ("mandaatgever_functie", ("mandator", "function"), "Functie van de mandaatgever"),
    )
    for field, (who, what), label in fields:
        if field in form:
            m.setdefault(who, {})[what] = _name(form[field], field, label)
    if "plaats" in form:
        m["place"] = _name(form["plaats"], "mandaat_plaats", "Plaats van het mandaatbesluit")
    if "titel" in form:
        m["document_title"] = _name(form["titel"], "titel", "Titel van het mandaatbesluit", 4000)
    if "documenten_formulier" in form:
        chosen = [k for k in form.get("documenten", "").split(",") if k]
        known = set(mandate_documents(data)) | {x.get("key") for x in data.get("mandates", [])}
        if not chosen or any(k not in known for k in chosen):
            raise EditorInputError(
                "documenten",
                "Waarvoor: kies ten minste één document uit de lijst dat de gemandateerde tekent.",
            )
        m["documents"] = chosen


def update_retention(data: dict[str, Any], form: dict[str, str]) -> dict[str, Any]:
    """The legal model's retention period (years), the term to answer a request for inzage (weeks), and the
    provision that establishes them (chosen from the text, never typed)."""
    data = copy.deepcopy(data)
    years = _int(form.get("bewaartermijn", ""), "bewaartermijn", "Bewaartermijn in jaren", 1, 100)
    source = form.get("bron", "").strip()
    if source not in all_keys(data):
        raise EditorInputError("bron", "Bepaling: kies het artikel of lid dat de bewaartermijn vastlegt.")
    retention: dict[str, Any] = {"years": years, "source": [source]}
    weeks = form.get("inzage_weken", "").strip()
    if weeks:
        retention["inzage_weeks"] = _int(weeks, "inzage_weken", "Termijn voor inzage in weken", 1, 52)
        retention["inzage_source"] = [source]
    data.setdefault("legal", {})["retention"] = retention
    return data
