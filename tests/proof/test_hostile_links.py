"""Signing links under attack: replaying a used link, tampering with a token, guessing tokens. Each gets a
clear Dutch page and never a second signature; from one address, after 20 refused links, every link is
refused (429) until the window has passed — the limit holds across workers because it is in the database."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlmodel import Session

from bench.load import prepare


@pytest.fixture
def world(database_url, tmp_path):  # type: ignore[no-untyped-def]
    from service.app import create_app
    from service.settings import Settings

    inst = prepare(tmp_path / "data", database_url, 3)
    settings = Settings(
        data_dir=inst.data_dir,
        database_url=inst.database_url,
        retention_interval_hours=0,
        declaration_personal_certificate=False,  # signed in-process without the e-mailed code
    )
    app = create_app(settings)
    yield inst, settings, app
    app.state.engine.dispose()


def _sign_in_process(inst, settings, app, n: int) -> None:  # type: ignore[no-untyped-def]
    from registry.session import AuditedSession
    from service.dossiers.service import get_dossier
    from service.invitations.declarations import sign_declaration

    dossier = get_dossier(settings, "zeist-wijkgericht-werken-2018")
    with AuditedSession(app.state.engine, actor="proef") as db:
        sign_declaration(
            db,
            settings,
            dossier,
            inst.invitations[n].token,
            inst.ground,
            ip="192.0.2.9",
            user_agent="Proefbrowser",
            today=date(2025, 1, 6),
        )
        db.commit()


def _events(app) -> int:  # type: ignore[no-untyped-def]
    from service.invitations.models import SigningEvent

    with Session(app.state.engine) as db:
        return int(db.execute(select(func.count()).select_from(SigningEvent)).scalar_one())


def test_a_used_link_gives_a_clear_page_and_never_a_second_signature(world):
    inst, settings, app = world
    _sign_in_process(inst, settings, app, 0)
    client = TestClient(
        app,
        base_url="https://testserver",
        raise_server_exceptions=False,
        client=("203.0.113.5", 40000),
        follow_redirects=False,
    )
    token = inst.invitations[0].token
    page = client.get(f"/ondertekenen/{token}", headers={"Accept": "text/html"})
    assert page.status_code == 410
    assert "al gebruikt" in page.text and "geen tweede handtekening" in page.text
    post = client.post(
        f"/ondertekenen/{token}",
        data={"akkoord": "ja", "grondslag": inst.ground, "sha256": "0" * 64},
        headers={"Accept": "text/html"},
    )
    assert post.status_code in (403, 410)  # refused by CSRF or as a used link; never signed
    assert _events(app) == 1


def test_a_tampered_token_is_unknown_in_dutch(world):
    inst, _, app = world
    client = TestClient(
        app, base_url="https://testserver", raise_server_exceptions=False, client=("203.0.113.6", 40000)
    )
    token = inst.invitations[1].token
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    page = client.get(f"/ondertekenen/{tampered}", headers={"Accept": "text/html"})
    assert page.status_code == 404 and "bestaat niet" in page.text
    assert client.get(f"/ondertekenen/{token}", params={"grondslag": inst.ground}).status_code == 200


def test_replaying_and_guessing_links_is_rate_limited_per_address(world):
    inst, settings, app = world
    _sign_in_process(inst, settings, app, 0)
    attacker = TestClient(
        app, base_url="https://testserver", raise_server_exceptions=False, client=("203.0.113.7", 40000)
    )
    used = inst.invitations[0].token
    statuses = [attacker.get(f"/ondertekenen/{used}").status_code for _ in range(10)]
    statuses += [attacker.get(f"/ondertekenen/geraden-{n:04d}-{'x' * 30}").status_code for n in range(12)]
    assert statuses[:10] == [410] * 10 and statuses[10:20] == [404] * 10
    assert set(statuses[20:]) == {429}
    # Even a valid, unused link is refused from that address now; from another address it still works.
    valid = inst.invitations[2].token
    blocked = attacker.get(f"/ondertekenen/{valid}", params={"grondslag": inst.ground})
    assert blocked.status_code == 429 and "Te veel" in blocked.text
    other = TestClient(app, base_url="https://testserver", client=("203.0.113.8", 40000))
    assert other.get(f"/ondertekenen/{valid}", params={"grondslag": inst.ground}).status_code == 200
    assert _events(app) == 1
