"""Dutch formatting and the numbering/reference rules, as pure functions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import yaml

import templates
from templates.budget import compute_budget
from templates.documents import build_document
from templates.formatting import count_phrase, format_date, format_money, letter, ordinal, roman
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


def _privacy_body(data: dict) -> dict:  # type: ignore[type-arg]
    return data["annexes"][0]["body"]  # type: ignore[no-any-return]


def _labels(data: dict) -> dict[str, str]:  # type: ignore[type-arg]
    dossier = templates.load_dossier(yaml.safe_dump(data, allow_unicode=True))
    targets, problems = reference_targets(dossier)
    assert problems == []
    return {k: t.label for k, t in targets.items()}


def test_decimal_numbering_numbers_articles_within_chapters_and_leden_as_decimals(small_text: str) -> None:
    data = yaml.safe_load(small_text)
    _privacy_body(data)["numbering"] = {"style": "decimaal"}
    labels = _labels(data)
    assert labels["begrippen"] == "artikel 1.1"
    assert labels["doel"] == "artikel 1.2"
    assert labels["doel-politie"] == "artikel 1.2.2"
    assert labels["doel-politie-a"] == "artikel 1.2.2, onder a"
    assert labels["grondslag"] == "artikel 2.1"  # numbering restarts in each chapter
    assert labels["slot"] == "hoofdstuk 2"


def test_decimal_numbering_without_chapters_and_the_word_paragraaf(small_text: str) -> None:
    data = yaml.safe_load(small_text)
    body = _privacy_body(data)
    body["numbering"] = {"style": "decimaal", "word": "paragraaf"}
    body["parts"] = [{"articles": [a for ch in body["parts"][0]["chapters"] for a in ch["articles"]]}]
    body["parts"][0]["articles"][1]["leden"][1]["text"] = "Zie [[ref:grondslag]] en [[ref:begrippen]]:"
    body["parts"][0]["articles"][2]["leden"][0] = "Zie [[ref:doel-politie]]."  # the chapters are gone
    labels = _labels(data)
    assert labels["begrippen"] == "paragraaf 1"
    assert labels["doel-politie"] == "paragraaf 2.2"
    assert labels["grondslag"] == "paragraaf 3"
    doc = build_document(templates.load_dossier(yaml.safe_dump(data, allow_unicode=True)), "overeenkomst")
    texts = [(b.kind, b.label, b.text) for b in doc.blocks]
    assert ("heading", "", "2 Doel") in texts  # decimal headings carry the number only
    assert ("item", "2.2", "Zie paragraaf 3 en paragraaf 1:") in texts


def test_unnumbered_sections_take_no_number_and_are_cited_by_title(small_text: str) -> None:
    data = yaml.safe_load(small_text)
    body = _privacy_body(data)
    body["numbering"] = {"word": "paragraaf", "chapters": "geen"}
    body["parts"][0]["chapters"][0]["articles"][0]["numbered"] = False  # Begrippen
    labels = _labels(data)
    assert labels["begrippen"] == "de paragraaf \u2018Begrippen\u2019"
    assert labels["doel"] == "paragraaf 1"  # the unnumbered section took no number
    assert labels["doel-politie"] == "paragraaf 1, tweede lid"
    assert labels["grondslag"] == "paragraaf 2"
    assert labels["slot"] == "hoofdstuk \u2018Slotbepalingen\u2019"
    doc = build_document(templates.load_dossier(yaml.safe_dump(data, allow_unicode=True)), "overeenkomst")
    headings = [b.text for b in doc.blocks if b.kind == "heading"]
    assert "Begrippen" in headings and "Paragraaf 1 Doel" in headings and "Slotbepalingen" in headings


def test_arabic_chapters_in_the_running_style(small_text: str) -> None:
    data = yaml.safe_load(small_text)
    _privacy_body(data)["numbering"] = {"chapters": "arabisch"}
    labels = _labels(data)
    assert labels["slot"] == "hoofdstuk 2" and labels["grondslag"] == "artikel 3"


def test_unnumbered_article_needs_a_title(small_text: str) -> None:
    data = yaml.safe_load(small_text)
    article = _privacy_body(data)["parts"][0]["chapters"][0]["articles"][1]
    article["numbered"] = False
    del article["title"]
    with pytest.raises(templates.DossierInvalid) as exc:
        templates.load_dossier(yaml.safe_dump(data, allow_unicode=True))
    assert "numbered: false" in str(exc.value.problems)


def test_reference_label_is_what_the_document_prints(small_text: str) -> None:
    data = yaml.safe_load(small_text)
    _privacy_body(data)["numbering"] = {"style": "decimaal"}
    dossier = templates.load_dossier(yaml.safe_dump(data, allow_unicode=True))
    assert templates.reference_label(dossier, "doel-politie") == "artikel 1.2.2"
    doc = build_document(dossier, "overeenkomst")
    assert any("Zie artikel 1.2.2 en artikel 1.2.2, onder a" in b.text for b in doc.blocks)
    with pytest.raises(templates.UnknownReference) as exc:
        templates.reference_label(dossier, "bestaat-niet")
    assert "bestaat-niet" in exc.value.message


def test_count_phrase_puts_the_noun_in_the_right_number_never_in_brackets() -> None:
    assert [count_phrase(n, "fout", "fouten") for n in (0, 1, 2)] == ["0 fouten", "1 fout", "2 fouten"]
