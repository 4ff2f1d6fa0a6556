# ruff: noqa: F811  (pytest fixtures imported from the support modules)
"""Dossier versions and what was signed: every upload is a new version; a fully signed version is frozen, so
the budget changed after signing never shows next to "volledig ondertekend" — via the page and the API."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from accounts_support import csrf_from, https_client, login, make_app, make_staff
from links_support import ZEIST, clean_invitation_tables, post_form, sign_agreement_link, token_from, upload
from mail_support import smtp_server  # noqa: F401
from sqlmodel import Session, select

from registry.audit import verify_chain
from registry.models import AuditEntry
from service.accounts.roles import Role
from service.invitations.models import SigningRound

pytestmark = pytest.mark.db  # runs on SQLite and again on PostgreSQL

SIGNERS = [
    "burgemeester@zeist.example.nl",
    "teamchef.zblw@politie.example.nl",
    "directie@rkwbv.example.nl",
    "directie@meander.example.nl",
    "directie@woongoed.example.nl",
]


@pytest.fixture()
def world(tmp_path: Path, test_database_url: str, smtp_server) -> Iterator[dict]:
    inbox, port = smtp_server
    app = make_app(
        tmp_path,
        test_database_url,
        smtp_host="127.0.0.1",
        smtp_port=port,
        mail_from="convenant@zeist.example",
        base_url="https://convenant.zeist.example",
    )
    clean_invitation_tables(test_database_url)
    staff = make_staff(app)
    officer = login(https_client(app), staff[Role.PRIVACYFUNCTIONARIS].email)
    yield {"app": app, "inbox": inbox, "officer": officer, "staff": staff}
    app.state.engine.dispose()
    clean_invitation_tables(test_database_url)  # leave no signing round to a later module


def _zeist(per_year: str) -> bytes:
    text = ZEIST.read_text(encoding="utf-8")
    assert "  per_year: 195000.00\n" in text
    return text.replace("  per_year: 195000.00\n", f"  per_year: {per_year}\n").encode("utf-8")


def _upload_page(client, content: bytes, **form: str):  # type: ignore[no-untyped-def]
    page = client.get("/portaal/dossiers")
    return client.post(
        "/portaal/dossiers",
        data={"csrf_token": csrf_from(page.text), **form},
        files={"bestand": ("zeist.yaml", content, "application/x-yaml")},
    )


def _sign_all(world: dict, dossier_id: str) -> None:
    officer = world["officer"]
    r = post_form(officer, f"/portaal/dossiers/{dossier_id}", f"/portaal/dossiers/{dossier_id}/ondertekening")
    assert r.status_code == 303 and "verstuurd" in r.headers["location"], r.text[:500]
    for address in SIGNERS:
        token = token_from(world["inbox"], address)
        r = sign_agreement_link(https_client(world["app"]), token, world["inbox"])
        assert r.status_code == 303, r.text[:500]


def _signing_section(html: str) -> str:
    return html[html.index('id="ondertekening"') :]


def _last_seq(app) -> int:  # type: ignore[no-untyped-def]
    from sqlalchemy import func

    with Session(app.state.engine) as db:
        return int(db.exec(select(func.coalesce(func.max(AuditEntry.seq), 0))).one())


def test_every_upload_is_a_new_version_with_author_comment_and_export(world) -> None:
    start = _last_seq(world["app"])
    officer = world["officer"]
    dossier_id = upload(officer)
    r = _upload_page(officer, _zeist("196000.00"), toelichting="bijdrage verhoogd")
    assert r.status_code == 303
    page = officer.get(f"/portaal/dossiers/{dossier_id}").text
    assert "Huidige versie: <strong>versie 2</strong>" in page
    versions = page[page.index('id="versies"') : page.index('id="ondertekening"')]
    assert "bijdrage verhoogd" in versions and versions.count("privacyfunctionaris@zeist.example") == 2
    first = officer.get(f"/portaal/dossiers/{dossier_id}/versies/1.yaml")
    assert first.status_code == 200 and "per_year: 195000.00" in first.text
    assert "per_year: 196000.00" in officer.get(f"/portaal/dossiers/{dossier_id}/export.yaml").text
    api = https_client(world["app"])
    h = {"Authorization": f"Bearer {world['staff'][Role.PRIVACYFUNCTIONARIS].token}"}
    listed = api.get(f"/dossiers/{dossier_id}/versies", headers=h).json()
    assert [v["versie"] for v in listed] == [1, 2] and listed[1]["toelichting"] == "bijdrage verhoogd"
    assert "per_year: 195000.00" in api.get(f"/dossiers/{dossier_id}/versies/1.yaml", headers=h).text
    # every version is an audit entry naming its author, and the chain still verifies
    with Session(world["app"].state.engine) as db:
        entries = db.exec(
            select(AuditEntry).where(AuditEntry.entity == "dossier_version", AuditEntry.seq > start)
        ).all()
        assert len(entries) == 2 and all("privacyfunctionaris" in e.actor for e in entries)
        assert verify_chain(db.connection()).ok


def test_a_signed_dossier_is_never_replaced_silently_via_the_page(world) -> None:
    officer = world["officer"]
    dossier_id = upload(officer)
    _sign_all(world, dossier_id)
    detail = officer.get(f"/portaal/dossiers/{dossier_id}").text
    assert "volledig ondertekend" in detail and "€\xa0195.000,00" in detail

    # A plain upload of a changed budget is refused: the signed version stays what the page shows.
    refused = _upload_page(officer, _zeist("250000.00"))
    assert refused.status_code == 422 and "volledig ondertekend (versie 1)" in refused.text
    detail = officer.get(f"/portaal/dossiers/{dossier_id}").text
    assert "€\xa0250.000" not in detail and "volledig ondertekend" in detail

    # Asked for explicitly, it becomes version 2 — and the page says the signatures do not cover it.
    r = _upload_page(officer, _zeist("250000.00"), nieuwe_versie="ja", toelichting="budget verhoogd")
    assert r.status_code == 303 and "nieuwe-versie" in r.headers["location"]
    flash = officer.get(r.headers["location"]).text
    assert "gelden niet voor deze versie" in flash
    detail = officer.get(f"/portaal/dossiers/{dossier_id}").text
    assert "Versie 2 is niet ondertekend" in detail
    assert "De handtekeningen op versie 1" in detail and "gelden niet voor versie 2" in detail
    assert "nieuwe ondertekeningsronde" in detail and "addendum" in detail
    signing = _signing_section(detail)  # the signed budget, never the new one
    assert "volledig ondertekend" in signing and "(versie 1 van het dossier)" in signing
    assert "€\xa0195.000,00" in signing and "€\xa0250.000" not in signing
    # Which version was signed by whom.
    versions = detail[detail.index('id="versies"') : detail.index('id="ondertekening"')]
    row1 = versions[versions.index('<td data-label="Versie">versie 1</td>') :]
    assert "Door alle partijen ondertekend — ondertekend door" in row1 and row1.count(" op ") >= 5
    assert '<td data-label="Versie">versie 2</td>' in versions
    # The new version can be sent: a new round for version 2, and version 1 stays signed.
    r = post_form(officer, f"/portaal/dossiers/{dossier_id}", f"/portaal/dossiers/{dossier_id}/ondertekening")
    assert r.status_code == 303 and "verstuurd" in r.headers["location"]
    with Session(world["app"].state.engine) as db:
        rounds = db.exec(select(SigningRound).order_by(SigningRound.id)).all()  # type: ignore[arg-type]
    assert [(x.dossier_version, x.status) for x in rounds] == [(1, "voltooid"), (2, "open")]


def test_a_signed_dossier_is_never_replaced_silently_via_the_api(world) -> None:
    officer = world["officer"]
    dossier_id = upload(officer)
    _sign_all(world, dossier_id)
    api = https_client(world["app"])
    h = {
        "Authorization": f"Bearer {world['staff'][Role.PRIVACYFUNCTIONARIS].token}",
        "Content-Type": "application/yaml",
    }
    refused = api.post("/dossiers", content=_zeist("250000.00"), headers=h)
    assert refused.status_code == 409, refused.text
    assert "volledig ondertekend (versie 1)" in refused.json()["melding"]
    assert refused.json()["code"] == "ondertekende_versie"
    got = api.get(f"/dossiers/{dossier_id}", headers=h).json()
    assert got["dossier"]["budget"]["per_year"] in ("195000.00", "195000.0", 195000.0, "195000")
    assert got["ondertekening"] == {"status": "voltooid", "versie": 1, "geldt_voor_huidige_versie": True}

    ok = api.post("/dossiers?nieuwe_versie_na_ondertekening=ja", content=_zeist("250000.00"), headers=h)
    assert ok.status_code == 200, ok.text
    body = ok.json()
    assert body["versie"] == 2 and body["ondertekende_versie"] == 1
    assert "gelden niet voor een nieuwe versie" in body["let_op"]
    got = api.get(f"/dossiers/{dossier_id}", headers=h).json()
    assert got["versie"] == 2
    assert got["ondertekening"] == {"status": "voltooid", "versie": 1, "geldt_voor_huidige_versie": False}
    listed = api.get(f"/dossiers/{dossier_id}/versies", headers=h).json()
    assert listed[0]["ondertekening"] == ["voltooid"] and len(listed[0]["ondertekend_door"]) == 5
    assert listed[1]["ondertekening"] == [] and listed[1]["ondertekend_door"] == []
    assert re.search(r"per_year: '?195000", api.get(f"/dossiers/{dossier_id}/versies/1.yaml", headers=h).text)


def test_a_version_out_for_signature_is_frozen_until_the_round_is_withdrawn(world) -> None:
    officer = world["officer"]
    dossier_id = upload(officer)
    r = post_form(officer, f"/portaal/dossiers/{dossier_id}", f"/portaal/dossiers/{dossier_id}/ondertekening")
    assert r.status_code == 303
    refused = _upload_page(officer, _zeist("250000.00"), nieuwe_versie="ja")
    assert refused.status_code == 422 and "Trek eerst de ondertekening in" in refused.text
    with Session(world["app"].state.engine) as db:
        rnd = db.exec(select(SigningRound)).one()
    assert rnd.dossier_version == 1
    data = yaml.safe_load(officer.get(f"/portaal/dossiers/{dossier_id}/export.yaml").text)
    assert str(data["budget"]["per_year"]).startswith("195000")


def test_redline_between_versions_as_page_and_pdf(world) -> None:
    from templates.textextract import pdf_text

    officer = world["officer"]
    dossier_id = upload(officer)
    changed = _zeist("250000.00").replace(
        b"Deze regeling is van toepassing op ieder", b"Deze regeling is van toepassing op elk"
    )
    assert _upload_page(officer, changed, toelichting="budget en reikwijdte").status_code == 303
    detail = officer.get(f"/portaal/dossiers/{dossier_id}").text
    assert f"/portaal/dossiers/{dossier_id}/vergelijken?van=1&amp;naar=2" in detail
    page = officer.get(f"/portaal/dossiers/{dossier_id}/vergelijken?van=1&naar=2")
    assert page.status_code == 200
    html = page.text
    assert "Bijdrage per jaar" in html and "€\xa0195.000,00" in html and "€\xa0250.000,00" in html
    assert "Artikel 3 Reikwijdte" in html and '<del class="rl">ieder</del>' in html
    assert '<ins class="rl">elk</ins>' in html
    # an unchanged article is not listed
    assert "Artikel 10 Geheimhouding" not in html
    pdf = officer.get(f"/portaal/dossiers/{dossier_id}/vergelijken.pdf?van=1&naar=2")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    text = pdf_text(pdf.content)
    assert "Wijzigingen in" in text and "250.000,00" in text and "Reikwijdte" in text
    missing = officer.get(f"/portaal/dossiers/{dossier_id}/vergelijken?van=1&naar=9")
    assert missing.status_code == 404
