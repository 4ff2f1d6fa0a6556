"""Dutch formatting and the numbering/reference rules, as pure functions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import yaml

import templates
from templates.budget import compute_budget
from templates.formatting import format_date, format_money, letter, ordinal, roman
from templates.numbering import markup_problems, reference_targets


def test_dutch_dates_and_amounts() -> None:
    assert format_date(date(2018, 6, 14)) == "14 juni 2018"
    assert format_date(date(2015, 12, 1)) == "1 december 2015"
    assert format_money(Decimal("195000")) == "€\u00a0195.000,00"
    assert format_money(Decimal("13380.5")) == "€\u00a013.380,50"
    assert format_money(Decimal("0.005")) == "€\u00a00,01"
    assert format_money(Decimal("1234567.891")) == "€\u00a01.234.567,89"


@pytest.mark.parametrize(
    ("n", "word"),
    [
        (1, "eerste"),
        (2, "tweede"),
        (3, "derde"),
        (8, "achtste"),
        (13, "dertiende"),
        (20, "twintigste"),
        (21, "eenentwintigste"),
        (32, "tweeëndertigste"),
    ],
)
def test_ordinals(n: int, word: str) -> None:
    assert ordinal(n) == word


def test_roman_and_letters() -> None:
    assert [roman(n) for n in (1, 4, 7, 9, 14, 40)] == ["I", "IV", "VII", "IX", "XIV", "XL"]
    assert [letter(n) for n in (1, 5, 26, 27)] == ["a", "e", "z", "aa"]


def test_reference_labels(small_dossier: templates.Dossier) -> None:
    targets, problems = reference_targets(small_dossier)
    assert problems == []
    labels = {k: t.label for k, t in targets.items()}
    assert labels["begrippen"] == "artikel 1"
    assert labels["grondslag"] == "artikel 3"  # numbering continues across chapters
    assert labels["doel-politie"] == "artikel 2, tweede lid"
    assert labels["doel-politie-a"] == "artikel 2, tweede lid, onder a"
    assert labels["slot"] == "hoofdstuk II"
    assert labels["privacyregeling"] == "bijlage 1"
    assert labels["verklaring"] == "bijlage 1.a"
    assert labels["financiering"] == "bijlage 2"
    assert labels["mandaat-teamchef"] == "het mandaatbesluit van 11 april 2018"


def test_unknown_keys_are_problems_with_the_field_path(small_text: str) -> None:
    data = yaml.safe_load(small_text)
    data["agreement"]["parts"][1]["blocks"][2] = (
        "[[ref:nergens]] [[partij:niemand]] [[voetnoot:geen]] [[ref:gemeente]]"
    )
    dossier = templates.load_dossier(yaml.safe_dump(data, allow_unicode=True))
    found = {(p.path, p.code) for p in markup_problems(dossier)}
    path = "agreement.parts.1.blocks.2.p"
    assert {(path, "onbekende_verwijzing"), (path, "onbekende_partij"), (path, "onbekende_voetnoot")} <= found
    hint = [p.message for p in markup_problems(dossier) if "gemeente" in p.message]
    assert hint and "gebruik [[partij:" in hint[0]


def test_duplicate_keys_are_reported(small_text: str) -> None:
    data = yaml.safe_load(small_text)
    data["annexes"][1]["key"] = "privacyregeling"
    dossier = templates.load_dossier(yaml.safe_dump(data, allow_unicode=True))
    assert any(p.code == "dubbele_sleutel" and p.path == "annexes.1.key" for p in markup_problems(dossier))


def test_value_missing_from_dossier_is_a_problem(small_text: str) -> None:
    data = yaml.safe_load(small_text)
    del data["besluit"]
    data["agreement"]["parts"][1]["blocks"][2] = "Besluit van [[waarde:besluit.datum]]"
    dossier = templates.load_dossier(yaml.safe_dump(data, allow_unicode=True))
    assert ("agreement.parts.1.blocks.2.p", "waarde_ontbreekt") in {
        (p.path, p.code) for p in markup_problems(dossier)
    }


def test_budget_remainder_and_multiplication(small_dossier: templates.Dossier) -> None:
    assert small_dossier.budget is not None
    b = compute_budget(small_dossier.budget)
    assert b.available == Decimal("390000")
    assert b.line("wijkteambudget").amount == Decimal("66900")  # type: ignore[union-attr]
    assert b.line("wijkprojecten").amount == Decimal("168600")  # type: ignore[union-attr]
    assert b.total == b.available and b.over_budget == 0


def test_budget_over_available_is_never_a_negative_remainder(small_dossier: templates.Dossier) -> None:
    budget = small_dossier.budget.model_copy(update={"per_year": Decimal("100000")})  # type: ignore[union-attr]
    b = compute_budget(budget)
    assert b.line("wijkprojecten").amount == 0  # type: ignore[union-attr]
    assert b.over_budget == Decimal("154500") + Decimal("66900") - Decimal("200000")


def test_every_value_and_generated_block_is_documented_for_writers() -> None:
    from pathlib import Path
    from typing import get_args

    from templates.dossier.model import GeneratedBlock
    from templates.dossier.values import DOSSIER_VALUES, PARTICIPANT_VALUES

    doc = (Path(__file__).resolve().parents[2] / "docs" / "dossier.md").read_text("utf-8")
    for name in [*DOSSIER_VALUES, *PARTICIPANT_VALUES, *get_args(GeneratedBlock)]:
        assert f"| `{name}` |" in doc, name
