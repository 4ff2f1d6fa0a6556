"""The check reports a legal model that is incomplete (issue 9, point 7), and a dossier written before the
model (schema_version 1) gets a Dutch error naming what to add."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import templates
from templates import check_dossier
from templates.dossier.citation import citation
from tests.templates.factories import dossier_data, make_dossier

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _codes(data: dict) -> list[tuple[str, str, str]]:
    return [(p.code, p.severity, p.path) for p in check_dossier(make_dossier(data))]


def test_flow_without_a_legal_ground_is_an_error() -> None:
    data = dossier_data()
    data["legal"]["flows"][0]["grounds"] = []
    assert _codes(data) == [("stroom_zonder_grondslag", "fout", "legal.flows.0.grounds")]


def test_condition_naming_an_unknown_role_is_an_error() -> None:
    data = dossier_data()
    data["legal"]["conditions"][1]["roles"] = ["gastspreker"]
    (problem,) = check_dossier(make_dossier(data))
    assert (problem.code, problem.path) == ("rechtsmodel_onbekend", "legal.conditions.1.roles.0")
    assert "'gastspreker'" in problem.message and "agendadeelnemer" in problem.message


def test_citation_key_that_does_not_exist_is_an_error() -> None:
    data = dossier_data()
    data["legal"]["term"]["source"] = ["artikel-32"]
    (problem,) = check_dossier(make_dossier(data))
    assert (problem.code, problem.severity, problem.path) == (
        "onbekende_bepaling",
        "fout",
        "legal.term.source.0",
    )
    assert "'artikel-32'" in problem.message


def test_term_rule_without_its_article_is_refused_with_the_field() -> None:
    data = dossier_data()
    data["legal"]["term"]["source"] = []
    with pytest.raises(templates.DossierInvalid) as info:
        templates.load_dossier(yaml.safe_dump(data, allow_unicode=True))
    assert any(
        p.path == "legal.term.source" and "mag niet leeg zijn" in p.message for p in info.value.problems
    )


def test_tacit_renewal_without_who_may_object_is_an_error() -> None:
    data = dossier_data()
    data["legal"]["term"] = {"kind": "stilzwijgend", "source": ["doel"]}
    assert ("looptijdregel_onvolledig", "fout", "legal.term.objection") in _codes(data)


def test_flow_naming_an_unknown_ground_condition_or_category_is_an_error() -> None:
    data = dossier_data()
    data["legal"]["flows"][0]["conditions"] = ["besluit", "geheim"]
    data["legal"]["flows"][0]["categories"] = ["naw", "foto"]
    codes = _codes(data)
    assert ("rechtsmodel_onbekend", "fout", "legal.flows.0.conditions.1") in codes
    assert ("rechtsmodel_onbekend", "fout", "legal.flows.0.categories.1") in codes


def test_a_dossier_of_schema_version_1_names_what_to_add() -> None:
    data = dossier_data()
    data["schema_version"] = 1
    del data["legal"]
    data["term"]["renewal"] = "stilzwijgend"
    with pytest.raises(templates.DossierInvalid) as info:
        templates.load_dossier(yaml.safe_dump(data, allow_unicode=True))
    paths = [p.path for p in info.value.problems]
    assert paths == ["schema_version", "legal", "term.renewal"]
    legal = info.value.problems[1].message
    assert "legal.roles" in legal and "legal.flows" in legal and "source" in legal
    assert (
        "'stilzwijgend'" in info.value.problems[2].message
        and "legal.term.kind" in info.value.problems[2].message
    )


def test_the_three_examples_have_a_complete_model() -> None:
    for name in ("zeist", "amsterdam", "veiligheidshuis"):
        dossier = templates.load_dossier((EXAMPLES / f"{name}.yaml").read_bytes(), f"{name}.yaml")
        errors = [p for p in check_dossier(dossier) if p.severity == "fout"]
        assert errors == [], name


def test_citation_is_the_label_the_documents_print_with_its_document() -> None:
    zeist = templates.load_dossier((EXAMPLES / "zeist.yaml").read_bytes())
    assert citation(zeist, "agendadeelnemers-verklaring") == "artikel 11, tweede lid, van bijlage 1"
    assert citation(zeist, "besluit-looptijd") == "artikel 6 van het besluit"
    assert citation(zeist, "geheimhoudingsverklaring") == "bijlage 1.a"
    amsterdam = templates.load_dossier((EXAMPLES / "amsterdam.yaml").read_bytes())
    assert citation(amsterdam, "looptijd-verlenging") == "artikel 32, eerste lid"
    assert citation(amsterdam, "verstrekking-derden-wettelijk") == "artikel 25, vijfde lid, onder b"
