"""The endpoint x role table, checked exhaustively: every route of the app has an entry, and every role
gets exactly what the table gives it (403 otherwise), for pages (session) and API (token) alike."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

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


# --- route x role x foreign agreement (tenancy) ------------------------------------------------------------
#
# Every route whose permission reaches agreements (``scope == AGREEMENT`` in the table) is replayed, for
# every role that holds the permission, against an agreement the account is NOT granted (Amsterdam), and
# its GET routes also against the one it is granted (Zeist), so a test that refuses everything fails.
# A scoped route without an entry here fails the test (deny by default, as the table itself).

OWN_KEY, FOREIGN_KEY = "zeist-wijkgericht-werken-2018", "amsterdam-mzw"
MEETINGS = {OWN_KEY: "wijkoverleg-centrum-2018-10-16", FOREIGN_KEY: "klein-overleg-oost-2016-02-09"}
TITLES = {OWN_KEY: "Wijkgericht Werken Zeist", FOREIGN_KEY: "Meldpunt Zorg en Woonoverlast"}
ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Probe:
    url: str
    json: dict | None = None
    form: dict | None = None
    files: dict | None = None
    expect: str = "404"  # "404": refused as unknown; "absent": listed page without the agreement;
    #                      "refused": a form or upload answered with an error, nothing stored


def _probe(method: str, path: str, key: str) -> Probe | None:
    m, year_day = MEETINGS[key], {"datum": "2019-05-01"}
    dossier_file = {"bestand": (f"{key}.yaml", (ROOT / "examples" / _example(key)).read_bytes(), "text/yaml")}
    table: dict[tuple[str, str], Probe | None] = {
        ("GET", "/dossiers/schema"): None,  # the JSON Schema of any dossier: no agreement's data
        ("POST", "/dossiers"): Probe("/dossiers", files=None, expect="refused"),
        ("GET", "/dossiers"): Probe("/dossiers", expect="absent"),
        ("GET", "/dossiers/{dossier_id}"): Probe(f"/dossiers/{key}"),
        ("GET", "/dossiers/{dossier_id}/documents"): Probe(f"/dossiers/{key}/documents"),
        ("GET", "/dossiers/{dossier_id}/versies"): Probe(f"/dossiers/{key}/versies"),
        ("GET", "/portaal/dossiers/{dossier_id}/vergelijken"): Probe(
            f"/portaal/dossiers/{key}/vergelijken?van=1&naar=2"
        ),
        ("GET", "/portaal/dossiers/{dossier_id}/vergelijken.pdf"): Probe(
            f"/portaal/dossiers/{key}/vergelijken.pdf?van=1&naar=2"
        ),
        ("GET", "/portaal/editor/nieuw"): Probe("/portaal/editor/nieuw", expect="absent"),
        ("POST", "/portaal/editor/nieuw"): Probe(
            "/portaal/editor/nieuw", form={"titel": "Vreemd model", "model": key}, expect="refused"
        ),
        ("POST", "/portaal/editor/nieuw/word"): None,  # a new dossier from a Word file: no agreement yet
        ("GET", "/portaal/editor/{dossier_id}"): Probe(f"/portaal/editor/{key}"),
        ("POST", "/portaal/editor/{dossier_id}"): Probe(
            f"/portaal/editor/{key}", form={"actie": "algemeen", "titel": "Overgenomen"}
        ),
        ("GET", "/portaal/editor/{dossier_id}/voorbeeld"): Probe(f"/portaal/editor/{key}/voorbeeld"),
        ("GET", "/portaal/editor/{dossier_id}/voorbeeld.pdf"): Probe(f"/portaal/editor/{key}/voorbeeld.pdf"),
        ("GET", "/dossiers/{dossier_id}/versies/{number}.yaml"): Probe(f"/dossiers/{key}/versies/1.yaml"),
        ("GET", "/portaal/dossiers/{dossier_id}/export.yaml"): Probe(f"/portaal/dossiers/{key}/export.yaml"),
        ("GET", "/portaal/dossiers/{dossier_id}/versies/{number}.yaml"): Probe(
            f"/portaal/dossiers/{key}/versies/1.yaml"
        ),
        ("GET", "/dossiers/{dossier_id}/documents/{name}.{fmt}"): Probe(
            f"/dossiers/{key}/documents/overeenkomst.pdf"
        ),
        ("POST", "/meetings"): Probe(
            "/meetings", json={"sleutel": "vreemd-overleg", "overeenkomst": key, **year_day}
        ),
        ("GET", "/meetings/{ref}"): Probe(f"/meetings/{m}"),
        ("PUT", "/meetings/{ref}"): Probe(f"/meetings/{m}", json=year_day),
        ("POST", "/meetings/{ref}/check"): Probe(f"/meetings/{m}/check", json={}),
        ("GET", "/meetings/{ref}/check.pdf"): Probe(f"/meetings/{m}/check.pdf"),
        ("POST", "/provisions"): Probe(
            "/provisions",
            json={
                "overeenkomst": key,
                "ontvanger": "x@example.nl",
                "datum": "2019-05-01",
                "reden": "r",
                "categorie": "a",
                "inhoud": "i",
            },
        ),
        ("GET", "/provisions"): Probe(f"/provisions?overeenkomst={key}"),
        ("GET", "/provisions.csv"): Probe(f"/provisions.csv?overeenkomst={key}"),
        ("GET", "/agreements/{key}/register"): Probe(f"/agreements/{key}/register"),
        ("GET", "/agreements/{key}/register.csv"): Probe(f"/agreements/{key}/register.csv"),
        ("GET", "/agreements/{key}/register.pdf"): Probe(f"/agreements/{key}/register.pdf"),
        ("GET", "/agreements/{key}/warnings"): Probe(f"/agreements/{key}/warnings"),
        ("POST", "/agreements/{key}/declarations"): Probe(
            f"/agreements/{key}/declarations",
            json={
                "persoon": "x@example.nl",
                "grondslag": "toestemming",
                "ondertekend_op": "2019-05-01",
                "document": "zaak 1",
                "sha256": "ab" * 32,
            },
        ),
        ("POST", "/agreements/{key}/evaluations"): Probe(
            f"/agreements/{key}/evaluations", json={**year_day, "document": "evaluatie 2019"}
        ),
        ("POST", "/agreements/{key}/objections"): Probe(
            f"/agreements/{key}/objections", json={**year_day, "partij": "gemeente"}
        ),
        ("POST", "/agreements/{key}/withdrawals"): Probe(
            f"/agreements/{key}/withdrawals", json={**year_day, "partij": "gemeente"}
        ),
        ("POST", "/agreements/{key}/renewal"): Probe(f"/agreements/{key}/renewal", json=year_day),
        ("POST", "/agreements/{key}/besluiten/{besluit}/revocation"): Probe(
            f"/agreements/{key}/besluiten/besluit-art20/revocation",
            json={"ingetrokken_per": "2019-05-01", "reden": "proef"},
        ),
        # pages
        ("GET", "/portaal/dossiers"): Probe("/portaal/dossiers", expect="absent"),
        ("POST", "/portaal/dossiers"): Probe("/portaal/dossiers", files=dossier_file, expect="refused"),
        ("GET", "/portaal/dossiers/{dossier_id}"): Probe(f"/portaal/dossiers/{key}"),
        ("GET", "/portaal/dossiers/{dossier_id}/documenten/{name}.{fmt}"): Probe(
            f"/portaal/dossiers/{key}/documenten/overeenkomst.pdf"
        ),
        ("POST", "/portaal/dossiers/{dossier_id}/ondertekening"): Probe(
            f"/portaal/dossiers/{key}/ondertekening", form={}
        ),
        ("POST", "/portaal/dossiers/{dossier_id}/ondertekening/{link_id}/herinneren"): Probe(
            f"/portaal/dossiers/{key}/ondertekening/1/herinneren", form={}
        ),
        ("POST", "/portaal/dossiers/{dossier_id}/ondertekening/{link_id}/intrekken"): Probe(
            f"/portaal/dossiers/{key}/ondertekening/1/intrekken", form={}
        ),
        ("GET", "/portaal/dossiers/{dossier_id}/bevestigingen"): Probe(
            f"/portaal/dossiers/{key}/bevestigingen"
        ),
        ("POST", "/portaal/dossiers/{dossier_id}/bevestigingen/{pending_id}/goedkeuren"): Probe(
            f"/portaal/dossiers/{key}/bevestigingen/1/goedkeuren", form={"reden": "identiteit nagegaan"}
        ),
        ("POST", "/portaal/dossiers/{dossier_id}/bevestigingen/{pending_id}/afwijzen"): Probe(
            f"/portaal/dossiers/{key}/bevestigingen/1/afwijzen", form={"reden": "niet van haar"}
        ),
        ("POST", "/portaal/dossiers/{dossier_id}/ondertekening/intrekken"): Probe(
            f"/portaal/dossiers/{key}/ondertekening/intrekken", form={}
        ),
        ("GET", "/portaal/dossiers/{dossier_id}/ondertekend.pdf"): Probe(
            f"/portaal/dossiers/{key}/ondertekend.pdf"
        ),
        ("GET", "/portaal/dossiers/{dossier_id}/audittrail.json"): Probe(
            f"/portaal/dossiers/{key}/audittrail.json"
        ),
        ("GET", "/portaal/overleggen"): Probe("/portaal/overleggen", expect="absent"),
        ("POST", "/portaal/overleggen"): Probe(
            "/portaal/overleggen",
            form={"overeenkomst": key, "titel": "vreemd-overleg", "datum": "2019-05-01"},
            expect="refused",
        ),
        ("GET", "/portaal/overleggen/{key}"): Probe(f"/portaal/overleggen/{m}"),
        ("POST", "/portaal/overleggen/{key}/deelnemers"): Probe(
            f"/portaal/overleggen/{m}/deelnemers", form={"deelnemer": "x@example.nl"}
        ),
        ("POST", "/portaal/overleggen/{key}/deelnemers/verwijderen"): Probe(
            f"/portaal/overleggen/{m}/deelnemers/verwijderen", form={"deelnemer": "x@example.nl"}
        ),
        ("POST", "/portaal/overleggen/{key}/uitnodigen"): Probe(
            f"/portaal/overleggen/{m}/uitnodigen",
            form={"naam": "X Y", "email": "x@example.nl", "instelling": "school"},
        ),
        ("GET", "/portaal/overleggen/{key}/toets.pdf"): Probe(f"/portaal/overleggen/{m}/toets.pdf"),
        ("GET", "/portaal/verstrekkingen"): Probe(
            f"/portaal/verstrekkingen?overeenkomst={key}", expect="absent"
        ),
        ("POST", "/portaal/verstrekkingen"): Probe(
            "/portaal/verstrekkingen",
            form={
                "overeenkomst": key,
                "ontvanger": "x@example.nl",
                "datum": "2019-05-01",
                "reden": "r",
                "categorie": "a",
                "inhoud": "i",
            },
            expect="refused",
        ),  # fmt: skip
        ("GET", "/portaal/register"): Probe(f"/portaal/register?overeenkomst={key}", expect="absent"),
        # the audit log: a privacy officer reads her agreements' entries, a beheerder the instance-wide ones
        ("GET", "/audit"): Probe("/audit?aantal=1000", expect="absent"),
        ("GET", "/audit/verify"): Probe("/audit/verify", expect="absent"),
        ("GET", "/portaal/audit"): Probe("/portaal/audit", expect="absent"),
    }
    if (method, path) == ("POST", "/dossiers"):
        return Probe("/dossiers", json=None, files=None, expect="refused")
    return table[(method, path)] if (method, path) in table else _MISSING


_MISSING = Probe("-", expect="missing")


def _example(key: str) -> str:
    return "zeist.yaml" if key == OWN_KEY else "amsterdam.yaml"


def _scoped_cases() -> list[tuple[str, str, str, bool, Role]]:
    from service.accounts.permissions import AGREEMENT

    return [
        (m, p, perm, page, role)
        for m, p, perm, page, role in CASES
        if role is not None
        and perm in PERMISSIONS
        and PERMISSIONS[perm].scope == AGREEMENT
        and allowed(role, perm)
    ]


SCOPED = _scoped_cases()


@pytest.fixture(scope="module")
def tenants(tmp_path_factory: pytest.TempPathFactory, test_database_url: str) -> Iterator[dict]:
    """Two agreements in one instance; every account is granted only Zeist (the wijkagent is Zeist's)."""
    from links_support import clean_invitation_tables

    from service.bootstrap import EXAMPLES_DIR, load_example_dossiers
    from service.register.loading import sync_examples

    app = make_app(tmp_path_factory.mktemp("huurders"), test_database_url)
    clean_invitation_tables(test_database_url)  # no signing round left by an earlier module
    settings = app.state.settings
    load_example_dossiers(settings)
    sync_examples(settings, EXAMPLES_DIR)
    staff = make_staff(app, agreements=(OWN_KEY,), emails={Role.WIJKAGENT: "r.hendriks@example.nl"})
    clients = {role: login(https_client(app), s.email) for role, s in staff.items()}
    yield {"app": app, "staff": staff, "clients": clients}
    app.state.engine.dispose()
    clean_invitation_tables(test_database_url)  # leave no signing round to a later module


def _send(t: dict, role: Role, method: str, probe: Probe, page: bool):  # type: ignore[no-untyped-def]
    client: TestClient = t["clients"][role]
    if page:
        data = None
        if method != "GET":
            data = {"csrf_token": csrf_from(client.get("/").text), **(probe.form or {})}
        return client.request(method, probe.url, data=data, files=probe.files)
    headers = {"Authorization": f"Bearer {t['staff'][role].token}"}
    if (method, probe.url) == ("POST", "/dossiers"):
        body = (ROOT / "examples" / "amsterdam.yaml").read_bytes()
        return client.post("/dossiers", content=body, headers={**headers, "Content-Type": "application/yaml"})
    return client.request(method, probe.url, headers=headers, json=probe.json)


@pytest.mark.parametrize(
    ("method", "path", "perm", "page", "role"),
    SCOPED,
    ids=[f"{m} {p} [{r.value}] vreemde overeenkomst" for m, p, _, _, r in SCOPED],
)
def test_endpoint_role_foreign_agreement(tenants, method, path, perm, page, role):
    probe = _probe(method, path, FOREIGN_KEY)
    if probe is None:
        return  # declared above as holding no agreement's data
    assert probe.expect != "missing", (
        f"{method} {path}: geen regel voor een vreemde overeenkomst in deze test"
    )
    r = _send(tenants, role, method, probe, page)
    assert r.status_code < 500, r.text[:500]
    if probe.expect == "404":
        assert r.status_code == 404, f"{role} {method} {probe.url}: {r.status_code} {r.text[:300]}"
    elif probe.expect == "absent":
        assert r.status_code == 200 and TITLES[FOREIGN_KEY] not in r.text and FOREIGN_KEY not in r.text
    else:  # refused: an error answer, nothing stored
        assert r.status_code in (404, 409, 422), (
            f"{role} {method} {probe.url}: {r.status_code} {r.text[:300]}"
        )
        assert (
            "vreemd-overleg" not in tenants["clients"][role].get("/portaal/overleggen").text or page is False
        )


@pytest.mark.parametrize(
    ("method", "path", "perm", "page", "role"),
    [c for c in SCOPED if c[0] == "GET"],
    ids=[f"{m} {p} [{r.value}] eigen overeenkomst" for m, p, _, _, r in SCOPED if m == "GET"],
)
def test_endpoint_role_own_agreement_is_served(tenants, method, path, perm, page, role):
    probe = _probe(method, path, OWN_KEY)
    if probe is None:
        return
    r = _send(tenants, role, method, probe, page)
    if probe.url.endswith(("ondertekend.pdf", "audittrail.json")):
        assert r.status_code == 400  # in scope, but not sent for signature yet
        return
    if probe.url.startswith(("/audit", "/portaal/audit")):
        # the officer reads her agreement's entries; the beheerder only those of no agreement
        assert r.status_code == 200, r.text[:300]
        if probe.url == "/audit/verify":
            assert r.json()["in_orde"] is True and r.json()["aantal"] > 0
        else:
            assert (OWN_KEY in r.text) is (role is Role.PRIVACYFUNCTIONARIS), f"{role} {probe.url}"
        return
    if probe.url.endswith("/versies/1.yaml") or "vergelijken" in probe.url:
        # in scope; the examples were stored before versioning, so there is no version (to compare) yet
        assert r.status_code == 200 or "heeft geen versie" in r.text or "nog maar" in r.text
        return
    assert r.status_code == 200, f"{role} {method} {probe.url}: {r.status_code} {r.text[:300]}"
    if probe.expect == "absent" and "verstrekkingen" not in probe.url:
        assert TITLES[OWN_KEY] in r.text or OWN_KEY in r.text
