"""The dossier API: upload (YAML/JSON), 422 with field paths, nothing half-stored, documents as PDF/DOCX."""

# ruff: noqa: F811  (pytest fixtures imported from accounts_support)
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from accounts_support import app, client, make_staff  # noqa: F401
from fastapi import FastAPI
from fastapi.testclient import TestClient

from service.accounts.roles import Role

SMALL = Path(__file__).resolve().parents[1] / "templates" / "small_dossier.yaml"
YAML_TYPE = {"Content-Type": "application/yaml"}


@pytest.fixture()
def staff(app: FastAPI):  # type: ignore[no-untyped-def]
    return make_staff(app)


def _auth(staff, role: Role) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"Authorization": f"Bearer {staff[role].token}"}


def _stored(app: FastAPI, dossier_id: str) -> Path:
    return app.state.settings.data_dir / "dossiers" / f"{dossier_id}.yaml"


def test_upload_yaml_stores_it_and_lists_documents(client: TestClient, app: FastAPI, staff) -> None:  # type: ignore[no-untyped-def]
    h = _auth(staff, Role.PRIVACYFUNCTIONARIS)
    r = client.post("/dossiers", content=SMALL.read_bytes(), headers={**h, **YAML_TYPE})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["id"] == "testdorp" and body["vervangen"] is False
    assert all(w["ernst"] == "waarschuwing" for w in body["waarschuwingen"])
    assert [d["naam"] for d in body["documenten"]][:2] == ["overeenkomst", "besluit-art20"]
    assert _stored(app, "testdorp").read_text("utf-8") == SMALL.read_text("utf-8")  # kept as written

    assert [d["id"] for d in client.get("/dossiers", headers=h).json()] == ["testdorp"]
    docs = client.get("/dossiers/testdorp/documents", headers=h).json()
    assert {
        "naam": "overeenkomst",
        "titel": "Samenwerkingsovereenkomst Wijkzaken Testdorp",
        "pdf": "/dossiers/testdorp/documents/overeenkomst.pdf",
        "docx": "/dossiers/testdorp/documents/overeenkomst.docx",
    } in docs
    pdf = client.get("/dossiers/testdorp/documents/overeenkomst.pdf", headers=h)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    docx = client.get("/dossiers/testdorp/documents/mandaat-mandaat-teamchef.docx", headers=h)
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    detail = client.get("/dossiers/testdorp", headers=h).json()
    assert detail["samenvatting"]["titel"] == "Samenwerkingsovereenkomst Wijkzaken Testdorp"
    assert detail["dossier"]["parties"][0]["name"] == "Gemeente Testdorp"

    again = client.post("/dossiers", content=SMALL.read_bytes(), headers={**h, **YAML_TYPE})
    assert again.status_code == 200 and again.json()["vervangen"] is True


def test_upload_json_is_stored_as_yaml(client: TestClient, app: FastAPI, staff) -> None:  # type: ignore[no-untyped-def]
    data = yaml.safe_load(SMALL.read_text("utf-8"))
    r = client.post(
        "/dossiers",
        content=json.dumps(data, default=str),
        headers={**_auth(staff, Role.PRIVACYFUNCTIONARIS), "Content-Type": "application/json"},
    )
    assert r.status_code == 201, r.text
    stored = yaml.safe_load(_stored(app, "testdorp").read_text("utf-8"))
    assert stored["parties"][1]["signatories"][0]["mandate"] == "mandaat-teamchef"


def _post_bad(client: TestClient, staff, text: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/dossiers", content=text.encode(), headers={**_auth(staff, Role.PRIVACYFUNCTIONARIS), **YAML_TYPE}
    )


def test_malformed_yaml_is_422_with_line_and_leaves_stored_dossier_untouched(
    client: TestClient, app: FastAPI, staff
) -> None:  # type: ignore[no-untyped-def]
    assert _post_bad(client, staff, SMALL.read_text("utf-8")).status_code == 201
    before = _stored(app, "testdorp").read_bytes()
    broken = SMALL.read_text("utf-8").replace(
        "title: Samenwerkingsovereenkomst", "title: [Samenwerkingsovereenkomst"
    )
    r = _post_bad(client, staff, broken)
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "dossier_ongeldig"
    assert "ongeldige YAML op regel" in body["melding"]
    assert _stored(app, "testdorp").read_bytes() == before
    assert not list(_stored(app, "testdorp").parent.glob(".upload-*"))


def test_wrong_types_are_422_with_dutch_messages_and_field_paths(client: TestClient, staff) -> None:  # type: ignore[no-untyped-def]
    text = (
        SMALL.read_text("utf-8")
        .replace("signing: {date: 2018-06-14", "signing: {date: veertien juni")
        .replace("per_year: 195000", "per_year: veel")
    )
    r = _post_bad(client, staff, text)
    assert r.status_code == 422
    problems = {p["pad"]: p["melding"] for p in r.json()["fouten"]}
    assert problems["signing.date"].startswith("moet een datum zijn (JJJJ-MM-DD) (regel ")
    assert problems["budget.per_year"].startswith("moet een bedrag zijn (regel ")


def test_unknown_reference_is_422_naming_the_field(client: TestClient, app: FastAPI, staff) -> None:  # type: ignore[no-untyped-def]
    text = SMALL.read_text("utf-8").replace("[[ref:doel]].", "[[ref:bestaat-niet]].")
    r = _post_bad(client, staff, text)
    assert r.status_code == 422
    problem = next(p for p in r.json()["fouten"] if p["code"] == "onbekende_verwijzing")
    assert problem["pad"] == "annexes.0.body.parts.0.chapters.1.articles.0.leden.1.text"
    assert "bestaat-niet" in problem["melding"]
    assert not _stored(app, "testdorp").exists()


def test_not_a_dossier_at_all_is_422(client: TestClient, staff) -> None:  # type: ignore[no-untyped-def]
    for text in ("- een\n- lijst\n", "", '{"id": ', "\x00\x01binary"):
        r = _post_bad(client, staff, text)
        assert r.status_code == 422, (text, r.text)
        assert r.json()["melding"]


def test_coordinator_may_read_but_not_upload(client: TestClient, staff) -> None:  # type: ignore[no-untyped-def]
    r = client.post(
        "/dossiers", content=SMALL.read_bytes(), headers={**_auth(staff, Role.COORDINATOR), **YAML_TYPE}
    )
    assert r.status_code == 403
    assert client.get("/dossiers", headers=_auth(staff, Role.COORDINATOR)).status_code == 200


def test_unknown_dossier_document_and_format_are_404(client: TestClient, staff) -> None:  # type: ignore[no-untyped-def]
    h = _auth(staff, Role.PRIVACYFUNCTIONARIS)
    assert _post_bad(client, staff, SMALL.read_text("utf-8")).status_code == 201
    assert client.get("/dossiers/bestaat-niet", headers=h).status_code == 404
    r = client.get("/dossiers/testdorp/documents/mandaat-onbekend.pdf", headers=h)
    assert r.status_code == 404 and "Beschikbaar" in r.json()["melding"]
    assert client.get("/dossiers/testdorp/documents/overeenkomst.exe", headers=h).status_code == 404
    assert client.get("/dossiers/..%2F..%2Fetc/documents", headers=h).status_code == 404


def test_content_type_decides_the_language(client: TestClient, staff) -> None:  # type: ignore[no-untyped-def]
    h = _auth(staff, Role.PRIVACYFUNCTIONARIS)
    r = client.post(
        "/dossiers", content=SMALL.read_bytes(), headers={**h, "Content-Type": "application/json"}
    )
    assert r.status_code == 422 and "ongeldige JSON op regel" in r.json()["melding"]
    r = client.post("/dossiers", content=SMALL.read_bytes(), headers={**h, "Content-Type": "application/pdf"})
    assert r.status_code == 415 and "application/yaml" in r.json()["melding"]
    r = client.post(
        "/dossiers", content=SMALL.read_bytes(), headers={**h, "Content-Type": "text/yaml; charset=utf-8"}
    )
    assert r.status_code == 201


def test_a_write_that_fails_half_way_leaves_the_stored_dossier_untouched(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import os

    from service.dossiers.storage import DossierStore

    store = DossierStore(tmp_path / "dossiers")
    store.save("testdorp", "id: testdorp\nversie: 1\n")

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError):
        store.save("testdorp", "id: testdorp\nversie: 2\n" + "x" * 10_000)
    assert store.path("testdorp").read_text("utf-8") == "id: testdorp\nversie: 1\n"
    assert [p.name for p in (tmp_path / "dossiers").iterdir()] == ["testdorp.yaml"]


def test_api_upload_registers_the_agreement_so_the_meeting_check_knows_it(
    client: TestClient, app: FastAPI, staff
) -> None:  # type: ignore[no-untyped-def]
    from sqlmodel import Session

    from registry.database import make_engine
    from registry.sync import get_agreement

    h = _auth(staff, Role.PRIVACYFUNCTIONARIS)
    assert client.post("/dossiers", content=SMALL.read_bytes(), headers={**h, **YAML_TYPE}).status_code == 201
    with Session(make_engine(app.state.settings.effective_database_url)) as s:
        agreement = get_agreement(s, "testdorp")
    assert agreement is not None and agreement.title == "Samenwerkingsovereenkomst Wijkzaken Testdorp"


def test_oversized_upload_is_refused_in_dutch_before_it_is_read_whole(
    client: TestClient, app: FastAPI, staff
) -> None:  # type: ignore[no-untyped-def]
    h = _auth(staff, Role.PRIVACYFUNCTIONARIS)
    limit = app.state.settings.max_upload_bytes

    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(limit // 65536 + 2):
            yield b"#" * 65536

    r = client.post("/dossiers", content=chunks(), headers={**h, **YAML_TYPE})
    assert r.status_code == 413 and "te groot" in r.json()["melding"]
    assert not (app.state.settings.data_dir / "dossiers").exists() or not any(
        (app.state.settings.data_dir / "dossiers").glob("*.yaml")
    )


def test_a_regional_covenant_without_one_municipality_is_stored_and_rendered(  # type: ignore[no-untyped-def]
    client: TestClient, staff
) -> None:
    h = _auth(staff, Role.PRIVACYFUNCTIONARIS)
    regional = SMALL.with_name("structured_dossier.yaml").read_bytes()
    r = client.post("/dossiers", content=regional, headers={**h, **YAML_TYPE})
    assert r.status_code == 201, r.text
    assert r.json()["waarschuwingen"] == []
    listed = client.get("/dossiers", headers=h).json()
    assert [(d["id"], d["gemeente"]) for d in listed] == [("zorg-veiligheid-twente", "Regio Twente")]
    pdf = client.get("/dossiers/zorg-veiligheid-twente/documents/overeenkomst.pdf", headers=h)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
