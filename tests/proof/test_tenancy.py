"""Issue 10, item 5 and "Tenancy": one instance, two municipalities; nobody sees or touches the other's.

The probe: every role saw every agreement; the wijkagent read and exported the provision log of all
agreements; a meeting check with ``extra_deelnemers`` returned persons of other agreements; the provider of
a provision could be any person key. The exhaustive route x role x foreign-agreement table is
tests/service/test_permissions.py; these tests replay the probe's scenarios end to end.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.proof.api_support import ApiWorld, add_account, bearer, build_two_municipalities

ZEIST = "zeist-wijkgericht-werken-2018"
AMSTERDAM = "amsterdam-mzw"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def world(migrated_url: str, tmp_path: Path) -> Iterator[ApiWorld]:
    """Zeist and Amsterdam in one instance. The test accounts (organisation "proef") hold both; a second
    organisation ("amsterdam") gets its own accounts, granted Amsterdam only."""
    w = build_two_municipalities(
        tmp_path / "data", migrated_url, emails={"wijkagent": "r.hendriks@example.nl"}
    )
    yield w
    w.app.state.engine.dispose()


def test_the_wijkagent_reads_and_exports_only_the_provisions_of_her_own_agreement(world):
    client = TestClient(world.app)
    # Amsterdam's wijkagent (a police account of another organisation) records a provision there.
    amsterdam_agent = add_account(world, "w.demir@example.nl", "wijkagent", "amsterdam", (AMSTERDAM,))
    mine = bearer(world.tokens["wijkagent"])
    # The Zeist wijkagent is granted both, but designated only in Zeist: Amsterdam stays closed to her.
    for url in (f"/provisions?overeenkomst={AMSTERDAM}", f"/provisions.csv?overeenkomst={AMSTERDAM}"):
        r = client.get(url, headers=mine)
        assert r.status_code == 404 and "niet bekend" in r.json()["melding"]
    assert client.get(f"/provisions?overeenkomst={ZEIST}", headers=mine).status_code == 200
    other = client.get(f"/provisions?overeenkomst={ZEIST}", headers=bearer(amsterdam_agent))
    assert other.status_code == 404


def test_the_provider_of_a_provision_is_the_signed_in_wijkagent(world):
    client = TestClient(world.app)
    body = {
        "overeenkomst": ZEIST,
        "ontvanger": "sociaal-team-centrum",
        "datum": "2018-10-16",
        "reden": "zorgen over overlast",
        "categorie": "a",
        "doel": "overlast",
        "inhoud": "melding",
    }
    h = bearer(world.tokens["wijkagent"])
    someone_else = client.post(
        "/provisions", headers=h, json={**body, "verstrekker": "vervanger-wijkagent-centrum"}
    )
    assert someone_else.status_code == 422 and someone_else.json()["fouten"][0]["pad"] == "verstrekker"
    own = client.post("/provisions", headers=h, json=body)
    assert own.status_code == 201, own.text
    assert own.json()["verstrekker"] == "Ronald Hendriks"
    # An account that is no registry person at all records nothing.
    stranger = add_account(world, "nieuw@politie.example", "wijkagent", "proef", (ZEIST,))
    assert client.post("/provisions", headers=bearer(stranger), json=body).status_code == 404


def test_a_meeting_check_never_shows_a_person_of_another_agreement(world):
    client = TestClient(world.app)
    r = client.post(
        "/meetings/wijkoverleg-centrum-2018-10-16/check",
        headers=bearer(world.tokens["coordinator"]),
        json={"extra_deelnemers": ["f.elidrissi@example.nl", "coordinator-oost"]},
    )
    assert r.status_code == 200
    rows = {d["opgegeven_als"]: d for d in r.json()["deelnemers"]}
    for given in ("f.elidrissi@example.nl", "coordinator-oost"):
        assert rows[given]["bekend"] is False and rows[given]["organisatie"] is None
    assert "Fatima" not in r.text and "Idrissi" not in r.text


def test_a_privacy_officer_sees_only_her_dossiers_and_cannot_overwrite_another(world):
    client = TestClient(world.app)
    officer = add_account(world, "pf@amsterdam.example", "privacyfunctionaris", "amsterdam", (AMSTERDAM,))
    listed = client.get("/dossiers", headers=bearer(officer)).json()
    assert [d["id"] for d in listed] == [AMSTERDAM]
    assert client.get(f"/dossiers/{ZEIST}", headers=bearer(officer)).status_code == 404
    before = (world.settings.data_dir / "dossiers").glob("zeist*")
    before_text = {p.name: p.read_bytes() for p in before}
    r = client.post(
        "/dossiers",
        headers={**bearer(officer), "Content-Type": "application/yaml"},
        content=(ROOT / "examples" / "zeist.yaml").read_bytes(),
    )
    assert r.status_code == 409 and "al in gebruik" in r.json()["melding"]
    after = {p.name: p.read_bytes() for p in (world.settings.data_dir / "dossiers").glob("zeist*")}
    assert after == before_text
    # A new dossier of her own is hers at once.
    own = (
        (ROOT / "examples" / "zeist.yaml")
        .read_text("utf-8")
        .replace("id: zeist-wijkgericht-werken-2018", "id: amstelveen-proef-2026")
    )
    made = client.post(
        "/dossiers", headers={**bearer(officer), "Content-Type": "application/yaml"}, content=own.encode()
    )
    assert made.status_code == 201, made.text
    assert {d["id"] for d in client.get("/dossiers", headers=bearer(officer)).json()} == {
        AMSTERDAM,
        "amstelveen-proef-2026",
    }
    assert (
        "amstelveen-proef-2026"
        not in client.get("/dossiers", headers=bearer(world.tokens["coordinator"])).text
    )


def test_a_beheerder_manages_only_the_accounts_of_her_organisation(world):
    from tests.service.accounts_support import csrf_from, https_client, login

    add_account(world, "beheer@amsterdam.example", "beheerder", "amsterdam", ())
    victim = add_account(world, "pf2@amsterdam.example", "privacyfunctionaris", "amsterdam", (AMSTERDAM,))
    assert victim
    client = login(https_client(world.app), "beheerder@proef.example")
    page = client.get("/portaal/accounts")
    assert "beheer@amsterdam.example" not in page.text and "pf2@amsterdam.example" not in page.text
    from service.accounts import service as accounts

    with Session(world.app.state.engine) as db:
        target = accounts.user_by_email(db, "pf2@amsterdam.example")
        assert target is not None
        target_id = target.id
    token = csrf_from(page.text)
    blocked = client.post(f"/portaal/accounts/{target_id}/blokkeren", data={"csrf_token": token})
    assert blocked.status_code == 404
    granted = client.post(
        f"/portaal/accounts/{target_id}/toegang", data={"csrf_token": token, "overeenkomst": ZEIST}
    )
    assert granted.status_code == 404
    with Session(world.app.state.engine) as db:
        from service.accounts import tenancy

        target = accounts.user_by_email(db, "pf2@amsterdam.example")
        assert (
            target is not None and target.active and tenancy.granted_keys(db, target.id or 0) == {AMSTERDAM}
        )


def test_the_upgrade_keeps_an_existing_installation_working(tmp_path):
    """Accounts that existed before tenancy are put in one organisation and granted every agreement then
    in the registry (deny by default applies to what is created afterwards)."""
    from alembic import command
    from sqlalchemy import text

    from registry.database import alembic_config, make_engine, migrate

    url = f"sqlite:///{tmp_path / 'oud.db'}"
    migrate(url, "0007_account_totp")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO account_user (email, name, role, password_hash, active, created_at) "
                "VALUES ('oud@gemeente.nl', 'Oud', 'coordinator', 'x', 1, '2025-01-01')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO reg_agreement (key, title, kind, municipality, status, term_start, term_end, "
                "renewal, renewal_years) VALUES ('oud-convenant', 'Oud', 'convenant', 'X', 'actief', "
                "'2020-01-01', '2030-01-01', 'geen', 1)"
            )
        )
    command.upgrade(alembic_config(url), "head")
    with engine.begin() as conn:
        assert conn.execute(text("SELECT agreement_key FROM account_grant")).scalars().all() == [
            "oud-convenant"
        ]
        assert conn.execute(text("SELECT organisation_id FROM account_user")).scalar_one() is not None
    command.downgrade(alembic_config(url), "0007_account_totp")
    with engine.begin() as conn:
        assert conn.execute(text("SELECT count(*) FROM account_user")).scalar_one() == 1
    engine.dispose()


def _links_of(w: ApiWorld, email: str) -> set[str]:
    """The agreements (keys) whose administration knows the person with ``email``."""
    from sqlmodel import select

    from registry.models import Agreement, Person
    from registry.people import agreements_of

    with Session(w.app.state.engine) as db:
        person = db.exec(select(Person).where(Person.email == email)).one()
        ids = agreements_of(db, person)
        return {a.key for a in db.exec(select(Agreement)).all() if a.id in ids}


def test_a_coordinator_neither_reveals_nor_links_a_person_of_another_agreement(world):
    """Persons are global in the registry: a Zeist coordinator who names a person known only in Amsterdam
    (by e-mail, key or name) gets the answer for an unknown person, and nothing ties that person to Zeist:
    no declaration, no linked attendee, no recipient of a provision."""
    client = TestClient(world.app)
    coordinator = bearer(add_account(world, "coord@zeist.example", "coordinator", "zeist", (ZEIST,)))
    assert _links_of(world, "a.degraaf@example.nl") == {AMSTERDAM}
    declaration = {
        "grondslag": "toestemming",
        "ondertekend_op": "2019-05-01",
        "document": "zaak 2019-17",
        "sha256": "ab" * 32,
    }
    unknown = client.post(
        f"/agreements/{ZEIST}/declarations",
        headers=coordinator,
        json={**declaration, "persoon": "x@nergens.nl"},
    )
    assert unknown.status_code == 404, unknown.text
    for given in ("a.degraaf@example.nl", "spv-ggd", "Anouk de Graaf"):
        r = client.post(
            f"/agreements/{ZEIST}/declarations", headers=coordinator, json={**declaration, "persoon": given}
        )
        assert r.status_code == 404, r.text
        assert r.json()["melding"] == unknown.json()["melding"].replace("x@nergens.nl", given)
        assert "Graaf" not in r.text.replace(given, "")
    # a person of Zeist itself is registered as before
    own = client.post(
        f"/agreements/{ZEIST}/declarations",
        headers=coordinator,
        json={**declaration, "persoon": "e.brouwer@example.nl"},
    )
    assert own.status_code in (200, 201) and "Els Brouwer" in own.text, own.text

    meeting = {"sleutel": "zeist-extra-2019", "overeenkomst": ZEIST, "datum": "2019-05-01"}
    r = client.post(
        "/meetings", headers=coordinator, json={**meeting, "deelnemers": ["a.degraaf@example.nl"]}
    )
    assert r.status_code == 201, r.text
    assert "Graaf" not in client.get("/meetings/zeist-extra-2019", headers=coordinator).text.replace(
        "a.degraaf@example.nl", ""
    )
    check = client.post("/meetings/zeist-extra-2019/check", headers=coordinator, json={})
    assert check.json()["deelnemers"][0]["bekend"] is False and "Graaf" not in check.text.replace(
        "a.degraaf@example.nl", ""
    )
    provision = {
        "overeenkomst": ZEIST,
        "ontvanger": "a.degraaf@example.nl",
        "datum": "2019-05-01",
        "reden": "zorgen",
        "categorie": "a",
        "doel": "overlast",
        "inhoud": "melding",
    }
    r = client.post("/provisions", headers=bearer(world.tokens["wijkagent"]), json=provision)
    assert r.status_code == 404 and "Graaf" not in r.text.replace("a.degraaf@example.nl", "")
    assert _links_of(world, "a.degraaf@example.nl") == {AMSTERDAM}  # nothing ties her to Zeist
