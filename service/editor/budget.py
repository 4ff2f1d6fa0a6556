"""Editor operations on the budget (the financing annex): groups and lines added, changed and removed. A line
is an amount, a multiplication (number x amount each) or the remainder of what is available; the amounts
themselves are computed by ``templates.budget``, never typed twice. Pure functions on the stored data.

Groups have no key of their own: a group is named by its place ("0"), a line by group and place ("0.1").
A line the text names (``[[waarde:begroting.regel.KEY]]``) cannot be removed: the refusal names where."""

from __future__ import annotations

import copy
from decimal import Decimal, InvalidOperation
from typing import Any

from service.editor.data import EditorInputError, new_key
from service.editor.data import int_field as _int
from service.editor.data import name_field as _name
from service.editor.places import mentions

WAYS = {
    "bedrag": "een bedrag",
    "aantal": "een aantal maal een bedrag",
    "rest": "het restant van het beschikbare bedrag",
}


def money(value: str, field: str, what: str) -> Decimal:
    """'195.000,00', '€ 1.250', '13380.00' -> Decimal; a Dutch message otherwise."""
    raw = value.strip().replace("€", "").replace(" ", "")
    if "," in raw:
        raw = raw.replace(".", "").replace(",", ".")
    elif raw.count(".") == 1 and len(raw.split(".")[1]) == 3:  # 1.250: a thousands separator
        raw = raw.replace(".", "")
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        raise EditorInputError(field, f"{what}: geef een bedrag, bijvoorbeeld 13.380,00.") from None
    if amount < 0 or amount > Decimal("999999999999") or amount != round(amount, 2):
        raise EditorInputError(
            field, f"{what}: geef een bedrag van 0 of meer, met ten hoogste twee decimalen."
        )
    return amount.quantize(Decimal("0.01"))


def _budget(data: dict[str, Any]) -> dict[str, Any]:
    budget = data.get("budget")
    if not budget:
        raise EditorInputError("begroting", "Er is nog geen begroting: vul eerst de bijdrage per jaar in.")
    return budget  # type: ignore[no-any-return]


def _group(data: dict[str, Any], at: str) -> dict[str, Any]:
    groups = _budget(data).get("groups") or []
    if not at.isdigit() or int(at) >= len(groups):
        raise EditorInputError("groep", "Deze groep bestaat niet (meer); laad de pagina opnieuw.")
    return groups[int(at)]  # type: ignore[no-any-return]


def _line(data: dict[str, Any], at: str) -> tuple[dict[str, Any], int]:
    group_at, _, line_at = at.partition(".")
    group = _group(data, group_at)
    if not line_at.isdigit() or int(line_at) >= len(group.get("lines") or []):
        raise EditorInputError("regel", "Deze regel bestaat niet (meer); laad de pagina opnieuw.")
    return group, int(line_at)


def add_group(data: dict[str, Any], form: dict[str, str]) -> dict[str, Any]:
    """A new group with its first line."""
    data = copy.deepcopy(data)
    budget = _budget(data)
    label = _name(form.get("groep", ""), "groep", "Naam van de groep")
    group: dict[str, Any] = {"label": label, "lines": [_fill_line(data, {}, form)]}
    budget.setdefault("groups", []).append(group)
    return data


def rename_group(data: dict[str, Any], at: str, form: dict[str, str]) -> dict[str, Any]:
    data = copy.deepcopy(data)
    _group(data, at)["label"] = _name(form.get("groep", ""), "groep", "Naam van de groep")
    return data


def _line_keys(group: dict[str, Any]) -> list[str]:
    return [line["key"] for line in group.get("lines") or [] if line.get("key")]


def _refused_if_named(data: dict[str, Any], keys: list[str], what: str) -> None:
    used = mentions(data, [f"[[waarde:begroting.regel.{k}]]" for k in keys])
    if used:
        raise EditorInputError(
            "regel",
            f"{what} kan niet weg: {', '.join(used)} noemt het bedrag ervan. Pas die tekst eerst aan.",
        )


def remove_group(data: dict[str, Any], at: str) -> dict[str, Any]:
    data = copy.deepcopy(data)
    budget = _budget(data)
    group = _group(data, at)
    _refused_if_named(data, _line_keys(group), f"De groep '{group['label']}'")
    if len(budget["groups"]) == 1:
        raise EditorInputError(
            "groep", "De laatste groep kan niet weg: een begroting heeft ten minste één regel."
        )
    del budget["groups"][int(at)]
    return data


def _fill_line(data: dict[str, Any], line: dict[str, Any], form: dict[str, str]) -> dict[str, Any]:
    line["label"] = _name(form.get("omschrijving", ""), "omschrijving", "Omschrijving van de regel", 4000)
    what = f"Regel '{line['label']}'"
    way = form.get("wijze", "bedrag")
    for field in ("amount", "quantity", "unit_amount", "remainder"):
        line.pop(field, None)
    if way == "bedrag":
        line["amount"] = str(money(form.get("bedrag", ""), "bedrag", f"{what}, bedrag"))
    elif way == "aantal":
        line["quantity"] = _int(form.get("aantal", ""), "aantal", f"{what}, aantal", 1, 100_000)
        line["unit_amount"] = str(
            money(form.get("bedrag_per_stuk", ""), "bedrag_per_stuk", f"{what}, bedrag per stuk")
        )
    elif way == "rest":
        others = [
            ln
            for g in (data.get("budget") or {}).get("groups") or []
            for ln in g.get("lines") or []
            if ln.get("remainder") and ln is not line and ln.get("key") != line.get("key")
        ]
        if others:
            raise EditorInputError(
                "wijze",
                f"{what}: de begroting heeft al een restantregel ('{others[0]['label']}'); kies een bedrag.",
            )
        line["remainder"] = True
    else:
        raise EditorInputError("wijze", f"{what}: kies hoe het bedrag wordt bepaald.")
    details = [" ".join(d.split()) for d in form.get("toelichting_regels", "").splitlines() if d.strip()]
    if details:
        line["details"] = details
    else:
        line.pop("details", None)
    if not line.get("key"):
        line["key"] = new_key(data, f"regel-{line['label'][:30]}")
    return line


def add_line(data: dict[str, Any], group_at: str, form: dict[str, str]) -> dict[str, Any]:
    data = copy.deepcopy(data)
    group = _group(data, group_at)
    group.setdefault("lines", []).append(_fill_line(data, {}, form))
    return data


def update_line(data: dict[str, Any], at: str, form: dict[str, str]) -> dict[str, Any]:
    data = copy.deepcopy(data)
    group, i = _line(data, at)
    _fill_line(data, group["lines"][i], form)
    return data


def remove_line(data: dict[str, Any], at: str) -> dict[str, Any]:
    data = copy.deepcopy(data)
    group, i = _line(data, at)
    line = group["lines"][i]
    _refused_if_named(data, [line["key"]] if line.get("key") else [], f"De regel '{line['label']}'")
    if len(group["lines"]) == 1:
        raise EditorInputError(
            "regel", f"De laatste regel van de groep '{group['label']}' kan niet weg; verwijder de groep."
        )
    del group["lines"][i]
    return data


def way_of(line: dict[str, Any]) -> str:
    if line.get("remainder"):
        return "rest"
    if line.get("quantity") is not None or line.get("unit_amount") is not None:
        return "aantal"
    return "bedrag"
