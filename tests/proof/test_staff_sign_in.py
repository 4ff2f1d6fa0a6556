"""Issue 10 item 12, replayed: weak passwords (``aaaaaaaaaaaa``, ``password1234``, the e-mail address, the
name) are refused in Dutch; staff change their own password (page and API; every session ends); TOTP is the
second factor, required for the privacy officer and the beheerder: the password alone gives no session,
set-up shows the secret once, a code is accepted once, and the half-way cookie cannot be forged."""

from __future__ import annotations

import pyotp
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from service.accounts import service as accounts
from service.accounts.errors import InvalidAccountInput
from service.accounts.guard import SESSION_COOKIE
from service.accounts.pending import COOKIE as PENDING_COOKIE
from tests.proof.api_support import PASSWORD
from tests.service.accounts_support import SECRET_RE, csrf_from, https_client


def _post(client: TestClient, page: str, action: str, data: dict[str, str]):  # type: ignore[no-untyped-def]
    return client.post(action, data={**data, "csrf_token": csrf_from(client.get(page).text)})


def _password_step(client: TestClient, email: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return _post(client, "/aanmelden", "/aanmelden", {"email": email, "wachtwoord": password})


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("aaaaaaaaaaaa", "te weinig verschillende tekens"),
        ("password1234", "veelgebruikte of gelekte"),
        ("wachtwoord2024!", "veelgebruikte of gelekte"),
        ("123456789012", "alleen uit cijfers"),
        ("nieuw@zeist.example", "e-mailadres"),
        ("nieuw-welkom-9x", "e-mailadres"),
        ("Hendrikse-2025-zomer", "naam"),
    ],
)
def test_weak_passwords_are_refused_in_dutch(world, password, reason):
    with Session(world.app.state.engine) as db:
        with pytest.raises(InvalidAccountInput, match=reason):
            accounts.create_user(
                db, email="nieuw@zeist.example", name="Henk Hendrikse", role="wijkagent", password=password
            )


def test_the_beheerder_page_refuses_a_weak_password_with_a_422_naming_the_field(world):
    with Session(world.app.state.engine) as db:
        user = accounts.user_by_email(db, "beheerder@proef.example")
        assert user is not None
        secret = accounts.enable_totp(db, user.id or 0, world.app.state.totp_box)
        db.commit()
    client = https_client(world.app)
    r = _password_step(client, "beheerder@proef.example")
    page = client.get(r.headers["location"])
    client.post(
        "/aanmelden/code", data={"code": pyotp.TOTP(secret).now(), "csrf_token": csrf_from(page.text)}
    )
    r = _post(
        client,
        "/portaal/accounts",
        "/portaal/accounts",
        {"email": "zwak@zeist.example", "naam": "Z. Wak", "rol": "wijkagent", "wachtwoord": "password1234"},
    )
    assert r.status_code == 422 and "Wachtwoord: staat op de lijst" in r.text  # names the field


def test_password_change_page_checks_the_current_password_and_the_policy_and_ends_every_session(world):
    email = "coordinator@proef.example"
    client, other = https_client(world.app), https_client(world.app)
    for c in (client, other):
        assert _password_step(c, email).headers["location"] == "/"
    form = "/portaal/wachtwoord"
    wrong = _post(client, form, form, {"huidig": "fout", "wachtwoord": "x" * 3, "herhaling": "x" * 3})
    assert wrong.status_code == 422 and "Huidig wachtwoord: klopt niet" in wrong.text
    weak = _post(
        client, form, form, {"huidig": PASSWORD, "wachtwoord": "password1234", "herhaling": "password1234"}
    )
    assert weak.status_code == 422 and "veelgebruikte" in weak.text
    differ = _post(client, form, form, {"huidig": PASSWORD, "wachtwoord": "a" * 14, "herhaling": "b" * 14})
    assert differ.status_code == 422 and "herhaling" in differ.text
    new = "linde-kade-zevenster-41"
    ok = _post(client, form, form, {"huidig": PASSWORD, "wachtwoord": new, "herhaling": new})
    assert ok.status_code == 303 and ok.headers["location"] == "/aanmelden?melding=wachtwoord"
    assert other.get("/").status_code in (303, 401)  # the other session ended too
    assert _password_step(https_client(world.app), email).status_code == 401
    assert _password_step(https_client(world.app), email, new).headers["location"] == "/"


def test_password_change_over_the_api(world):
    api = https_client(world.app)
    api.headers["Authorization"] = f"Bearer {world.tokens['wijkagent']}"
    weak = api.post("/api/account/wachtwoord", json={"huidig": PASSWORD, "nieuw": "aaaaaaaaaaaa"})
    assert weak.status_code == 422 and "wachtwoord" in weak.json()["melding"]
    wrong = api.post("/api/account/wachtwoord", json={"huidig": "fout", "nieuw": "linde-kade-zevenster-41"})
    assert wrong.status_code == 422 and "huidig" in wrong.json()["melding"]
    ok = api.post("/api/account/wachtwoord", json={"huidig": PASSWORD, "nieuw": "linde-kade-zevenster-41"})
    assert ok.status_code == 200, ok.text
    assert (
        _password_step(https_client(world.app), "wijkagent@proef.example", "linde-kade-zevenster-41").headers[
            "location"
        ]
        == "/"
    )


def test_a_beheerder_without_totp_sets_it_up_before_any_session_exists(world):
    client = https_client(world.app)
    r = _password_step(client, "beheerder@proef.example")
    assert r.status_code == 303 and r.headers["location"].startswith("/aanmelden/instellen")
    assert SESSION_COOKIE not in r.headers.get("set-cookie", "")
    assert client.get("/portaal/accounts").status_code in (303, 401)  # the password alone is no session
    setup = client.get(r.headers["location"])
    secret = SECRET_RE.search(setup.text).group(1).replace(" ", "")  # type: ignore[union-attr]
    assert 'src="data:image/svg+xml' in setup.text  # the QR code
    again = client.get(r.headers["location"])  # shown once: a new visit gives a new secret
    assert SECRET_RE.search(again.text).group(1).replace(" ", "") != secret  # type: ignore[union-attr]
    secret = SECRET_RE.search(again.text).group(1).replace(" ", "")  # type: ignore[union-attr]
    bad = client.post("/aanmelden/instellen", data={"code": "000000", "csrf_token": csrf_from(again.text)})
    assert bad.status_code == 422 and "Code: onjuist" in bad.text
    code = pyotp.TOTP(secret).now()
    done = client.post("/aanmelden/instellen", data={"code": code, "csrf_token": csrf_from(again.text)})
    assert done.status_code == 303 and done.headers["location"] == "/"
    assert client.get("/portaal/accounts").status_code == 200
    # Next time the code is asked; the same code (same 30-second step) is not accepted twice.
    second = https_client(world.app)
    r = _password_step(second, "beheerder@proef.example")
    assert r.headers["location"].startswith("/aanmelden/code")
    page = second.get(r.headers["location"])
    replay = second.post("/aanmelden/code", data={"code": code, "csrf_token": csrf_from(page.text)})
    assert replay.status_code == 401 and "al gebruikt" in replay.text


def test_the_half_way_cookie_cannot_be_forged_for_another_account(world):
    with Session(world.app.state.engine) as db:
        officer = accounts.user_by_email(db, "privacyfunctionaris@proef.example")
        assert officer is not None
        secret = accounts.enable_totp(db, officer.id or 0, world.app.state.totp_box)
        db.commit()
        officer_id = officer.id
    client = https_client(world.app)
    r = _password_step(client, "coordinator@proef.example", "fout-wachtwoord-x")
    assert r.status_code == 401
    # An attacker who knows the officer's current code but not her password makes up the half-way cookie.
    client.cookies.set(PENDING_COOKIE, f"{officer_id}.9999999999.code.{'0' * 64}", domain="testserver.local")
    page = client.get("/aanmelden/code")
    assert page.status_code == 303 and page.headers["location"].startswith("/aanmelden")
    post = client.post(
        "/aanmelden/code",
        data={"code": pyotp.TOTP(secret).now(), "csrf_token": csrf_from(client.get("/aanmelden").text)},
    )
    assert post.status_code == 303 and post.headers["location"].startswith("/aanmelden?")
    assert client.get("/portaal/dossiers").status_code in (303, 401)
