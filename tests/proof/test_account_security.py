"""Issue 10, "Staff sign-in" and item 11 (audit), what w-auth left open: a coordinator or wijkagent can set
up the second factor on their own (optional for their roles), and changing a role, resetting a second
factor and setting one up are audit events of their own."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pyotp
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from registry.models import AuditEntry
from tests.proof.api_support import PASSWORD, ApiWorld, build_api_world

CSRF_RE = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')
SECRET_RE = re.compile(r'id="totp-geheim">([A-Z2-7 ]+)<')
COORDINATOR = "coordinator@proef.example"
_audit = AuditEntry.__table__  # type: ignore[attr-defined]


@pytest.fixture
def world(tmp_path, database_url) -> Iterator[ApiWorld]:  # type: ignore[no-untyped-def]
    w = build_api_world(tmp_path / "data", database_url)
    yield w
    w.app.state.engine.dispose()


def _client(world: ApiWorld) -> TestClient:
    return TestClient(world.app, base_url="https://testserver", follow_redirects=False)


def _csrf(html: str) -> str:
    m = CSRF_RE.search(html)
    assert m, html[:300]
    return m.group(1)


def _sign_in(client: TestClient, email: str):  # type: ignore[no-untyped-def]
    page = client.get("/aanmelden")
    return client.post(
        "/aanmelden", data={"email": email, "wachtwoord": PASSWORD, "csrf_token": _csrf(page.text)}
    )


def _events(world: ApiWorld, action: str) -> list[dict]:
    with world.app.state.engine.connect() as conn:
        rows = conn.execute(select(_audit).where(_audit.c.action == action).order_by(_audit.c.seq)).mappings()
        return [dict(r) for r in rows]


def _forget_last_step(world: ApiWorld, email: str) -> None:
    """A code counts once per 30-second step (tested in test_staff_sign_in); this test signs in twice."""
    with world.app.state.engine.begin() as conn:
        conn.execute(text("UPDATE account_user SET totp_last_step = NULL WHERE email = :e"), {"e": email})


def test_a_coordinator_sets_up_an_optional_second_factor_and_is_asked_for_it_next_time(world):
    client = _client(world)
    assert _sign_in(client, COORDINATOR).headers["location"] == "/"  # no second factor yet: optional
    page = client.get("/portaal/tweede-factor")
    assert page.status_code == 200 and "aan te raden" in page.text  # optional for this role
    assert 'src="data:image/svg+xml' in page.text  # the QR code (segno)
    secret = SECRET_RE.search(page.text).group(1).replace(" ", "")  # type: ignore[union-attr]
    with world.app.state.engine.connect() as conn:
        stored = conn.execute(
            text("SELECT totp_secret FROM account_user WHERE email = :e"), {"e": COORDINATOR}
        )
        assert secret not in (stored.scalar_one() or "")  # pending, and encrypted
    bad = client.post("/portaal/tweede-factor", data={"code": "000000", "csrf_token": _csrf(page.text)})
    assert bad.status_code == 422 and "code: onjuist" in bad.text
    assert secret.replace(" ", "") in bad.text.replace(" ", "")  # the same secret, to try again
    ok = client.post(
        "/portaal/tweede-factor", data={"code": pyotp.TOTP(secret).now(), "csrf_token": _csrf(page.text)}
    )
    assert ok.status_code == 303 and ok.headers["location"].endswith("melding=ingesteld")
    done = client.get(ok.headers["location"])
    assert "Uw tweede factor is ingesteld" in done.text and "totp-geheim" not in done.text
    events = _events(world, "2e factor ingesteld")
    assert [e["entity_id"] for e in events] == [COORDINATOR] and COORDINATOR in events[0]["actor"]

    _forget_last_step(world, COORDINATOR)
    again = _client(world)
    r = _sign_in(again, COORDINATOR)
    assert r.status_code == 303 and r.headers["location"].startswith("/aanmelden/code")  # asked from now on
    code_page = again.get(r.headers["location"])
    r = again.post(
        "/aanmelden/code", data={"code": pyotp.TOTP(secret).now(), "csrf_token": _csrf(code_page.text)}
    )
    assert r.status_code == 303 and r.headers["location"] == "/"


def test_a_wijkagent_can_set_it_up_too_and_an_officer_sees_hers_is_set(world):
    from sqlmodel import Session

    from service.accounts import service as accounts

    client = _client(world)
    _sign_in(client, "wijkagent@proef.example")
    assert "totp-geheim" in client.get("/portaal/tweede-factor").text
    with Session(world.app.state.engine) as db:
        user = accounts.user_by_email(db, "privacyfunctionaris@proef.example")
        assert user is not None
        secret = accounts.enable_totp(db, user.id or 0, world.app.state.totp_box)
        db.commit()
    officer = _client(world)
    r = _sign_in(officer, "privacyfunctionaris@proef.example")
    code_page = officer.get(r.headers["location"])
    officer.post(
        "/aanmelden/code", data={"code": pyotp.TOTP(secret).now(), "csrf_token": _csrf(code_page.text)}
    )
    page = officer.get("/portaal/tweede-factor")
    assert (
        page.status_code == 200 and "heeft een tweede factor" in page.text and "totp-geheim" not in page.text
    )
