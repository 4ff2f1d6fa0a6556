# ruff: noqa: F811  (pytest fixtures imported from the support modules)
"""Signing by link, end to end over HTTP: upload, send for signature over real SMTP, follow each link,
sign; the final PDF validates with every signature; and every kind of link misuse is refused."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from accounts_support import csrf_from, https_client, login, make_app, make_staff
from links_support import clean_invitation_tables, post_form, token_from, upload
from mail_support import Inbox, attachments, body_text, smtp_server  # noqa: F401
from sqlmodel import Session, select

from service.accounts.roles import Role
from service.invitations.models import SigningEvent, SigningRound
from signing import TrustConfig, ensure_development_pki, validate_pdf


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
    yield {"app": app, "inbox": inbox, "officer": officer, "staff": staff, "data_dir": tmp_path}
    app.state.engine.dispose()


def _send(world: dict) -> str:
    officer = world["officer"]
    dossier_id = upload(officer)
    r = post_form(officer, f"/portaal/dossiers/{dossier_id}", f"/portaal/dossiers/{dossier_id}/ondertekening")
    assert r.status_code == 303 and "verstuurd" in r.headers["location"], r.text[:500]
    return dossier_id


def _sign(client, token: str):  # type: ignore[no-untyped-def]
    page = client.get(f"/ondertekenen/{token}")
    assert page.status_code == 200, page.text[:500]
    return client.post(f"/ondertekenen/{token}", data={"csrf_token": csrf_from(page.text), "akkoord": "ja"})


SIGNERS = [
    "burgemeester@zeist.example.nl",
    "teamchef.zblw@politie.example.nl",
    "directie@rkwbv.example.nl",
    "directie@meander.example.nl",
    "directie@woongoed.example.nl",
]


def test_every_signatory_signs_from_the_mailed_link_and_the_final_pdf_validates(world):
    dossier_id = _send(world)
    inbox: Inbox = world["inbox"]
    app = world["app"]
    for address in SIGNERS:
        msg = inbox.wait_for(address)[0]
        assert msg["Subject"].startswith("Verzoek tot ondertekening: ")
        assert "https://convenant.zeist.example/ondertekenen/" in body_text(msg)
    for address in SIGNERS:
        token = token_from(inbox, address)
        signer = https_client(app)
        page = signer.get(f"/ondertekenen/{token}")
        assert "Uw ondertekeningsblok" in page.text and "SHA-256 van het document" in page.text
        r = _sign(signer, token)
        assert r.status_code == 303 and r.headers["location"].startswith("/ondertekend/")
        receipt = signer.get(r.headers["location"])
        assert "Ondertekeningsbewijs" in receipt.text and "testclient" in receipt.text  # IP of the TestClient
        copy = [m for m in inbox.to(address) if m["Subject"].startswith("Ondertekend: ")]
        assert len(copy) == 1 and attachments(copy[0])
    final = [m for m in inbox.messages if m["Subject"].startswith("Volledig ondertekend: ")]
    assert len(final) == 1 and sorted(
        a.strip().split("<")[-1].rstrip(">") for a in final[0]["To"].split(",")
    ) == sorted(SIGNERS)
    [pdf] = attachments(final[0]).values()
    pki = ensure_development_pki(world["data_dir"] / "keys")
    report = validate_pdf(pdf, TrustConfig(roots=[pki.ca_cert_path], allow_fetching=False))
    assert len(report.signatures) == 5
    assert all(s.indication == "TOTAL_PASSED" for s in report.signatures), report.as_dict()
    officer = world["officer"]
    detail = officer.get(f"/portaal/dossiers/{dossier_id}")
    assert "volledig ondertekend" in detail.text and detail.text.count("status-ondertekend") == 5
    assert officer.get(f"/portaal/dossiers/{dossier_id}/ondertekend.pdf").content == pdf
    with Session(app.state.engine) as db:
        rnd = db.exec(select(SigningRound)).one()
        events = db.exec(select(SigningEvent)).all()
    assert rnd.status == "voltooid" and rnd.version == 5
    # The audit trail chains: each signature's "before" is the previous one's "after".
    assert [e.sha256_before for e in events[1:]] == [e.sha256_after for e in events[:-1]]
    sheet = (world["data_dir"] / "documents" / rnd.current_path).with_suffix(".audit.json")
    assert sheet.exists() and all(a in sheet.read_text() for a in SIGNERS)
