"""Editor operations on the legal model (``Dossier.legal``): roles, legal grounds, conditions, data flows and
prohibitions added, changed and removed with forms. Pure functions on the stored data (plain dicts) that
return changed data; keys are made here from the author's words, never typed. Every item cites the
provision(s) of this dossier that establish it (``source``), chosen from the reference picker's list.

An item that another item uses cannot be removed: the refusal names what uses it (a flow, a condition, a
prohibition) with the provision that item rests on."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from typing import Any

from service.editor.data import EditorInputError, all_keys, articles, new_key, text_field
from service.editor.data import name_field as _name
from templates import Dossier
from templates.dossier.citation import citations
from templates.dossier.legal import DATA_LABELS
from templates.formatting import letter, ordinal

GROUND_KINDS = {
    "wpg": "Wet politiegegevens",
    "besluit_politiegegevens": "Besluit politiegegevens",
    "avg": "AVG (artikel 6 of 9)",
    "toestemming": "toestemming van de betrokkene",
    "vitaal_belang": "vitaal belang",
    "sectorwet": "sectorwet (Jeugdwet, Wmo 2015, Wgbo, …)",
    "overig": "overige grondslag",
}
CONDITION_KINDS = {
    "aanwijzing": "aangewezen of uitgenodigd door de partij",
    "verklaring": "heeft een geheimhoudingsverklaring ondertekend",
    "besluit": "het artikel 20-besluit is van kracht",
    "ontvanger_in_besluit": "de partij van de ontvanger staat in het besluit",
    "deelname_overleg": "neemt deel aan het overleg",
    "per_geval": "per geval te wegen (wordt niet automatisch gecontroleerd)",
}
# form action prefix -> (list in data["legal"], what the author calls it)
KINDS = {
    "rol": ("roles", "Rol"),
    "grond": ("grounds", "Grondslag"),
    "voorwaarde": ("conditions", "Voorwaarde"),
    "stroom": ("flows", "Gegevensstroom"),
    "verbod": ("prohibitions", "Verbod"),
    "gebruiksdoel": ("purposes", "Doel"),
}


def keys_of(form: dict[str, str], name: str) -> list[str]:
    """A field chosen several times (checkboxes, a multiple select) arrives as keys separated by commas."""
    return [k for k in (p.strip() for p in form.get(name, "").split(",")) if k]


def _long(value: str, field: str, what: str) -> str:
    return text_field(value, field, what, limit=4000, empty="vul dit in")


def provision_places(data: dict[str, Any]) -> dict[str, str]:
    """Every article, lid and item of the agreement -> how the documents print it ("artikel 4, tweede lid,
    onder a"), counted as the generator counts."""
    places: dict[str, str] = {}
    for ref in articles(data):
        article = ref.holder[ref.index]
        places[article["key"]] = f"artikel {ref.number}"
        for li, lid in enumerate(article.get("leden", []), 1):
            if lid.get("key"):
                places[lid["key"]] = f"artikel {ref.number}, {ordinal(li)} lid"
            for ii, item in enumerate(lid.get("items", []), 1):
                if item.get("key"):
                    places[item["key"]] = f"artikel {ref.number}, {ordinal(li)} lid, onder {letter(ii)}"
    return places


def _sources(data: dict[str, Any], form: dict[str, str], what: str) -> list[str]:
    chosen = keys_of(form, "bron")
    if not chosen:
        raise EditorInputError(
            "bron",
            f"{what}: kies de bepaling van het convenant die dit vastlegt (artikel, lid of onderdeel).",
        )
    known = all_keys(data)
    if any(k not in known for k in chosen):
        raise EditorInputError("bron", f"{what}: kies de bepaling uit de lijst; laad de pagina opnieuw.")
    return chosen


def _chosen(
    data: dict[str, Any], form: dict[str, str], field: str, part: str, what: str, *, at_least_one: str = ""
) -> list[str]:
    chosen = keys_of(form, field)
    known = {i["key"] for i in data.get("legal", {}).get(part, [])}
    if any(k not in known for k in chosen):
        raise EditorInputError(field, f"{what}: kies uit de lijst; laad de pagina opnieuw.")
    if at_least_one and not chosen:
        raise EditorInputError(field, f"{what}: {at_least_one}")
    return chosen


def describe_item(data: dict[str, Any], part: str, item: dict[str, Any]) -> str:
    """An item of the legal model in words: "rol 'wijkagent'", "gegevensstroom 'politiegegevens van
    wijkagent aan partnerprofessional'"."""
    legal = data.get("legal", {})
    label = {r["key"]: r.get("label", r["key"]) for r in legal.get("roles", [])}
    if part == "roles":
        return f"rol '{item.get('label', item['key'])}'"
    if part == "grounds":
        return f"grondslag '{item.get('label', item['key'])}'"
    if part == "conditions":
        return f"voorwaarde '{_short(item.get('text', item['key']))}'"
    if part == "purposes":
        return f"doel '{_short(item.get('text', item['key']))}'"
    if part == "prohibitions":
        return f"verbod '{_short(item.get('text', item['key']))}'"
    if part == "flows":
        src = ", ".join(label.get(k, k) for k in item.get("from_roles", []))
        dst = ", ".join(label.get(k, k) for k in item.get("to_roles", []))
        kind = DATA_LABELS.get(item.get("data", ""), item.get("data", ""))
        return f"gegevensstroom '{kind} van {src} aan {dst}'"
    return f"'{item['key']}'"


def _short(text: str, words: int = 8) -> str:
    w = text.split()
    return " ".join(w[:words]) + (" …" if len(w) > words else "")


def _with_place(data: dict[str, Any], what: str, item: dict[str, Any]) -> str:
    """``what`` with the provisions ``item`` rests on, as the documents cite them."""
    try:
        places = citations(Dossier.model_validate(data), item.get("source", []))
    except ValueError:  # not a whole dossier: the agreement's own numbering
        places = provision_places(data)
    cited = [places[k] for k in item.get("source", []) if k in places]
    return f"{what} ({', '.join(cited)})" if cited else what


# --- fill one item from its form ------------------------------------------------------------------------


def _fill_role(data: dict[str, Any], item: dict[str, Any], form: dict[str, str]) -> None:
    item["label"] = _name(form.get("label", ""), "label", "Naam van de rol")
    definition = form.get("definitie", "").replace("\r\n", "\n").strip()
    if definition:
        item["definition"] = _long(definition, "definitie", f"Definitie van de rol '{item['label']}'")
    else:
        item.pop("definition", None)
    item["of_party"] = form.get("partij") == "ja"
    item["source"] = _sources(data, form, f"Rol '{item['label']}'")


def _fill_ground(data: dict[str, Any], item: dict[str, Any], form: dict[str, str]) -> None:
    kind = form.get("soort", "")
    if kind not in GROUND_KINDS:
        raise EditorInputError("soort", "Soort grondslag: kies een van de mogelijkheden.")
    item["kind"] = kind
    item["label"] = _long(form.get("label", ""), "label", "Grondslag (zoals het convenant haar noemt)")
    item["source"] = _sources(data, form, f"Grondslag '{_short(item['label'])}'")


def _fill_condition(data: dict[str, Any], item: dict[str, Any], form: dict[str, str]) -> None:
    kind = form.get("soort", "")
    if kind not in CONDITION_KINDS:
        raise EditorInputError("soort", "Soort voorwaarde: kies een van de mogelijkheden.")
    item["kind"] = kind
    item["text"] = _long(form.get("tekst", ""), "tekst", "Voorwaarde (in woorden)")
    item["roles"] = _chosen(data, form, "rollen", "roles", "Voor welke rollen")
    item["source"] = _sources(data, form, f"Voorwaarde '{_short(item['text'])}'")


def _fill_flow(data: dict[str, Any], item: dict[str, Any], form: dict[str, str]) -> None:
    kind = form.get("gegevens", "")
    if kind not in DATA_LABELS:
        raise EditorInputError("gegevens", "Welke gegevens: kies een van de mogelijkheden.")
    item["data"] = kind
    item["from_roles"] = _chosen(
        data, form, "van", "roles", "Van welke rol", at_least_one="kies ten minste één rol die verstrekt."
    )
    item["to_roles"] = _chosen(
        data, form, "naar", "roles", "Aan welke rol", at_least_one="kies ten minste één rol die ontvangt."
    )
    item["grounds"] = _chosen(
        data,
        form,
        "gronden",
        "grounds",
        "Grondslag",
        at_least_one="kies ten minste één grondslag; zonder grondslag verstrekt het register niets onder "
        "deze stroom. Ontbreekt de grondslag in de lijst, voeg haar dan eerst toe bij Grondslagen.",
    )
    item["conditions"] = _chosen(data, form, "voorwaarden", "conditions", "Voorwaarden")
    if "doelen" in form or item.get("purposes"):
        item["purposes"] = [k for k in keys_of(form, "doelen") if k in _purpose_keys(data)]
    receivers = form.get("ontvangende_partijen", "alle")
    if receivers == "besluit":
        if not data.get("besluit"):
            raise EditorInputError(
                "ontvangende_partijen",
                "Alleen de ontvangers in het besluit: dit dossier heeft geen artikel 20-besluit.",
            )
        item["to_parties"] = "besluit"
    elif receivers == "alle":
        item.pop("to_parties", None)
    elif receivers != "zoals-nu":
        raise EditorInputError("ontvangende_partijen", "Ontvangende partijen: kies een van de mogelijkheden.")
    until = form.get("tot", "").strip()
    if until:
        try:
            item["until"] = dt.date.fromisoformat(until)
        except ValueError:
            raise EditorInputError(
                "tot", "Tot en met: geef een datum als jjjj-mm-dd (bijvoorbeeld 2027-12-31)."
            ) from None
    else:
        item.pop("until", None)
    if not item.get("categories"):
        item.pop("categories", None)
    item["source"] = _sources(data, form, describe_item(data, "flows", item).capitalize())


def _purpose_keys(data: dict[str, Any]) -> set[str]:
    keys = {p["key"] for p in data.get("legal", {}).get("purposes", [])}
    if data.get("besluit"):
        keys |= {u["key"] for u in data["besluit"].get("uses", [])}
    return keys


def _fill_prohibition(data: dict[str, Any], item: dict[str, Any], form: dict[str, str]) -> None:
    kind = form.get("gegevens", "")
    if kind not in DATA_LABELS:
        raise EditorInputError("gegevens", "Welke gegevens: kies een van de mogelijkheden.")
    item["data"] = kind
    item["roles"] = _chosen(
        data, form, "rollen", "roles", "Welke rollen", at_least_one="kies ten minste één rol."
    )
    item["text"] = _long(form.get("tekst", ""), "tekst", "Het verbod (in woorden)")
    item["source"] = _sources(data, form, f"Verbod '{_short(item['text'])}'")


def _fill_purpose(data: dict[str, Any], item: dict[str, Any], form: dict[str, str]) -> None:
    item["text"] = _long(form.get("tekst", ""), "tekst", "Het doel (in woorden)")
    item["source"] = _sources(data, form, f"Doel '{_short(item['text'])}'")


FILL: dict[str, Callable[[dict[str, Any], dict[str, Any], dict[str, str]], None]] = {
    "purposes": _fill_purpose,
    "roles": _fill_role,
    "grounds": _fill_ground,
    "conditions": _fill_condition,
    "flows": _fill_flow,
    "prohibitions": _fill_prohibition,
}
KEY_BASE: dict[str, Callable[[dict[str, str]], str]] = {
    "roles": lambda f: f.get("label", "rol"),
    "grounds": lambda f: f"grond-{f.get('soort', '')}-{f.get('label', '')[:30]}",
    "conditions": lambda f: f"voorwaarde-{f.get('soort', '')}",
    "flows": lambda f: f"stroom-{f.get('gegevens', '')}",
    "prohibitions": lambda f: f"verbod-{f.get('gegevens', '')}",
    "purposes": lambda f: f"doel-{f.get('tekst', '')[:30]}",
}


def _kind(kind: str) -> tuple[str, str]:
    if kind not in KINDS:
        raise EditorInputError("actie", "Onbekend onderdeel van het rechtsmodel; laad de pagina opnieuw.")
    return KINDS[kind]


def _find(data: dict[str, Any], part: str, key: str, what: str) -> dict[str, Any]:
    for item in data.get("legal", {}).get(part, []):
        if item.get("key") == key:
            return item  # type: ignore[no-any-return]
    raise EditorInputError("doel", f"{what}: dit onderdeel bestaat niet (meer); laad de pagina opnieuw.")


def add(data: dict[str, Any], kind: str, form: dict[str, str]) -> dict[str, Any]:
    """A new role, ground, condition, flow or prohibition from its form."""
    part, what = _kind(kind)
    data = copy.deepcopy(data)
    legal = data.setdefault("legal", {})
    item: dict[str, Any] = {"key": "nieuw"}
    FILL[part](data, item, form)
    item["key"] = new_key(data, str(KEY_BASE[part](form)) or kind)
    legal.setdefault(part, []).append(item)
    return data


def update(data: dict[str, Any], kind: str, key: str, form: dict[str, str]) -> dict[str, Any]:
    """The item ``key`` changed as its form says (fields the form does not show are kept)."""
    part, what = _kind(kind)
    data = copy.deepcopy(data)
    item = _find(data, part, key, what)
    FILL[part](data, item, form)
    return data


def users(data: dict[str, Any], part: str, key: str) -> list[str]:
    """What in the legal model (or the besluit) uses the item ``key`` of ``part``, in words with the provision
    it rests on — for a refusal to remove it."""
    legal = data.get("legal", {})
    found: list[str] = []
    uses: list[tuple[str, tuple[str, ...]]] = {
        "roles": [
            ("flows", ("from_roles", "to_roles")),
            ("conditions", ("roles",)),
            ("prohibitions", ("roles",)),
        ],
        "grounds": [("flows", ("grounds",))],
        "conditions": [("flows", ("conditions",))],
        "purposes": [("flows", ("purposes",))],
    }.get(part, [])  # type: ignore[assignment]
    for other, fields in uses:
        for item in legal.get(other, []):
            if any(key in (item.get(f) or []) for f in fields):
                found.append(_with_place(data, describe_item(data, other, item), item))
    return found


def remove(data: dict[str, Any], kind: str, key: str) -> dict[str, Any]:
    """Remove the item ``key``, unless another item uses it (the refusal names that item and its
    provision); the last role stays (a legal model defines at least one role)."""
    part, what = _kind(kind)
    data = copy.deepcopy(data)
    legal = data.setdefault("legal", {})
    item = _find(data, part, key, what)
    name = describe_item(data, part, item)
    used = users(data, part, key)
    article, it = ("Het", "het") if part in ("purposes", "prohibitions") else ("De", "haar")
    if used:
        raise EditorInputError(
            "doel",
            f"{article} {name} kan niet weg: {'; '.join(used)} gebruikt {it}. Pas dat eerst aan of "
            "verwijder het.",
        )
    if part == "roles" and len(legal.get("roles", [])) == 1:
        raise EditorInputError("doel", f"De {name} kan niet weg: het rechtsmodel noemt ten minste één rol.")
    legal[part] = [i for i in legal.get(part, []) if i.get("key") != key]
    return data


def cited_by(data: dict[str, Any], keys: set[str]) -> list[str]:
    """ "het rechtsmodel (rol 'wijkagent'; de looptijdregel)" when items of the legal model cite one of
    ``keys`` as their provision (for refusing to remove an article, lid or item the legal model rests on)."""
    legal = data.get("legal") or {}
    found: list[str] = []
    for part in ("roles", "grounds", "conditions", "purposes", "flows", "prohibitions"):
        for item in legal.get(part, []):
            if keys & set(item.get("source", [])):
                found.append(describe_item(data, part, item))
    term = legal.get("term") or {}
    term_keys = set(term.get("source", []) + term.get("objection_source", []) + term.get("accession", []))
    for sub in ("evaluation", "withdrawal"):
        term_keys |= set((term.get(sub) or {}).get("source", []))
    if keys & term_keys:
        found.append("de looptijdregel")
    retention = legal.get("retention") or {}
    if keys & set(retention.get("source", []) + retention.get("inzage_source", [])):
        found.append("de bewaartermijn")
    rule = legal.get("besluit") or {}
    rule_keys = set()
    for f in ("term_source", "revocation_source", "recording_source", "special_source"):
        rule_keys |= set(rule.get(f, []))
    if keys & rule_keys:
        found.append("de regels van het besluit")
    for f, words in (
        ("authorisation_register", "het autorisatieregister"),
        ("logging", "het logboek"),
        ("designation", "de aanwijzing"),
    ):
        if keys & set(legal.get(f, [])):
            found.append(words)
    if len(found) > 4:
        found = [*found[:4], f"en {len(found) - 4} andere onderdelen"]
    return [f"het rechtsmodel ({'; '.join(found)})"] if found else []


DUTIES = {
    "autorisatieregister": ("authorisation_register", "Plicht tot een autorisatieregister"),
    "logging": ("logging", "Plicht tot een logboek van handelingen"),
    "aanwijzing": ("designation", "Wie aanwijst of uitnodigt"),
}


def set_duties(data: dict[str, Any], form: dict[str, str]) -> dict[str, Any]:
    """Where the covenant establishes the authorisation register, the logging duty and the designation
    (provisions chosen from the list; none chosen: the covenant does not establish it)."""
    data = copy.deepcopy(data)
    legal = data.setdefault("legal", {})
    known = all_keys(data)
    for field, (part, what) in DUTIES.items():
        chosen = keys_of(form, field)
        if any(k not in known for k in chosen):
            raise EditorInputError(field, f"{what}: kies de bepaling uit de lijst; laad de pagina opnieuw.")
        if chosen:
            legal[part] = chosen
        else:
            legal.pop(part, None)
    return data
