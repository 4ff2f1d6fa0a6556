"""POST /validate, `convenant verify` and `convenant sign`: reports for good files, Dutch errors for bad."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from service.settings import Settings, get_settings
from signing import sign_pdf
from tests.signing.conftest import request_for
from tests.signing.hostile import (
    deeply_nested_pdf,
    garbage_with_pdf_header,
    minimal_pdf,
    random_bytes,
    truncated,
)


@pytest.fixture(scope="module")
def lt_signed(one_field_pdf, pki, trust, signer) -> bytes:
    return sign_pdf(one_field_pdf, request_for("zeist", "B-LT", tsa_url=pki.tsa_url, trust=trust), signer)


@pytest.fixture(scope="module")
def validation_api(pki, tmp_path_factory) -> Iterator[TestClient]:
    from service.app import create_app

    data_dir = tmp_path_factory.mktemp("api-data")
    settings = Settings(
        data_dir=data_dir,
        database_url=f"sqlite:///{data_dir / 'api.db'}",
        trust_roots=[pki.root_path],
        max_upload_bytes=400_000,
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


def test_validate_accepts_a_pdf_body(validation_api, lt_signed, pki) -> None:
    before = list(pki.app.requests)
    response = validation_api.post(
        "/validate", content=lt_signed, headers={"content-type": "application/pdf"}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["alles_geldig"] is True
    sig = body["handtekeningen"][0]
    assert sig["veld"] == "sig-zeist"
    assert sig["indication"] == "TOTAL_PASSED"
    assert sig["niveau"] == "B-LT"
    assert sig["vertrouwensketen"][-1].startswith("Common Name: Test Root CA")
    assert pki.app.requests == before  # uploads are validated without fetching


def test_validate_accepts_a_multipart_upload(validation_api, lt_signed) -> None:
    files = {"bestand": ("overeenkomst.pdf", lt_signed, "application/pdf")}
    response = validation_api.post("/validate", files=files)
    assert response.status_code == 200, response.text
    assert response.json()["handtekeningen"][0]["indication"] == "TOTAL_PASSED"


def test_unsigned_pdf_is_reported_without_signatures(validation_api) -> None:
    response = validation_api.post(
        "/validate", content=minimal_pdf(), headers={"content-type": "application/pdf"}
    )
    assert response.status_code == 200
    assert response.json()["aantal_handtekeningen"] == 0
    assert response.json()["alles_geldig"] is False


@pytest.mark.parametrize(
    ("name", "make", "words"),
    [
        ("willekeurige bytes", lambda pdf: random_bytes(), "geen PDF"),
        ("afgekapt", truncated, "onvolledig"),
        ("diep genest", lambda pdf: deeply_nested_pdf(), "genest"),
        ("rommel met PDF-kop", lambda pdf: garbage_with_pdf_header(), "beschadigd"),
    ],
)
def test_broken_uploads_get_a_dutch_422(validation_api, lt_signed, name, make, words) -> None:
    response = validation_api.post(
        "/validate", content=make(lt_signed), headers={"content-type": "application/pdf"}
    )
    assert response.status_code == 422, (name, response.text)
    body = response.json()
    assert body["code"] == "pdf_ongeldig"
    assert words in body["melding"]
    assert "Traceback" not in response.text


def test_broken_multipart_upload_gets_a_dutch_422(validation_api) -> None:
    response = validation_api.post(
        "/validate", files={"bestand": ("x.pdf", random_bytes(), "application/pdf")}
    )
    assert response.status_code == 422
    assert "geen PDF" in response.json()["melding"]


def test_missing_file_field_is_named(validation_api) -> None:
    response = validation_api.post("/validate", files={"iets": ("x.pdf", b"%PDF-", "application/pdf")})
    assert response.status_code == 422
    assert "bestand" in response.json()["melding"]


def test_upload_over_the_size_limit_is_refused(validation_api) -> None:
    big = minimal_pdf() + b"%" + b"x" * 500_000 + b"\n%%EOF\n"
    response = validation_api.post("/validate", content=big, headers={"content-type": "application/pdf"})
    assert response.status_code == 413
    assert "te groot" in response.json()["melding"]  # refused before the body is read (body limit)


def test_other_content_types_are_refused_in_dutch(validation_api) -> None:
    response = validation_api.post("/validate", content=b"hallo", headers={"content-type": "text/plain"})
    assert response.status_code == 422
    assert "application/pdf" in response.json()["melding"]


# --- CLI -------------------------------------------------------------------------------------------


@pytest.fixture
def cli_env(monkeypatch, pki, tmp_path) -> Iterator[Path]:
    monkeypatch.setenv("CONVENANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CONVENANT_TRUST_ROOTS", json.dumps([str(pki.root_path)]))
    monkeypatch.setenv("CONVENANT_PKCS12_PATH", str(pki.signer_p12))
    monkeypatch.setenv("CONVENANT_PKCS12_PASSPHRASE", pki.passphrase)
    monkeypatch.setenv("CONVENANT_TSA_URL", pki.tsa_url)
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def _cli(*args: str):  # type: ignore[no-untyped-def]
    from service.cli import app

    return CliRunner().invoke(app, list(args))


def test_cli_verify_prints_a_dutch_report(cli_env, lt_signed) -> None:
    path = cli_env / "getekend.pdf"
    path.write_bytes(lt_signed)
    result = _cli("verify", str(path))
    assert result.exit_code == 0, result.output
    assert "Uitkomst:" in result.output and "TOTAL_PASSED" in result.output
    assert "PAdES-niveau:" in result.output and "B-LT" in result.output
    assert "Conclusie: alle handtekeningen zijn geldig" in result.output


def test_cli_verify_json(cli_env, lt_signed) -> None:
    path = cli_env / "getekend.pdf"
    path.write_bytes(lt_signed)
    result = _cli("verify", str(path), "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["handtekeningen"][0]["indication"] == "TOTAL_PASSED"


@pytest.mark.parametrize("make", [lambda pdf: random_bytes(), truncated, lambda pdf: deeply_nested_pdf()])
def test_cli_verify_broken_file_is_a_clean_error(cli_env, lt_signed, make) -> None:
    path = cli_env / "kapot.pdf"
    path.write_bytes(make(lt_signed))
    result = _cli("verify", str(path))
    assert result.exit_code == 2
    assert result.output.startswith("fout: ")
    assert (
        "Traceback" not in result.output
        and result.exception is None
        or isinstance(result.exception, SystemExit)
    )


def test_cli_sign_then_verify(cli_env, one_field_pdf) -> None:
    source, target = cli_env / "leeg.pdf", cli_env / "getekend.pdf"
    source.write_bytes(one_field_pdf)
    result = _cli(
        "sign", str(source), "--field", "sig-zeist", "--signer", "Drs. J.J.L.M. Janssen",
        "--functie", "Burgemeester", "--organisatie", "Gemeente Zeist", "--level", "B-LT",
        "--out", str(target),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    verified = _cli("verify", str(target), "--json")
    sig = json.loads(verified.stdout)["handtekeningen"][0]
    assert sig["indication"] == "TOTAL_PASSED" and sig["niveau"] == "B-LT"


def test_cli_sign_unknown_field_is_a_clean_dutch_error(cli_env, one_field_pdf) -> None:
    source = cli_env / "leeg.pdf"
    source.write_bytes(one_field_pdf)
    result = _cli(
        "sign", str(source), "--field", "sig-onbekend", "--signer", "X", "--functie", "Y",
        "--organisatie", "Z",
        "--out", str(cli_env / "uit.pdf"),
    )  # fmt: skip
    assert result.exit_code == 2
    assert "geen handtekeningveld 'sig-onbekend'" in result.output
    assert not (cli_env / "uit.pdf").exists()


def test_cli_sign_with_dossier_checks_the_mandate_first(cli_env) -> None:
    from signing import add_signature_fields
    from tests.signing.conftest import field_specs, render_declaration

    source, target = cli_env / "overeenkomst.pdf", cli_env / "getekend.pdf"
    source.write_bytes(add_signature_fields(render_declaration(("bogerd",)), field_specs(("bogerd",))))
    zeist = Path(__file__).resolve().parents[2] / "examples" / "zeist.yaml"
    common = ["sign", str(source), "--dossier", str(zeist), "--partij", "politie", "--signer", "bogerd"]
    refused = _cli(*common, "--datum", "2018-04-01", "--out", str(target))
    assert refused.exit_code == 2
    assert "pas genomen op 11 april 2018" in refused.output
    assert not target.exists()
    allowed = _cli(*common, "--datum", "2018-06-14", "--level", "B-LT", "--out", str(target))
    assert allowed.exit_code == 0, allowed.output
    sig = json.loads(_cli("verify", str(target), "--json").stdout)["handtekeningen"][0]
    assert sig["veld"] == "sig-bogerd" and sig["indication"] == "TOTAL_PASSED"


def test_cli_verify_online_fetches_what_a_b_t_signature_lacks(
    cli_env, one_field_pdf, pki, trust, signer
) -> None:
    path = cli_env / "b-t.pdf"
    path.write_bytes(sign_pdf(one_field_pdf, request_for("zeist", "B-T", tsa_url=pki.tsa_url), signer))
    offline = json.loads(_cli("verify", str(path), "--json").stdout)["handtekeningen"][0]
    assert (offline["indication"], offline["sub_indication"]) == ("INDETERMINATE", "TRY_LATER")
    before = len(pki.app.requests)
    online = json.loads(_cli("verify", str(path), "--json", "--online").stdout)["handtekeningen"][0]
    assert online["indication"] == "TOTAL_PASSED" and online["niveau"] == "B-T"
    assert len(pki.app.requests) > before  # it did fetch OCSP/CRL from the (loopback) PKI


def test_cli_signs_the_output_of_generate(cli_env) -> None:
    from tests.pdfa import assert_pdfa

    zeist = Path(__file__).resolve().parents[2] / "examples" / "zeist.yaml"
    generated = _cli("generate", str(zeist), "--out", str(cli_env / "uit"))
    assert generated.exit_code == 0, generated.output
    source = cli_env / "uit" / "zeist-wijkgericht-werken-2018-overeenkomst.pdf"
    assert_pdfa(source.read_bytes(), "de gegenereerde overeenkomst")
    first, second = cli_env / "een.pdf", cli_env / "twee.pdf"
    signed = _cli(
        "sign", str(source), "--dossier", str(zeist), "--partij", "politie", "--signer", "bogerd",
        "--datum", "2018-06-14", "--level", "B-LT", "--out", str(first),
    )  # fmt: skip
    assert signed.exit_code == 0, signed.output
    again = _cli(
        "sign", str(first), "--dossier", str(zeist), "--partij", "gemeente", "--signer", "janssen",
        "--datum", "2018-06-14", "--level", "B-LT", "--out", str(second),
    )  # fmt: skip
    assert again.exit_code == 0, again.output
    report = json.loads(_cli("verify", str(second), "--json").stdout)
    signed_fields = {s["veld"]: s["indication"] for s in report["handtekeningen"]}
    assert signed_fields == {"sig-bogerd": "TOTAL_PASSED", "sig-janssen": "TOTAL_PASSED"}
    assert_pdfa(second.read_bytes(), "de twee keer ondertekende overeenkomst")
