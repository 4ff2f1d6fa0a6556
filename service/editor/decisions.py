"""Editor operations on the decisions that come with a covenant: the categories, uses (purposes) and
recipients of the artikel 20-besluit, and new mandaatbesluiten. Pure functions on the stored data; keys are
made here. What is still used cannot go: a category or use a data flow names, a mandate a signatory signs
by — the refusal names the user."""

from __future__ import annotations

import copy
from typing import Any

from service.editor.data import EditorInputError, new_key
from service.editor.data import date_field as _date
from service.editor.data import name_field as _name
from service.editor.legal import describe_item
from service.editor.places import mentions, ref_tokens

LISTS = {"categorie": ("categories", "Categorie"), "gebruik": ("uses", "Gebruik")}


def _besluit(data: dict[str, Any]) -> dict[str, Any]:
    besluit = data.get("besluit")
    if not besluit:
        raise EditorInputError(
            "besluit", "Dit dossier heeft geen artikel 20-besluit; upload of importeer het eerst."
        )
    return besluit  # type: ignore[no-any-return]


def _list(kind: str) -> tuple[str, str]:
    if kind not in LISTS:
        raise EditorInputError("actie", "Onbekend onderdeel van het besluit; laad de pagina opnieuw.")
    return LISTS[kind]


def _words(value: str, field: str, what: str) -> str:
    value = " ".join(value.split())
    if not value:
        raise EditorInputError(field, f"{what}: vul de tekst in.")
    if len(value) > 4000:
        raise EditorInputError(field, f"{what}: ten hoogste 4.000 tekens.")
    return value


def add_entry(data: dict[str, Any], kind: str, form: dict[str, str]) -> dict[str, Any]:
    """A new category (of police data) or use (purpose) of the besluit, at the end of its list."""
    part, what = _list(kind)
    data = copy.deepcopy(data)
    besluit = _besluit(data)
    text = _words(form.get("tekst", ""), "tekst", f"{what} van het besluit")
    besluit.setdefault(part, []).append({"key": new_key(data, f"{kind}-{text[:30]}"), "text": text})
    return data


def update_entry(data: dict[str, Any], kind: str, key: str, form: dict[str, str]) -> dict[str, Any]:
    part, what = _list(kind)
    data = copy.deepcopy(data)
    for entry in _besluit(data).get(part, []):
        if entry.get("key") == key:
            entry["text"] = _words(form.get("tekst", ""), "tekst", f"{what} van het besluit")
            return data
    raise EditorInputError("doel", f"{what}: bestaat niet (meer); laad de pagina opnieuw.")


def remove_entry(data: dict[str, Any], kind: str, key: str) -> dict[str, Any]:
    """Remove a category or use, unless a data flow names it or a text refers to it."""
    part, what = _list(kind)
    data = copy.deepcopy(data)
    besluit = _besluit(data)
    entry = next((e for e in besluit.get(part, []) if e.get("key") == key), None)
    if entry is None:
        raise EditorInputError("doel", f"{what}: bestaat niet (meer); laad de pagina opnieuw.")
    field = "categories" if part == "categories" else "purposes"
    flows = [
        describe_item(data, "flows", f)
        for f in (data.get("legal") or {}).get("flows", [])
        if key in (f.get(field) or [])
    ]
    used = flows + mentions(data, ref_tokens({key}))
    name = f"{what} '{entry['text'][:60]}'"
    if used:
        raise EditorInputError(
            "doel", f"{name} kan niet weg: {'; '.join(used)} noemt haar. Pas dat eerst aan."
        )
    if len(besluit.get(part, [])) == 1:
        raise EditorInputError("doel", f"{name} kan niet weg: het besluit noemt er ten minste één.")
    besluit[part] = [e for e in besluit[part] if e.get("key") != key]
    return data


def set_recipients(data: dict[str, Any], form: dict[str, str]) -> dict[str, Any]:
    """The parties the besluit names as recipients (checkboxes)."""
    data = copy.deepcopy(data)
    besluit = _besluit(data)
    chosen = [k for k in (p.strip() for p in form.get("ontvangers", "").split(",")) if k]
    parties = {p["key"] for p in data.get("parties", [])}
    if any(k not in parties for k in chosen):
        raise EditorInputError(
            "ontvangers", "Ontvangers: kies partijen uit de lijst; laad de pagina opnieuw."
        )
    if not chosen:
        raise EditorInputError(
            "ontvangers", "Ontvangers: kies ten minste één partij die politiegegevens mag ontvangen."
        )
    besluit["recipients"] = chosen
    return data


DOCUMENTS = {"overeenkomst": "de overeenkomst"}


def documents(data: dict[str, Any]) -> dict[str, str]:
    """What a mandate may cover: the agreement, the besluit, the declaration, other mandates."""
    out = dict(DOCUMENTS)
    if data.get("besluit"):
        out[data["besluit"].get("key", "besluit-art20")] = "het artikel 20-besluit"
    if data.get("declaration"):
        out[data["declaration"].get("key", "geheimhoudingsverklaring")] = "de geheimhoudingsverklaring"
    return out


def add_mandate(data: dict[str, Any], form: dict[str, str]) -> dict[str, Any]:
    """A new mandaatbesluit: who gives the mandate, to whom, for which documents, when and where."""
    data = copy.deepcopy(data)
    mandatary = _name(form.get("gemandateerde", ""), "gemandateerde", "Naam van de gemandateerde")
    chosen = [k for k in (p.strip() for p in form.get("documenten", "").split(",")) if k]
    known = documents(data)
    if not chosen:
        raise EditorInputError(
            "documenten", "Waarvoor: kies ten minste één document dat de gemandateerde tekent."
        )
    if any(k not in known for k in chosen):
        raise EditorInputError("documenten", "Waarvoor: kies documenten uit de lijst.")
    mandate: dict[str, Any] = {
        "key": new_key(data, f"mandaat-{mandatary.split()[-1]}"),
        "mandator": {
            "name": _name(form.get("mandaatgever", ""), "mandaatgever", "Naam van de mandaatgever"),
            "function": _name(
                form.get("mandaatgever_functie", ""), "mandaatgever_functie", "Functie van de mandaatgever"
            ),
        },
        "mandatary": {
            "name": mandatary,
            "function": _name(
                form.get("gemandateerde_functie", ""), "gemandateerde_functie", "Functie van de gemandateerde"
            ),
        },
        "documents": chosen,
        "document_title": _words(form.get("titel", ""), "titel", "Titel van het mandaatbesluit"),
        "date": _date(form.get("datum", ""), "mandaat_datum", "Datum van het mandaatbesluit"),
        "place": _name(form.get("plaats", ""), "mandaat_plaats", "Plaats van het mandaatbesluit"),
    }
    until = form.get("geldig_tot", "").strip()
    if until:
        mandate["valid_until"] = _date(until, "geldig_tot", "Geldig tot")
    data.setdefault("mandates", []).append(mandate)
    return data


def remove_mandate(data: dict[str, Any], key: str) -> dict[str, Any]:
    """Remove a mandaatbesluit, unless a signatory signs by it or another mandate covers it."""
    data = copy.deepcopy(data)
    mandate = next((m for m in data.get("mandates", []) if m.get("key") == key), None)
    if mandate is None:
        raise EditorInputError("mandaat", "Dit mandaatbesluit bestaat niet (meer); laad de pagina opnieuw.")
    users = [
        f"ondertekenaar '{s['name']}' van {p['name']}"
        for p in data.get("parties", [])
        for s in p.get("signatories", [])
        if s.get("mandate") == key
    ]
    users += [
        f"het mandaatbesluit '{m['document_title']}'"
        for m in data["mandates"]
        if key in m.get("documents", [])
    ]
    users += mentions(data, ref_tokens({key}))
    if users:
        raise EditorInputError(
            "mandaat",
            f"Het mandaatbesluit '{mandate['document_title']}' kan niet weg: {'; '.join(users)} "
            "steunt erop. Pas dat eerst aan.",
        )
    data["mandates"] = [m for m in data["mandates"] if m.get("key") != key]
    return data
