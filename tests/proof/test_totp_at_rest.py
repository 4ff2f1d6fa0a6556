"""Issue 10 ("Staff sign-in", w-auth's open point): TOTP secrets encrypted at rest.

Before: ``account_user.totp_secret`` held the base32 secret itself, so whoever read the database (a dump,
a backup without keys) could compute every second-factor code. Now the column holds a Fernet token under a
key derived from the server secret, which lives outside the database; secrets of an older version are
encrypted at start-up; a token that does not open gives a clear Dutch message, not a 500.
"""

from __future__ import annotations

import re

import pyotp
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session

from service.accounts import service as accounts
from service.accounts.errors import LoginFailed
from service.accounts.totp_secrets import SecretBox
from tests.proof.api_support import PASSWORD, ApiWorld
from tests.service.accounts_support import SECRET_RE, csrf_from, https_client

OFFICER = "privacyfunctionaris@proef.example"


def _stored(world: ApiWorld, email: str) -> str | None:
    with world.app.state.engine.connect() as conn:
        return conn.execute(
            text("SELECT totp_secret FROM account_user WHERE email = :e"), {"e": email}
        ).scalar_one()


def _password_step(client: TestClient, email: str):  # type: ignore[no-untyped-def]
    page = client.get("/aanmelden")
    data = {"email": email, "wachtwoord": PASSWORD, "csrf_token": csrf_from(page.text)}
    return client.post("/aanmelden", data=data)


def _code_step(client: TestClient, location: str, secret: str):  # type: ignore[no-untyped-def]
    page = client.get(location)
    return client.post(
        "/aanmelden/code", data={"code": pyotp.TOTP(secret).now(), "csrf_token": csrf_from(page.text)}
    )


def _unusable(stored: str | None, secret: str) -> None:
    """The column holds nothing a reader of the database can compute a code with."""
    assert stored is not None and secret not in stored and stored != secret
    assert not re.fullmatch(r"[A-Z2-7]+=*", stored)  # not a base32 secret at all
    with pytest.raises(Exception):  # noqa: B017,PT011  pyotp cannot use it as a secret
        pyotp.TOTP(stored).now()


def test_the_secret_shown_at_set_up_is_not_what_the_database_holds(world):
    client = https_client(world.app)
    r = _password_step(client, "beheerder@proef.example")
    setup = client.get(r.headers["location"])
    secret = SECRET_RE.search(setup.text).group(1).replace(" ", "")  # type: ignore[union-attr]
    _unusable(_stored(world, "beheerder@proef.example"), secret)  # pending enrolment
    code = pyotp.TOTP(secret).now()
    done = client.post("/aanmelden/instellen", data={"code": code, "csrf_token": csrf_from(setup.text)})
    assert done.status_code == 303 and done.headers["location"] == "/"
    stored = _stored(world, "beheerder@proef.example")
    _unusable(stored, secret)  # confirmed
    assert stored is not None and len(stored) <= 64  # fits the column (PostgreSQL enforces it)
    with Session(world.app.state.engine) as db:
        user = accounts.user_by_email(db, "beheerder@proef.example")
        assert user is not None and user.id is not None
    assert SecretBox(world.app.state.secret_key).open(stored or "", user.id) == secret  # the server key
    with pytest.raises(LoginFailed, match="kan niet worden gelezen"):
        SecretBox(b"een andere serversleutel").open(stored or "", user.id)
    with pytest.raises(LoginFailed, match="kan niet worden gelezen"):  # bound to the account
        SecretBox(world.app.state.secret_key).open(stored or "", user.id + 1)


def test_plain_secrets_of_an_older_version_are_encrypted_at_start_up_and_still_work(world):
    from service.bootstrap import prepare

    secret = pyotp.random_base32()
    with world.app.state.engine.begin() as conn:  # as the previous version stored it
        conn.execute(
            text(
                "UPDATE account_user SET totp_secret = :s, totp_enabled_at = CURRENT_TIMESTAMP "
                "WHERE email = :e"
            ),
            {"s": secret, "e": OFFICER},
        )
    prepare(world.settings)  # the service starts
    _unusable(_stored(world, OFFICER), secret)
    client = https_client(world.app)
    r = _password_step(client, OFFICER)
    assert r.headers["location"].startswith("/aanmelden/code")
    done = _code_step(client, r.headers["location"], secret)
    assert done.status_code == 303 and done.headers["location"] == "/", done.text[:500]
    with Session(world.app.state.engine) as db:  # the conversion is in the audit log, the secret is not
        rows = db.exec(text("SELECT changes FROM reg_audit WHERE entity = 'account_user'")).all()  # type: ignore[call-overload]
    assert rows and not any(secret in r[0] for r in rows)


def test_a_secret_sealed_under_another_server_key_is_refused_with_a_clear_message(world):
    other = SecretBox(b"sleutel van een andere installatie")
    with Session(world.app.state.engine) as db:
        user = accounts.user_by_email(db, OFFICER)
        assert user is not None
        secret = accounts.enable_totp(db, user.id or 0, other)
        db.commit()
    client = https_client(world.app)
    r = _password_step(client, OFFICER)
    answer = _code_step(client, r.headers["location"], secret)
    assert answer.status_code == 401 and "kan niet worden gelezen" in answer.text
    assert "beheerder" in answer.text
