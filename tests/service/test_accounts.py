# ruff: noqa: F811  (pytest fixtures imported from accounts_support)
"""Accounts: Argon2 passwords, sign-in with server-side sessions, CSRF on forms, API tokens, rate limits."""

from __future__ import annotations

from datetime import timedelta

import pytest
from accounts_support import PASSWORD, app, client, csrf_from, https_client, login, make_staff  # noqa: F401
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from service.accounts import service as accounts
from service.accounts.errors import AccountExists, InvalidAccountInput
from service.accounts.models import ApiToken, StaffSession, StaffUser
from service.accounts.roles import Role


def test_password_is_stored_as_argon2id_hash_never_plain(app):
    with Session(app.state.engine) as db:
        user = accounts.create_user(
            db, email="Pf@Zeist.example", name="P. F.", role="privacyfunctionaris", password=PASSWORD
        )
        db.commit()
        stored = db.exec(select(StaffUser).where(StaffUser.id == user.id)).one()
    assert stored.email == "pf@zeist.example"
    assert stored.password_hash.startswith("$argon2id$")
    assert PASSWORD not in stored.password_hash


def test_short_password_and_duplicate_email_are_refused_in_dutch(app):
    with Session(app.state.engine) as db:
        with pytest.raises(InvalidAccountInput, match="wachtwoord: moet minstens 12 tekens"):
            accounts.create_user(db, email="a@b.nl", name="A", role="beheerder", password="kort")
        accounts.create_user(db, email="a@b.nl", name="A", role="coördinator", password=PASSWORD)
        with pytest.raises(AccountExists, match="er bestaat al een account"):
            accounts.create_user(db, email="A@B.nl", name="A2", role="beheerder", password=PASSWORD)
        with pytest.raises(InvalidAccountInput, match="rol: 'politiechef' is geen bekende rol"):
            accounts.create_user(db, email="c@b.nl", name="C", role="politiechef", password=PASSWORD)


def test_sign_in_sets_secure_httponly_session_cookie_stored_hashed(app, client: TestClient):
    make_staff(app)
    page = client.get("/aanmelden")
    assert page.status_code == 200 and 'lang="nl"' in page.text
    r = client.post(
        "/aanmelden",
        data={
            "email": "coordinator@zeist.example",
            "wachtwoord": PASSWORD,
            "csrf_token": csrf_from(page.text),
            "volgende": "/portaal/sleutels",
        },
    )
    assert r.status_code == 303 and r.headers["location"] == "/portaal/sleutels"
    cookie = next(h for h in r.headers.get_list("set-cookie") if h.startswith("__Host-convenant_sessie="))
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=lax" in cookie
    value = cookie.split(";")[0].split("=", 1)[1]
    with Session(app.state.engine) as db:
        ids = [s.id for s in db.exec(select(StaffSession)).all()]
    assert ids == [accounts.sha256_hex(value)] and value not in ids
    start = client.get("/")
    assert start.status_code == 200 and "Welkom, Test Coördinator" in start.text


def test_wrong_password_shows_dutch_error_and_no_session(app, client):
    make_staff(app)
    page = client.get("/aanmelden")
    r = client.post(
        "/aanmelden",
        data={
            "email": "beheerder@zeist.example",
            "wachtwoord": "fout-wachtwoord-123",
            "csrf_token": csrf_from(page.text),
        },
    )
    assert r.status_code == 401
    assert "Onbekend e-mailadres of onjuist wachtwoord." in r.text
    assert client.get("/").status_code == 303  # still not signed in: sent to the sign-in page


def test_login_post_without_csrf_token_is_refused(app, client):
    make_staff(app)
    client.get("/aanmelden")
    r = client.post("/aanmelden", data={"email": "beheerder@zeist.example", "wachtwoord": PASSWORD})
    assert r.status_code == 403
    assert "controlecode" in r.text
    assert client.get("/").status_code == 303


def test_signed_in_form_post_without_or_with_foreign_csrf_token_is_refused(app, client):
    make_staff(app)
    login(client, "beheerder@zeist.example")
    page = client.get("/portaal/sleutels")
    good = csrf_from(page.text)
    assert client.post("/portaal/sleutels", data={"naam": "zonder"}).status_code == 403
    # A token from another browser (another CSRF cookie / session) does not work here either.
    other = https_client(app)
    login(other, "coordinator@zeist.example")
    foreign = csrf_from(other.get("/portaal/sleutels").text)
    assert client.post("/portaal/sleutels", data={"naam": "vreemd", "csrf_token": foreign}).status_code == 403
    ok = client.post("/portaal/sleutels", data={"naam": "goed", "csrf_token": good})
    assert ok.status_code == 200 and "Nieuwe sleutel" in ok.text
    with Session(app.state.engine) as db:
        names = {t.name for t in db.exec(select(ApiToken)).all()}
    assert "goed" in names and "zonder" not in names and "vreemd" not in names


def test_logout_ends_the_server_side_session(app, client):
    make_staff(app)
    login(client, "wijkagent@zeist.example")
    old_cookie = client.cookies.get("__Host-convenant_sessie")
    token = csrf_from(client.get("/").text)
    assert client.post("/afmelden", data={"csrf_token": token}).status_code == 303
    replay = https_client(app)
    replay.cookies.set("__Host-convenant_sessie", old_cookie, domain="testserver")
    assert replay.get("/").status_code == 303  # the old cookie no longer opens anything


def test_expired_session_is_refused(app, client):
    make_staff(app)
    login(client, "wijkagent@zeist.example")
    with Session(app.state.engine) as db:
        for s in db.exec(select(StaffSession)).all():
            s.last_seen_at -= timedelta(hours=3)
            db.add(s)
        db.commit()
    r = client.get("/portaal/sleutels")
    assert r.status_code == 303 and r.headers["location"].startswith("/aanmelden?volgende=")


def test_api_token_is_hashed_at_rest_and_revocable(app):
    staff = make_staff(app)
    api = https_client(app)
    token = staff[Role.BEHEERDER].token
    with Session(app.state.engine) as db:
        hashes = [t.token_hash for t in db.exec(select(ApiToken)).all()]
    assert accounts.sha256_hex(token) in hashes and token not in hashes
    assert api.get("/api/account", headers={"Authorization": f"Bearer {token}"}).json()["rol"] == "beheerder"
    with Session(app.state.engine) as db:
        row = db.exec(select(ApiToken).where(ApiToken.token_hash == accounts.sha256_hex(token))).one()
        accounts.revoke_api_token(db, row.user_id, row.id)
        db.commit()
    r = api.get("/api/account", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401 and "ingetrokken" in r.json()["melding"]


def test_login_is_rate_limited_per_email_even_with_the_right_password_afterwards(app, client):
    make_staff(app)
    for _ in range(5):
        page = client.get("/aanmelden")
        r = client.post(
            "/aanmelden",
            data={
                "email": "beheerder@zeist.example",
                "wachtwoord": "verkeerd-wachtwoord",
                "csrf_token": csrf_from(page.text),
            },
        )
        assert r.status_code == 401
    page = client.get("/aanmelden")
    r = client.post(
        "/aanmelden",
        data={"email": "beheerder@zeist.example", "wachtwoord": PASSWORD, "csrf_token": csrf_from(page.text)},
    )
    assert r.status_code == 429 and "Te veel mislukte aanmeldpogingen" in r.text
    # Another account from the same address still works (the per-address limit is higher).
    login(client, "coordinator@zeist.example")


def test_guessing_api_tokens_is_rate_limited(app):
    make_staff(app)
    api = https_client(app)
    for i in range(20):
        assert api.get("/api/account", headers={"Authorization": f"Bearer cvt_geraden{i}"}).status_code == 401
    r = api.get("/api/account", headers={"Authorization": "Bearer cvt_nogeen"})
    assert r.status_code == 429 and "Te veel" in r.json()["melding"]


def test_user_add_command_creates_the_first_beheerder_who_can_sign_in(
    app, tmp_path, test_database_url, monkeypatch
):
    from typer.testing import CliRunner

    from service.cli import app as cli
    from service.settings import get_settings

    monkeypatch.setenv("CONVENANT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CONVENANT_DATABASE_URL", test_database_url)
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        args = [
            "user",
            "add",
            "--role",
            "beheerder",
            "--email",
            "Eerste@Zeist.example",
            "--name",
            "E. Beheer",
            "--password-stdin",
        ]
        ok = runner.invoke(cli, args, input="een-lang-genoeg-wachtwoord\n")
        assert ok.exit_code == 0, ok.output
        assert "Account aangemaakt: eerste@zeist.example (beheerder)" in ok.output
        again = runner.invoke(cli, args, input="een-lang-genoeg-wachtwoord\n")
        assert again.exit_code == 1 and "er bestaat al een account" in again.output
        short = runner.invoke(cli, [*args[:5], "twee@zeist.example", *args[6:]], input="kort\n")
        assert short.exit_code == 1 and "minstens 12 tekens" in short.output
    finally:
        get_settings.cache_clear()
    client = https_client(app)
    login(client, "eerste@zeist.example", "een-lang-genoeg-wachtwoord")
    assert "Accounts" in client.get("/").text


def test_demo_start_prints_one_working_login_per_role(app, tmp_path, test_database_url):
    import io
    import re

    from service.accounts.demo import create_demo_accounts, print_demo_accounts
    from service.settings import Settings

    settings = Settings(data_dir=tmp_path, database_url=test_database_url)
    out = io.StringIO()
    print_demo_accounts(create_demo_accounts(settings), settings, out)
    printed = out.getvalue()
    found = re.findall(
        r"(\S+@demo\.convenant\.example)\s+wachtwoord: (\S+)(?:  TOTP-sleutel: ([A-Z2-7]+))?", printed
    )
    assert sorted(e.split("@")[0] for e, _, _ in found) == sorted(r.value for r in Role)
    assert "http://127.0.0.1:8000/aanmelden" in printed
    # The roles that must use a second factor get a TOTP secret printed with their password.
    assert {e.split("@")[0] for e, _, s in found if s} == {"privacyfunctionaris", "beheerder"}
    for email, password, secret in found:
        client = https_client(app)
        login(client, email, password, secret or None)
        assert client.get("/").status_code == 200
