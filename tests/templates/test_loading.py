"""Reading a dossier: YAML and JSON, Dutch errors with line numbers and dotted field paths, limits."""

from __future__ import annotations

import json

import pytest
import yaml

import templates
from templates.dossier.loading import MAX_DOSSIER_BYTES


def _problems(text: str) -> list[templates.Problem]:
    with pytest.raises(templates.DossierInvalid) as exc:
        templates.load_dossier(text, "test.yaml")
    return exc.value.problems


def test_yaml_and_json_give_the_same_dossier(small_text: str) -> None:
    from_yaml = templates.load_dossier(small_text)
    as_json = json.dumps(yaml.safe_load(small_text), default=str)
    assert templates.load_dossier(as_json.encode()) == from_yaml


def test_malformed_yaml_names_the_line(small_text: str) -> None:
    lines = small_text.splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("municipality:"))
    lines[index] = "municipality: [Testdorp"
    with pytest.raises(templates.DossierInvalid) as exc:
        templates.load_dossier("\n".join(lines), "test.yaml")
    assert "ongeldige YAML op regel" in exc.value.message
    assert exc.value.problems[0].code == "syntaxis"


def test_malformed_json_names_line_and_column() -> None:
    with pytest.raises(templates.DossierInvalid) as exc:
        templates.load_dossier('{\n  "id": "x",\n  "title": }', "test.json")
    assert "ongeldige JSON op regel 3, kolom 12" in exc.value.message


def test_validation_errors_have_dotted_paths_dutch_messages_and_lines(small_text: str) -> None:
    text = (
        small_text.replace("kind: politie", "kind: leger")
        .replace("date: 2018-04-11", "date: elf april")
        .replace("id: testdorp", "id: testdorp\nonbekend_veld: 1")
    )
    by_path = {p.path: p.message for p in _problems(text)}
    assert by_path["parties.1.kind"].startswith("heeft geen toegestane waarde (toegestaan: 'gemeente'")
    assert by_path["mandates.0.date"].startswith("moet een datum zijn (JJJJ-MM-DD) (regel ")
    assert by_path["onbekend_veld"].startswith("is geen bekend veld (regel 4)")


def test_missing_required_field_is_reported(small_text: str) -> None:
    data = yaml.safe_load(small_text)
    del data["parties"][0]["name"]
    problems = _problems(yaml.safe_dump(data, allow_unicode=True))
    assert ("parties.0.name", "is verplicht") in {(p.path, p.message.split(" (regel")[0]) for p in problems}


def test_model_rule_messages_are_dutch(small_text: str) -> None:
    text = small_text.replace(
        "term: {start: 2018-06-14, duration_years: 3}",
        "term: {start: 2018-06-14}",
    )
    (problem,) = _problems(text)
    assert problem.path == "term"
    assert problem.message.startswith("geef een einddatum (end) of een duur in jaren (duration_years)")


@pytest.mark.parametrize("text", ["- a\n- b\n", "gewoon tekst", "", "42"])
def test_not_an_object_is_refused(text: str) -> None:
    assert _problems(text)[0].path == "dossier"


def test_size_limits() -> None:
    with pytest.raises(templates.DossierInvalid, match="te groot"):
        templates.load_dossier(b"a: b\n" * (MAX_DOSSIER_BYTES // 5 + 1))
    bomb = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{n}: &{n} [{', '.join(['*' + p] * 9)}]\n" for p, n in zip("abcdef", "bcdefg", strict=True)
    )
    with pytest.raises(templates.DossierInvalid, match="ankers"):
        templates.load_dossier(bomb)
    with pytest.raises(templates.DossierInvalid, match="te diep genest"):
        templates.load_dossier("a: " + "[" * 50_000)


def test_not_utf8_is_refused() -> None:
    with pytest.raises(templates.DossierInvalid, match="UTF-8"):
        templates.load_dossier(b"title: \xff\xfe")


def test_json_schema_describes_the_dossier() -> None:
    schema = templates.dossier_json_schema()
    assert schema["title"] == "Convenant-dossier"
    assert {"id", "title", "parties", "agreement", "signing", "term"} <= set(schema["required"])
    assert "Annex" in schema["$defs"] and "declaration" in schema["$defs"]["Annex"]["properties"]
