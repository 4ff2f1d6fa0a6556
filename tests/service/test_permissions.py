"""The endpoint x role table, checked exhaustively: every route of the app has an entry, and every role
gets exactly what the table gives it (403 otherwise), for pages (session) and API (token) alike."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from accounts_support import Staff, csrf_from, https_client, login, make_app, make_staff
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from service.accounts.guard import is_page_route, route_permission
from service.accounts.permissions import PERMISSIONS, PUBLIC, ROUTES, allowed
from service.accounts.roles import Role
from service.app import create_app
from service.settings import Settings

# Starlette routes that are not FastAPI routes (docs, static files) and why they are open.
NON_API_OPEN = {"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc", "/static"}

pytestmark = pytest.mark.db  # runs on SQLite and again on PostgreSQL


def _routes(app: FastAPI) -> list[tuple[str, str, object]]:
    out = []
    for rc in iter_route_contexts(app.routes):
        methods = sorted(getattr(rc, "methods", None) or [])
        for m in methods:
            if m == "HEAD":
                continue
            out.append((m, rc.path, rc))
    return out


def _table(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str, str | None, bool]]:
    app = create_app(Settings(data_dir=tmp_path_factory.mktemp("tabel")))
    rows = []
    for method, path, rc in _routes(app):
        if path in NON_API_OPEN:
            continue
        rows.append((method, path, route_permission(rc, method), is_page_route(rc)))
    app.state.engine.dispose()
    return rows


def test_every_route_has_an_entry_in_the_permission_table(tmp_path):
    app = create_app(Settings(data_dir=tmp_path))
    missing = []
    for method, path, rc in _routes(app):
        if path in NON_API_OPEN:
            assert (method, path) in ROUTES or path == "/static", f"{method} {path} staat niet in ROUTES"
            continue
        if route_permission(rc, method) is None:
            missing.append(f"{method} {path}")
    app.state.engine.dispose()
    assert not missing, "Routes zonder regel in de autorisatietabel: " + ", ".join(missing)


def test_table_entries_point_to_existing_routes_and_permissions(tmp_path):
    app = create_app(Settings(data_dir=tmp_path))
    existing = {(m, p) for m, p, _ in _routes(app)}
    app.state.engine.dispose()
    stale = [f"{m} {p}" for (m, p) in ROUTES if (m, p) not in existing]
    assert not stale, "ROUTES noemt routes die niet (meer) bestaan: " + ", ".join(stale)
    assert all(v == PUBLIC or v in PERMISSIONS for v in ROUTES.values())


def test_a_route_missing_from_the_table_is_refused_for_everybody(tmp_path, test_database_url):
    from fastapi import APIRouter

    app = make_app(tmp_path, test_database_url)
    staff = make_staff(app)
    extra = APIRouter()

    @extra.get("/api/vergeten")
    def forgotten() -> dict[str, str]:
        return {"geheim": "ja"}

    app.include_router(extra)
    client = https_client(app)
    for s in staff.values():
        r = client.get("/api/vergeten", headers={"Authorization": f"Bearer {s.token}"})
        assert r.status_code == 403 and "autorisatietabel" in r.json()["melding"]
    assert client.get("/api/vergeten").status_code == 403


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, test_database_url: str) -> Iterator[tuple[FastAPI, dict]]:
    app = make_app(tmp_path_factory.mktemp("rollen"), test_database_url)
    staff = make_staff(app)
    clients: dict[Role | None, TestClient] = {None: https_client(app)}
    for role, s in staff.items():
        clients[role] = login(https_client(app), s.email)
    yield app, {"staff": staff, "clients": clients}
    app.state.engine.dispose()


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}/]+\}", "999999", path)


def _cases() -> list[tuple[str, str, str, bool, Role | None]]:
    import tempfile
    from pathlib import Path

    app = create_app(Settings(data_dir=Path(tempfile.mkdtemp())))
    cases = []
    for method, path, rc in _routes(app):
        if path in NON_API_OPEN:
            continue
        perm = route_permission(rc, method) or "-"
        for role in [*Role, None]:
            cases.append((method, path, perm, is_page_route(rc), role))
    app.state.engine.dispose()
    return cases


CASES = _cases()


@pytest.mark.parametrize(
    ("method", "path", "perm", "page", "role"),
    CASES,
    ids=[f"{m} {p} [{r.value if r else 'anoniem'}]" for m, p, _, _, r in CASES],
)
def test_endpoint_role(world, method, path, perm, page, role):
    app, w = world
    client: TestClient = w["clients"][role]
    staff: dict[Role, Staff] = w["staff"]
    url = _concrete(path)
    headers = {}
    data = None
    if page:
        if method != "GET":
            # A valid CSRF token for this browser, so that the table (not CSRF) decides.
            data = {"csrf_token": csrf_from(client.get("/aanmelden" if role is None else "/").text)}
    elif role is not None:
        headers["Authorization"] = f"Bearer {staff[role].token}"
    r = client.request(method, url, headers=headers, data=data)
    if path == "/afmelden" and role is not None:  # signed out now: give the next cases a fresh session
        w["clients"][role] = login(https_client(app), staff[role].email)
    if perm == PUBLIC:
        assert r.status_code != 403, f"openbare route {method} {path} weigert: {r.status_code}"
        # 401 only as the answer of the sign-in form itself (wrong password), never "niet aangemeld".
        assert r.status_code != 401 or "Onbekend e-mailadres" in r.text
        return
    if role is None:
        if page:
            assert r.status_code == 303 and r.headers["location"].startswith("/aanmelden")
        else:
            assert r.status_code == 401
        return
    if allowed(role, perm):
        assert r.status_code not in (401, 403), (
            f"{role} mag {perm} maar kreeg {r.status_code}: {r.text[:300]}"
        )
    else:
        assert r.status_code == 403, f"{role} mag {perm} niet maar kreeg {r.status_code}"
        assert ("Geen toegang" in r.text) if page else (r.json()["code"] == "geen_toegang")
