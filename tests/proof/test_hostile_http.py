"""Hostile requests to the real app over HTTP (in-process ASGI): oversized uploads, zip bombs posing as
DOCX, malicious PDFs to POST /validate, a dossier full of template syntax, HTML and file:// / loopback
references uploaded and rendered through the API, login brute force and API-token guessing."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.proof import hostile_pdfs as H
from tests.proof.api_support import PASSWORD, build_api_world
from tests.proof.hostile import canary_server, inject_everywhere, load_yaml, payloads

ROOT = Path(__file__).resolve().parents[2]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PERSON_FIELDS = frozenset({"name", "function", "mandator", "mandatary"})
CSRF_RE = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


@pytest.fixture(scope="module")
def world(tmp_path_factory):  # type: ignore[no-untyped-def]
    w = build_api_world(tmp_path_factory.mktemp("http") / "data")
    yield w
    w.app.state.engine.dispose()


@pytest.fixture
def client(world) -> TestClient:  # type: ignore[no-untyped-def]
    return TestClient(
        world.app, base_url="https://testserver", follow_redirects=False, raise_server_exceptions=False
    )


def officer(world) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"Authorization": f"Bearer {world.tokens['privacyfunctionaris']}"}


def assert_dutch_problem(response, *statuses: int) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code in statuses, (response.status_code, response.text[:300])
    body = response.json()
    assert body["melding"] and body["code"]
    assert "Traceback" not in response.text and "Error" not in body["melding"]
    return body  # type: ignore[no-any-return]


def zip_bomb() -> bytes:
    """A DOCX-shaped zip whose document.xml inflates to 1 GB of spaces (about 1 MB on the wire)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b" " * (1 << 20)
            for _ in range(1024):
                member.write(chunk)
    return buf.getvalue()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return zip_bomb()


# --- oversized uploads -------------------------------------------------------------------------------


def test_an_oversized_dossier_upload_is_refused_in_dutch_and_nothing_is_stored(client, world):
    before = client.get("/dossiers", headers=officer(world)).json()
    big = b"title: " + b"x" * (world.settings.max_upload_bytes + 10) + b"\n"
    r = client.post("/dossiers", content=big, headers={**officer(world), "Content-Type": "application/yaml"})
    body = assert_dutch_problem(r, 413, 422)
    assert re.search(r"groo?te?r?", body["melding"])
    assert client.get("/dossiers", headers=officer(world)).json() == before


@pytest.mark.parametrize("mode", ["raw", "multipart"])
def test_an_oversized_pdf_to_the_validator_is_refused_in_dutch(client, world, mode):
    big = b"%PDF-1.7\n" + b"0" * (world.settings.max_upload_bytes + 10) + b"\n%%EOF\n"
    if mode == "raw":
        r = client.post("/validate", content=big, headers={"Content-Type": "application/pdf"})
    else:
        r = client.post("/validate", files={"bestand": ("groot.pdf", big, "application/pdf")})
    assert re.search(r"groo?te?r?", assert_dutch_problem(r, 413, 422)["melding"])


# --- zip bombs as DOCX ---------------------------------------------------------------------------------


@pytest.mark.timeout(60)
def test_a_zip_bomb_posing_as_docx_is_refused_as_a_dossier(client, world, bomb):
    before = client.get("/dossiers", headers=officer(world)).json()
    r = client.post("/dossiers", content=bomb, headers={**officer(world), "Content-Type": DOCX})
    assert_dutch_problem(r, 413, 415, 422)
    assert client.get("/dossiers", headers=officer(world)).json() == before


@pytest.mark.timeout(60)
@pytest.mark.parametrize("mode", ["raw", "multipart"])
def test_a_zip_bomb_posing_as_docx_is_refused_by_the_validator(client, bomb, mode):
    if mode == "raw":
        r = client.post("/validate", content=bomb, headers={"Content-Type": DOCX})
    else:
        r = client.post("/validate", files={"bestand": ("verklaring.docx", bomb, DOCX)})
    assert_dutch_problem(r, 413, 415, 422)


# --- malicious PDFs through POST /validate -------------------------------------------------------------


@pytest.mark.timeout(120)
def test_malicious_pdfs_posted_to_validate_get_a_dutch_refusal_or_a_failing_report(client):
    cases = {
        "random": H.random_bytes(50_000),
        "random with header": H.random_with_header(50_000),
        "deep arrays": H.deep_arrays(),
        "deep dictionaries": H.deep_dictionaries(),
        "cycles": H.page_tree_cycle(),
        "xref loop": H.self_referencing_xref(),
        "lying length": H.lying_lengths(),
        "forged signature": H.forged_signature(),
        "flate bomb": H.flate_bomb(100),
    }
    for name, data in cases.items():
        r = client.post("/validate", content=data, headers={"Content-Type": "application/pdf"})
        assert r.status_code in (200, 422), (name, r.status_code, r.text[:300])
        body = r.json()
        if r.status_code == 200:
            assert body["alles_geldig"] is False, name
        else:
            assert body["melding"], name


# --- a hostile dossier through the API -----------------------------------------------------------------


@pytest.mark.timeout(300)
def test_a_hostile_dossier_uploaded_through_the_api_renders_literally_without_any_fetch(client, world):
    import json

    with canary_server() as canary:
        # Names of people stay as they are: the upload's consistency check compares them across documents
        # (a signatory and the mandate they sign under), and it rightly refuses a dossier where they differ.
        raw = load_yaml(str(ROOT / "examples" / "zeist.yaml"))
        data, injected = inject_everywhere(raw, payloads(canary), skip_keys=PERSON_FIELDS)
        data["id"] = "zeist-vijandig"
        r = client.post(
            "/dossiers",
            content=json.dumps(data, default=str),
            headers={**officer(world), "Content-Type": "application/json"},
        )
        assert r.status_code in (200, 201), r.text[:500]
        documents = r.json()["documenten"]
        assert documents
        for doc in documents:
            for link in (doc["pdf"], doc["docx"]):
                got = client.get(link, headers=officer(world))
                assert got.status_code == 200, (link, got.status_code, got.text[:300])
                assert b"root:x:0:0" not in got.content
        assert canary.requests == []
    assert len(injected) >= 100


# --- brute force and guessing ---------------------------------------------------------------------------


def _login(client: TestClient, email: str, password: str):  # type: ignore[no-untyped-def]
    page = client.get("/aanmelden")
    m = CSRF_RE.search(page.text)
    data = {"email": email, "wachtwoord": password}
    if m:
        data["csrf_token"] = m.group(1)
    return client.post("/aanmelden", data=data)


def test_login_brute_force_is_stopped_even_for_the_right_password(client):
    email = "coordinator@proef.example"
    statuses = [_login(client, email, f"fout-{n}").status_code for n in range(8)]
    assert statuses[:5] == [401] * 5
    assert statuses[5:] == [429] * 3
    right = _login(client, email, PASSWORD)
    assert right.status_code == 429  # the limit holds even once the guess is right
    assert "Te veel mislukte aanmeldpogingen" in right.text


def test_guessing_api_tokens_is_rate_limited_per_address(world):
    guesser = TestClient(
        world.app,
        base_url="https://testserver",
        raise_server_exceptions=False,
        client=("198.51.100.7", 50000),
    )
    statuses = [
        guesser.get("/dossiers", headers={"Authorization": f"Bearer cvt_geraden{n}"}).status_code
        for n in range(25)
    ]
    assert statuses[:20] == [401] * 20 and set(statuses[20:]) == {429}
    # From that address even a valid token is refused until the window has passed.
    r = guesser.get("/dossiers", headers=officer(world))
    assert r.status_code == 429 and "Te veel" in r.json()["melding"]
    # Other addresses are not affected.
    other = TestClient(world.app, base_url="https://testserver", client=("198.51.100.8", 50000))
    assert other.get("/dossiers", headers=officer(world)).status_code == 200
