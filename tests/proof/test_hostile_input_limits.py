"""Issue 10 item 14: input that used to end in a 500 or a reset connection gets a clear Dutch 422.

- a title, author or subject longer than the 255 characters a DOCX core property holds: the upload is
  refused naming the field (before, the upload was stored and the DOCX download answered 500); a composed
  property (a mandaatbesluit's title) is shortened in the DOCX metadata only;
- JSON nested ~900 deep (a 500 before) and YAML nested as deep (the connection was reset): 422 "te diep
  genest", nothing stored.
"""

from __future__ import annotations

import json
from io import BytesIO
from pathlib import Path

import pytest
import yaml
from docx import Document as DocxDocument
from fastapi.testclient import TestClient

from templates import load_dossier
from templates.documents import build_document
from templates.docx import render_docx_document
from tests.proof.api_support import build_api_world

ZEIST = Path(__file__).resolve().parents[2] / "examples" / "zeist.yaml"


@pytest.fixture(scope="module")
def api(tmp_path_factory):  # type: ignore[no-untyped-def]
    world = build_api_world(tmp_path_factory.mktemp("limits") / "data")
    client = TestClient(world.app, base_url="https://testserver", raise_server_exceptions=False)
    client.headers["Authorization"] = f"Bearer {world.tokens['privacyfunctionaris']}"
    yield client
    world.app.state.engine.dispose()


def _zeist(**changes: object) -> dict:  # type: ignore[type-arg]
    data = yaml.safe_load(ZEIST.read_text(encoding="utf-8"))
    data.update(changes)
    return data


@pytest.mark.parametrize("field", ["title", "municipality", "cooperation"])
def test_a_document_property_longer_than_255_characters_is_a_dutch_422_naming_the_field(api, field):
    data = _zeist(id=f"lange-{field}", **{field: "Samenwerking " + "x" * 250})
    r = api.post(
        "/dossiers", content=json.dumps(data, default=str), headers={"Content-Type": "application/json"}
    )
    assert r.status_code == 422, r.text[:500]
    assert any(p["pad"] == field and "ten hoogste 255 tekens" in p["melding"] for p in r.json()["fouten"]), (
        r.text[:1000]
    )
    assert api.get(f"/dossiers/lange-{field}").status_code == 404  # nothing stored
    assert api.get(f"/dossiers/lange-{field}/documents/overeenkomst.docx").status_code == 404


def test_a_composed_title_beyond_255_characters_is_shortened_in_the_docx_metadata_only():
    dossier = load_dossier(ZEIST.read_bytes(), "zeist.yaml")
    document = build_document(dossier, "overeenkomst")
    document.title = "T" * 400
    document.author = "A" * 300
    props = DocxDocument(BytesIO(render_docx_document(document))).core_properties
    assert len(props.title) == 255 and props.title.endswith("\u2026")
    assert len(props.author) == 255


def _nested_json(depth: int) -> str:
    return '{"id": "diep", "x": ' + '{"a": ' * depth + "1" + "}" * depth + "}"


def _nested_yaml(depth: int) -> str:
    return "id: diep\nx: " + "[" * depth + "]" * depth + "\n"


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (_nested_json(900), "application/json"),
        ('{"id": "diep", "x": ' + "[" * 900 + "]" * 900 + "}", "application/json"),
        (_nested_yaml(900), "application/yaml"),
        ("".join(" " * i + f"k{i}:\n" for i in range(900)), "application/yaml"),
        (_nested_yaml(20_000), "application/yaml"),
    ],
)
def test_deeply_nested_json_or_yaml_is_a_dutch_422_not_a_500_or_a_reset(api, content, kind):
    r = api.post("/dossiers", content=content.encode(), headers={"Content-Type": kind})
    assert r.status_code == 422, r.text[:300]
    assert "te diep genest" in r.json()["melding"]
    assert api.get("/dossiers/diep").status_code == 404
