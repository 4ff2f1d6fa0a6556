"""Fixtures and helpers shared by the accounts, permissions, links and mail tests (imported explicitly)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyotp
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session

from registry.database import make_engine, migrate
from service.accounts import service as accounts
from service.accounts import totp
from service.accounts.roles import Role
from service.app import create_app
from service.settings import Settings

PASSWORD = "correct-paard-batterij-niet"
MY_TABLES = (
    "account_attempt",
    "account_session",
    "account_api_token",
    "account_grant",
    "account_user",
    "account_organisation",
    "dossier_version",
)


def default_agreements() -> tuple[str, ...]:
    """The agreements the test staff are granted: the examples, and the Zeist dossier renewed for this year
    (``links_support.current_zeist_yaml``)."""
    from datetime import date

    return (
        "zeist-wijkgericht-werken-2018",
        "amsterdam-mzw",
        f"zeist-wijkgericht-werken-{date.today().year}",
        "testdorp",  # tests/templates/small_dossier.yaml
    )


@dataclass(frozen=True)
class Staff:
    role: Role
    email: str
    name: str
    password: str
    token: str
    totp_secret: str | None = None  # the roles that must use a second factor (privacy officer, beheerder)


def clean_tables(url: str, tables: tuple[str, ...]) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            for t in tables:
                conn.execute(text(f"DELETE FROM {t}"))
    finally:
        engine.dispose()


def make_app(data_dir: Path, url: str, **settings: object) -> FastAPI:
    migrate(url)
    clean_tables(url, MY_TABLES)
    return create_app(Settings(data_dir=data_dir, database_url=url, **settings))  # type: ignore[arg-type]


def make_staff(
    app: FastAPI,
    *,
    agreements: tuple[str, ...] | None = None,
    emails: dict[Role, str] | None = None,
    organisation: str = "proef-gemeente",
) -> dict[Role, Staff]:
    """One account per role in one organisation, each granted ``agreements`` (default: the examples)."""
    from service.accounts import tenancy

    staff: dict[Role, Staff] = {}
    keys = default_agreements() if agreements is None else agreements
    with Session(app.state.engine) as db:
        org = tenancy.organisation(db, organisation, f"Proef {organisation}")
        for role in Role:
            email = (emails or {}).get(role, f"{role.value}@zeist.example")
            user = accounts.create_user(
                db, email=email, name=f"Test {role.label}", role=role, password=PASSWORD
            )
            assert user.id is not None
            tenancy.set_organisation(db, user.id, org)
            for key in keys:
                tenancy.grant(db, user.id, key, by="test")
            _, token = accounts.create_api_token(db, user.id, "test")
            secret = accounts.enable_totp(db, user.id, app.state.totp_box) if totp.required(role) else None
            staff[role] = Staff(role, email, user.name, PASSWORD, token, secret)
            if secret:
                TOTP_SECRETS[email] = secret
        db.commit()
    return staff


def https_client(app: FastAPI) -> TestClient:
    # https: the session and CSRF cookies are Secure and would not be sent over plain http.
    return TestClient(app, base_url="https://testserver", follow_redirects=False)


CSRF_RE = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


def csrf_from(html: str) -> str:
    m = CSRF_RE.search(html)
    assert m, "geen CSRF-veld in het formulier"
    return m.group(1)


SECRET_RE = re.compile(r'id="totp-geheim">([A-Z2-7 ]+)<')


def allow_code_again(app: FastAPI, email: str) -> None:
    """Tests sign one account in many times within one 30-second TOTP step; a code is accepted once per
    step (tested in tests/proof/test_staff_sign_in.py), so the helper forgets the last used step."""
    with Session(app.state.engine) as db:
        user = accounts.user_by_email(db, email)
        if user is not None and user.totp_last_step is not None:
            user.totp_last_step = None
            db.add(user)
            db.commit()


def second_factor(client: TestClient, email: str, response, totp_secret: str | None = None):  # type: ignore[no-untyped-def]
    """Complete a sign-in that asks for a TOTP code (computed with pyotp) or its set-up."""
    location = response.headers.get("location", "")
    if response.status_code != 303 or not location.startswith("/aanmelden/"):
        return response
    page = client.get(location)
    if location.startswith("/aanmelden/instellen"):
        m = SECRET_RE.search(page.text)
        assert m, page.text[:500]
        totp_secret = m.group(1).replace(" ", "")
    assert totp_secret, f"{email} heeft een tweede factor; geef de TOTP-sleutel mee"
    allow_code_again(client.app, email)  # type: ignore[arg-type]
    action = location.split("?")[0]
    volgende = location.split("volgende=", 1)[1] if "volgende=" in location else "/"
    from urllib.parse import unquote

    data = {
        "code": pyotp.TOTP(totp_secret).now(),
        "volgende": unquote(volgende),
        "csrf_token": csrf_from(page.text),
    }
    return client.post(action, data=data)


def login(
    client: TestClient, email: str, password: str = PASSWORD, totp_secret: str | None = None
) -> TestClient:
    page = client.get("/aanmelden")
    r = client.post(
        "/aanmelden", data={"email": email, "wachtwoord": password, "csrf_token": csrf_from(page.text)}
    )
    if totp_secret is None:
        totp_secret = TOTP_SECRETS.get(email.strip().lower())
    r = second_factor(client, email, r, totp_secret)
    assert r.status_code == 303 and not r.headers["location"].startswith("/aanmelden"), r.text
    return client


TOTP_SECRETS: dict[str, str] = {}  # e-mail -> secret of the accounts make_staff created (for login())


@pytest.fixture()
def app(tmp_path: Path, test_database_url: str) -> Iterator[FastAPI]:
    application = make_app(tmp_path, test_database_url)
    yield application
    application.state.engine.dispose()


@pytest.fixture()
def client(app: FastAPI) -> TestClient:
    return https_client(app)
