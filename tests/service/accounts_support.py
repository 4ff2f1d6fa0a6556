"""Fixtures and helpers shared by the accounts, permissions, links and mail tests (imported explicitly)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session

from registry.database import make_engine, migrate
from service.accounts import service as accounts
from service.accounts.roles import Role
from service.app import create_app
from service.settings import Settings

PASSWORD = "correct-paard-batterij-niet"
MY_TABLES = ("account_attempt", "account_session", "account_api_token", "account_user", "dossier_version")


@dataclass(frozen=True)
class Staff:
    role: Role
    email: str
    name: str
    password: str
    token: str


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


def make_staff(app: FastAPI) -> dict[Role, Staff]:
    staff: dict[Role, Staff] = {}
    with Session(app.state.engine) as db:
        for role in Role:
            email = f"{role.value}@zeist.example"
            user = accounts.create_user(
                db, email=email, name=f"Test {role.label}", role=role, password=PASSWORD
            )
            assert user.id is not None
            _, token = accounts.create_api_token(db, user.id, "test")
            staff[role] = Staff(role, email, user.name, PASSWORD, token)
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


def login(client: TestClient, email: str, password: str = PASSWORD) -> TestClient:
    page = client.get("/aanmelden")
    r = client.post(
        "/aanmelden", data={"email": email, "wachtwoord": password, "csrf_token": csrf_from(page.text)}
    )
    assert r.status_code == 303, r.text
    return client


@pytest.fixture()
def app(tmp_path: Path, test_database_url: str) -> Iterator[FastAPI]:
    application = make_app(tmp_path, test_database_url)
    yield application
    application.state.engine.dispose()


@pytest.fixture()
def client(app: FastAPI) -> TestClient:
    return https_client(app)
