# ruff: noqa: F811  (pytest fixtures imported from the support modules)
"""A second factor the signatory's organisation chooses: signatories at a configured e-mail domain confirm the
e-mailed code and the code of their own account's authenticator app (TOTP); others sign with the e-mailed
code alone. Without such an account there is no signing by code (her own certificate remains)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest
from accounts_support import csrf_from, https_client, login, make_app, make_staff
from links_support import (
    clean_invitation_tables,
    post_form,
    request_code,
    sign_agreement_link,
    token_from,
    upload,
)
from mail_support import smtp_server  # noqa: F401
from sqlmodel import Session, select

from service.accounts import service as accounts
from service.accounts.roles import Role
from service.invitations.models import SigningEvent, SigningLink, SigningRound
from signing import TrustConfig, ensure_development_pki, validate_pdf
from signing.pdfio import open_reader

pytestmark = pytest.mark.db

POLICE = "teamchef.zblw@politie.example.nl"
MAYOR = "burgemeester@zeist.example.nl"


@pytest.fixture()
def world(tmp_path: Path, test_database_url: str, smtp_server) -> Iterator[dict]:
    inbox, port = smtp_server
    app = make_app(
        tmp_path,
        test_database_url,
        smtp_host="127.0.0.1",
        smtp_port=port,
        base_url="https://convenant.zeist.example",
        signatory_second_factor_domains=["politie.example.nl"],  # the police chose a second factor
    )
    clean_invitation_tables(test_database_url)
    staff = make_staff(app)
    officer = login(https_client(app), staff[Role.PRIVACYFUNCTIONARIS].email)
    dossier_id = upload(officer)
    post_form(officer, f"/portaal/dossiers/{dossier_id}", f"/portaal/dossiers/{dossier_id}/ondertekening")
    yield {"app": app, "inbox": inbox, "data_dir": tmp_path}
    app.state.engine.dispose()
    clean_invitation_tables(test_database_url)  # leave no signing round to a later module


def _police_account(app) -> str:  # type: ignore[no-untyped-def]
    """The teamchef has an account at this service with an authenticator app; returns its TOTP secret."""
    with Session(app.state.engine) as db:
        user = accounts.create_user(
            db, email=POLICE, name="J.D. Bogerd", role=Role.WIJKAGENT, password="correct-paard-batterij-niet"
        )
        secret = accounts.enable_totp(db, user.id or 0, app.state.totp_box)
        db.commit()
    return secret


def _post(client, token: str, code: str, totp: str | None):  # type: ignore[no-untyped-def]
    page = client.get(f"/ondertekenen/{token}")
    data = {"csrf_token": csrf_from(page.text), "akkoord": "ja", "code": code}
    if totp is not None:
        data["totp"] = totp
    return client.post(f"/ondertekenen/{token}", data=data)


def _events(app) -> list[SigningEvent]:  # type: ignore[no-untyped-def]
    with Session(app.state.engine) as db:
        return list(db.exec(select(SigningEvent)).all())


def test_without_an_account_with_an_app_the_police_signatory_cannot_sign_by_code(world) -> None:
    app, inbox = world["app"], world["inbox"]
    token = token_from(inbox, POLICE)
    client = https_client(app)
    page = client.get(f"/ondertekenen/{token}")
    assert "Code uit de authenticator-app van uw account" in page.text and "politie.example.nl" in page.text
    r = _post(client, token, request_code(client, token, inbox), "123456")
    assert r.status_code == 422
    assert "Tweede factor: uw organisatie (politie.example.nl) vereist" in r.text
    assert "eigen certificaat" in r.text
    assert _events(app) == []
    # Another organisation's signatory: no second factor asked, the e-mailed code suffices.
    mayor = token_from(inbox, MAYOR)
    assert "authenticator-app van uw account" not in https_client(app).get(f"/ondertekenen/{mayor}").text
    assert sign_agreement_link(https_client(app), mayor, inbox).status_code == 303
    [event] = _events(app)
    assert event.signer_email == MAYOR and event.auth_method == "eenmalige code per e-mail"


def test_with_her_app_code_she_signs_and_the_certificate_says_so(world) -> None:
    app, inbox = world["app"], world["inbox"]
    secret = _police_account(app)
    token = token_from(inbox, POLICE)
    client = https_client(app)
    totp = pyotp.TOTP(secret)
    wrong = f"{(int(totp.now()) + 1) % 1_000_000:06d}"
    r = _post(client, token, request_code(client, token, inbox), wrong)
    assert r.status_code == 422 and "authenticator-app is onjuist" in r.text
    missing = _post(client, token, request_code(client, token, inbox), None)
    assert missing.status_code == 422 and "Tweede factor:" in missing.text
    assert _events(app) == []
    r = _post(client, token, request_code(client, token, inbox), totp.now())
    assert r.status_code == 303, r.text[:2000]
    [event] = _events(app)
    assert event.auth_method == "eenmalige code per e-mail en TOTP van het eigen account"
    with Session(app.state.engine) as db:
        rnd = db.exec(select(SigningRound)).one()
        link = db.exec(select(SigningLink).where(SigningLink.email == POLICE)).one()
    assert link.used_at is not None
    pdf = (world["data_dir"] / "documents" / rnd.current_path).read_bytes()
    pki = ensure_development_pki(world["data_dir"] / "keys")
    sig = validate_pdf(pdf, TrustConfig(roots=[pki.ca_cert_path], allow_fetching=False)).by_field(
        "sig-bogerd"
    )
    assert sig.indication == "TOTAL_PASSED" and "J.D. Bogerd" in str(sig.signer)
    [embedded] = open_reader(pdf).embedded_signatures
    notice = str(
        embedded.signer_cert.certificate_policies_value[0]["policy_qualifiers"][0]["qualifier"].native
    )
    assert "TOTP van het eigen account" in notice and str(event.auth_evidence) in notice
