"""Issue 10, "Staff sign-in" and item 11 (audit), what w-auth left open: a coordinator or wijkagent can set
up the second factor on their own (optional for their roles), and changing a role, resetting a second
factor and setting one up are audit events of their own."""

from __future__ import annotations

import pyotp
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from registry.models import AuditEntry
from tests.proof.api_support import PASSWORD, ApiWorld
from tests.service.accounts_support import SECRET_RE, csrf_from, https_client

COORDINATOR = "coordinator@proef.example"
_audit = AuditEntry.__table__  # type: ignore[attr-defined]


def _sign_in(client: TestClient, email: str):  # type: ignore[no-untyped-def]
    page = client.get("/aanmelden")
    return client.post(
        "/aanmelden", data={"email": email, "wachtwoord": PASSWORD, "csrf_token": csrf_from(page.text)}
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
    client = https_client(world.app)
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
    bad = client.post("/portaal/tweede-factor", data={"code": "000000", "csrf_token": csrf_from(page.text)})
    assert bad.status_code == 422 and "Code: onjuist" in bad.text
    assert secret.replace(" ", "") in bad.text.replace(" ", "")  # the same secret, to try again
    ok = client.post(
        "/portaal/tweede-factor", data={"code": pyotp.TOTP(secret).now(), "csrf_token": csrf_from(page.text)}
    )
    assert ok.status_code == 303 and ok.headers["location"].endswith("melding=ingesteld")
    done = client.get(ok.headers["location"])
    assert "Uw tweede factor is ingesteld" in done.text and "totp-geheim" not in done.text
    events = _events(world, "2e factor ingesteld")
    assert [e["entity_id"] for e in events] == [COORDINATOR] and COORDINATOR in events[0]["actor"]

    _forget_last_step(world, COORDINATOR)
    again = https_client(world.app)
    r = _sign_in(again, COORDINATOR)
    assert r.status_code == 303 and r.headers["location"].startswith("/aanmelden/code")  # asked from now on
    code_page = again.get(r.headers["location"])
    r = again.post(
        "/aanmelden/code", data={"code": pyotp.TOTP(secret).now(), "csrf_token": csrf_from(code_page.text)}
    )
    assert r.status_code == 303 and r.headers["location"] == "/"


def test_a_wijkagent_can_set_it_up_too_and_an_officer_sees_hers_is_set(world):
    from sqlmodel import Session

    from service.accounts import service as accounts

    client = https_client(world.app)
    _sign_in(client, "wijkagent@proef.example")
    assert "totp-geheim" in client.get("/portaal/tweede-factor").text
    with Session(world.app.state.engine) as db:
        user = accounts.user_by_email(db, "privacyfunctionaris@proef.example")
        assert user is not None
        secret = accounts.enable_totp(db, user.id or 0, world.app.state.totp_box)
        db.commit()
    officer = https_client(world.app)
    r = _sign_in(officer, "privacyfunctionaris@proef.example")
    code_page = officer.get(r.headers["location"])
    officer.post(
        "/aanmelden/code", data={"code": pyotp.TOTP(secret).now(), "csrf_token": csrf_from(code_page.text)}
    )
    page = officer.get("/portaal/tweede-factor")
    assert (
        page.status_code == 200 and "heeft een tweede factor" in page.text and "totp-geheim" not in page.text
    )


def _staff_session(world: ApiWorld, email: str) -> TestClient:
    """A page session for one of the world's accounts, with a second factor set up for it."""
    from sqlmodel import Session

    from service.accounts import service as accounts

    with Session(world.app.state.engine) as db:
        user = accounts.user_by_email(db, email)
        assert user is not None
        secret = accounts.enable_totp(db, user.id or 0, world.app.state.totp_box)
        db.commit()
    _forget_last_step(world, email)
    client = https_client(world.app)
    r = _sign_in(client, email)
    page = client.get(r.headers["location"])
    r = client.post(
        "/aanmelden/code", data={"code": pyotp.TOTP(secret).now(), "csrf_token": csrf_from(page.text)}
    )
    assert r.status_code == 303 and r.headers["location"] == "/", r.text[:300]
    return client


def _user_id(world: ApiWorld, email: str) -> int:
    with world.app.state.engine.connect() as conn:
        return int(
            conn.execute(text("SELECT id FROM account_user WHERE email = :e"), {"e": email}).scalar_one()
        )


def _role(world: ApiWorld, email: str) -> str:
    with world.app.state.engine.connect() as conn:
        return str(
            conn.execute(text("SELECT role FROM account_user WHERE email = :e"), {"e": email}).scalar_one()
        )


def test_the_beheerder_changes_a_role_after_confirming_and_it_is_an_audit_event(world):
    beheerder = _staff_session(world, "beheerder@proef.example")
    target = https_client(world.app)
    _sign_in(target, COORDINATOR)
    assert target.get("/portaal/overleggen").status_code == 200
    uid = _user_id(world, COORDINATOR)
    page = beheerder.get("/portaal/accounts")
    assert f'action="/portaal/accounts/{uid}/rol"' in page.text
    ask = beheerder.post(
        f"/portaal/accounts/{uid}/rol", data={"rol": "wijkagent", "csrf_token": csrf_from(page.text)}
    )
    assert ask.status_code == 200 and "Ja, rol wijzigen" in ask.text  # the confirmation step
    assert _role(world, COORDINATOR) == "coordinator" and not _events(world, "rol gewijzigd")
    done = beheerder.post(
        f"/portaal/accounts/{uid}/rol",
        data={"rol": "wijkagent", "bevestigd": "ja", "csrf_token": csrf_from(ask.text)},
    )
    assert done.status_code == 303, done.text[:300]
    assert _role(world, COORDINATOR) == "wijkagent"
    [event] = _events(world, "rol gewijzigd")
    assert event["entity_id"] == COORDINATOR and "beheerder@proef.example" in event["actor"]
    assert '"oud":"coordinator"' in event["changes"] and '"nieuw":"wijkagent"' in event["changes"]
    assert target.get("/portaal/overleggen").status_code != 200  # the old session ended
    own = beheerder.post(
        f"/portaal/accounts/{_user_id(world, 'beheerder@proef.example')}/rol",
        data={"rol": "coordinator", "bevestigd": "ja", "csrf_token": csrf_from(page.text)},
    )
    assert own.status_code == 422 and _role(world, "beheerder@proef.example") == "beheerder"


def test_the_beheerder_resets_a_lost_second_factor_after_confirming(world):
    officer = "privacyfunctionaris@proef.example"
    _staff_session(world, officer)
    beheerder = _staff_session(world, "beheerder@proef.example")
    uid = _user_id(world, officer)
    page = beheerder.get("/portaal/accounts")
    assert f'action="/portaal/accounts/{uid}/tweede-factor/wissen"' in page.text
    ask = beheerder.post(
        f"/portaal/accounts/{uid}/tweede-factor/wissen", data={"csrf_token": csrf_from(page.text)}
    )
    assert ask.status_code == 200 and "Ja, tweede factor wissen" in ask.text
    with world.app.state.engine.connect() as conn:
        assert conn.execute(
            text("SELECT totp_enabled_at FROM account_user WHERE id = :i"), {"i": uid}
        ).scalar_one()
    done = beheerder.post(
        f"/portaal/accounts/{uid}/tweede-factor/wissen",
        data={"bevestigd": "ja", "csrf_token": csrf_from(ask.text)},
    )
    assert done.status_code == 303
    with world.app.state.engine.connect() as conn:
        row = conn.execute(
            text("SELECT totp_secret, totp_enabled_at FROM account_user WHERE id = :i"), {"i": uid}
        ).one()
    assert row == (None, None)
    [event] = _events(world, "2e factor gewist")
    assert event["entity_id"] == officer and "beheerder@proef.example" in event["actor"]
    r = _sign_in(https_client(world.app), officer)  # she sets it up anew at the next sign-in
    assert r.headers["location"].startswith("/aanmelden/instellen")
