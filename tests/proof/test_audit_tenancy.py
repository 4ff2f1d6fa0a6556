"""Issue 10, "Tenancy" for the audit log: one chain for the instance, each entry filed under the agreement
it concerns (hashed), read per agreement.

Before: the privacy officer's audit log (page and API) showed every entry of every municipality, and the
log had no notion of an agreement. Now a privacy officer reads the entries of the agreements she
administers, a beheerder the instance-wide ones of her organisation; moving an entry to another agreement
(or out of every agreement) breaks the chain.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text, update
from sqlmodel import Session

from registry.audit import GENESIS, canonical_changes, changes_digest, entry_hash, verify_chain
from registry.database import writer
from registry.models import AuditEntry
from tests.proof.api_support import ApiWorld, add_account, bearer, build_two_municipalities

ZEIST = "zeist-wijkgericht-werken-2018"
AMSTERDAM = "amsterdam-mzw"
_audit = AuditEntry.__table__  # type: ignore[attr-defined]


@pytest.fixture
def world(migrated_url: str, tmp_path: Path) -> Iterator[ApiWorld]:
    """Zeist and Amsterdam in one instance; the test accounts (organisation "proef") hold both."""
    w = build_two_municipalities(tmp_path / "data", migrated_url)
    yield w
    w.app.state.engine.dispose()


def _count(w: ApiWorld, where: object) -> int:
    with w.app.state.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(_audit).where(where)).scalar_one())


def test_the_privacy_officer_reads_only_the_entries_of_her_agreements(world):
    client = TestClient(world.app)
    amsterdam_officer = bearer(
        add_account(world, "pf@amsterdam.example", "privacyfunctionaris", "amsterdam", (AMSTERDAM,))
    )
    zeist_officer = bearer(world.tokens["privacyfunctionaris"])  # holds every example
    assert client.get(f"/agreements/{ZEIST}/register.csv", headers=zeist_officer).status_code == 200

    seen = client.get("/audit?aantal=1000", headers=amsterdam_officer)
    assert seen.status_code == 200, seen.text
    rows = seen.json()
    assert rows and {r["overeenkomst"] for r in rows} == {AMSTERDAM}
    kinds = {r["soort"] for r in rows}
    # the agreement itself, its parties, and the persons and organisations written when it was loaded
    assert {"reg_agreement", "reg_party", "reg_person", "reg_organisation"} <= kinds, kinds
    assert not any(ZEIST in r["wijzigingen"] or "Zeist" in r["wijzigingen"] for r in rows)
    assert not any(r["actie"] in ("export", "sleutel gebruikt", "aangemeld") for r in rows)
    assert len(rows) == _count(world, _audit.c.agreement_key == AMSTERDAM)

    both = client.get("/audit?aantal=1000", headers=zeist_officer).json()
    export = [r for r in both if r["actie"] == "export"]
    assert export and export[0]["overeenkomst"] == ZEIST  # a security event of a request about Zeist
    assert {ZEIST, AMSTERDAM} <= {r["overeenkomst"] for r in both} and None not in {
        r["overeenkomst"] for r in both
    }

    report = client.get("/audit/verify", headers=amsterdam_officer).json()
    assert report["in_orde"] is True and report["aantal"] == len(rows)

    for role in ("coordinator", "wijkagent"):  # no audit log for the other roles
        assert client.get("/audit", headers=bearer(world.tokens[role])).status_code == 403


def test_the_beheerder_reads_the_instance_wide_entries_of_her_organisation(world):
    client = TestClient(world.app)
    beheerder = bearer(add_account(world, "beheer@amsterdam.example", "beheerder", "amsterdam", (AMSTERDAM,)))
    # an instance-wide event of the other organisation: its officer's key use
    assert client.get("/audit/verify", headers=bearer(world.tokens["privacyfunctionaris"])).status_code == 200

    for email in ("privacyfunctionaris@proef.example", "beheer@amsterdam.example"):  # failed sign-ins
        _wrong_password(world, email)
    rows = client.get("/audit?aantal=1000", headers=beheerder).json()
    assert rows and all(r["overeenkomst"] is None for r in rows)
    failed = {r["betreft"] for r in rows if r["actie"] == "aanmelden mislukt"}
    assert failed == {"beheer@amsterdam.example"}  # not the other organisation's account
    assert any(r["actie"] == "sleutel gebruikt" and "beheer@amsterdam.example" in r["door"] for r in rows)
    assert not any("privacyfunctionaris@proef.example" in r["door"] for r in rows)  # other organisation
    assert not any(r["soort"] in ("reg_agreement", "reg_party", "reg_person") for r in rows)
    report = client.get("/audit/verify", headers=beheerder).json()
    assert report["in_orde"] is True and report["aantal"] == len(rows)


def _wrong_password(w: ApiWorld, email: str) -> None:
    import re

    client = TestClient(w.app, base_url="https://testserver", follow_redirects=False)
    page = client.get("/aanmelden")
    csrf = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page.text).group(1)  # type: ignore[union-attr]
    r = client.post("/aanmelden", data={"email": email, "wachtwoord": "fout-fout-fout-1", "csrf_token": csrf})
    assert r.status_code == 401


def test_moving_an_entry_to_another_agreement_breaks_the_chain(world):
    client = TestClient(world.app)
    amsterdam_officer = bearer(
        add_account(world, "pf@amsterdam.example", "privacyfunctionaris", "amsterdam", (AMSTERDAM,))
    )
    engine = world.app.state.engine
    with engine.connect() as conn:
        seq = conn.execute(
            select(_audit.c.seq).where(_audit.c.agreement_key == AMSTERDAM).order_by(_audit.c.seq).limit(1)
        ).scalar_one()
        assert verify_chain(conn).ok

    for rewritten in (ZEIST, None):  # to another agreement; out of every agreement (to the beheerder)
        with writer(engine).begin() as conn:
            conn.execute(update(_audit).where(_audit.c.seq == seq).values(agreement_key=rewritten))
        with engine.connect() as conn:
            report = verify_chain(conn)
        assert not report.ok and f"regel {seq}: inhoud gewijzigd (hash klopt niet)" in report.problems
        # the Amsterdam officer no longer sees the entry, but she does see that the chain is broken
        mine = client.get("/audit/verify", headers=amsterdam_officer).json()
        assert mine["in_orde"] is False
        assert any("niet mag inzien" in p for p in mine["problemen"]), mine
    with writer(engine).begin() as conn:
        conn.execute(update(_audit).where(_audit.c.seq == seq).values(agreement_key=AMSTERDAM))
        conn.execute(update(_audit).where(_audit.c.seq == seq).values(organisation_id=99))
    with engine.connect() as conn:
        assert f"regel {seq}: inhoud gewijzigd (hash klopt niet)" in verify_chain(conn).problems
    # put back as written: the chain verifies again, and the officer reads the problem-free report
    with writer(engine).begin() as conn:
        conn.execute(update(_audit).where(_audit.c.seq == seq).values(organisation_id=None))
    assert client.get("/audit/verify", headers=amsterdam_officer).json()["in_orde"] is True


def _legacy_entry(conn, seq: int, prev: str, entity: str, entity_id: str, changes: dict) -> str:  # type: ignore[no-untyped-def]
    """An entry as the code before the tenancy columns wrote it (hashed without them)."""
    body = canonical_changes(changes)
    digest = changes_digest(body)
    at = f"2025-01-0{seq}T00:00:00.000000+00:00"
    h = entry_hash(prev, seq, at, "systeem", "aangemaakt", entity, entity_id, digest)
    conn.execute(
        text(
            "INSERT INTO reg_audit (seq, at, actor, action, entity, entity_id, changes, changes_digest, "
            "prev_hash, hash) VALUES (:seq, :at, 'systeem', 'aangemaakt', :entity, :eid, :body, :digest, "
            ":prev, :hash)"
        ),
        {
            "seq": seq,
            "at": at,
            "entity": entity,
            "eid": entity_id,
            "body": body,
            "digest": digest,
            "prev": prev,
            "hash": h,
        },
    )
    return h


def test_the_upgrade_files_existing_entries_under_their_agreement_and_the_chain_still_verifies(database_url):
    from alembic import command

    from registry.database import alembic_config, make_engine, migrate

    migrate(database_url, "0011_declaration_archive")
    engine = make_engine(database_url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO reg_agreement (id, key, title, kind, municipality, status, term_start, "
                "term_end, renewal, renewal_years) VALUES (7, 'oud-convenant', 'Oud', 'convenant', 'X', "
                "'actief', '2020-01-01', '2030-01-01', 'geen', 1)"
            )
        )
        h = _legacy_entry(conn, 1, GENESIS, "reg_agreement", "7", {"id": 7, "key": "oud-convenant"})
        # a party row that is gone by now: its agreement comes from what the entry recorded
        h = _legacy_entry(conn, 2, h, "reg_party", "3", {"id": 3, "agreement_id": 7, "key": "gemeente"})
        _legacy_entry(conn, 3, h, "beveiliging", "a@b.nl", {"ip": "127.0.0.1"})
    command.upgrade(alembic_config(database_url), "head")
    with engine.connect() as conn:
        rows = conn.execute(
            select(_audit.c.seq, _audit.c.agreement_key, _audit.c.action).order_by(_audit.c.seq)
        ).all()
        assert [(s, a) for s, a, _ in rows[:3]] == [(1, "oud-convenant"), (2, "oud-convenant"), (3, None)]
        record = rows[3]
        assert record[2] == "toegewezen" and record[1] is None
        body = conn.execute(select(_audit.c.changes).where(_audit.c.seq == 4)).scalar_one()
        assert json.loads(body)["overeenkomsten"] == {"oud-convenant": [1, 2]}
        assert verify_chain(conn).ok, verify_chain(conn).problems
    for seq, rewritten in ((2, "ander-convenant"), (1, None), (3, "oud-convenant")):
        with writer(engine).begin() as conn:
            old = conn.execute(select(_audit.c.agreement_key).where(_audit.c.seq == seq)).scalar_one()
            conn.execute(update(_audit).where(_audit.c.seq == seq).values(agreement_key=rewritten))
        with engine.connect() as conn:
            report = verify_chain(conn)
        assert report.problems == [f"regel {seq}: overeenkomst gewijzigd (niet zoals vastgelegd)"], (
            report.problems
        )
        with writer(engine).begin() as conn:
            conn.execute(update(_audit).where(_audit.c.seq == seq).values(agreement_key=old))
    command.downgrade(alembic_config(database_url), "0011_declaration_archive")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM reg_audit")).scalar_one() == 4
    engine.dispose()


def _page_session(w: ApiWorld, email: str, role: str, org: str, keys: tuple[str, ...]) -> TestClient:
    """A signed-in page session (with the second factor the role requires)."""
    import re

    import pyotp

    from service.accounts import service as accounts
    from tests.proof.api_support import PASSWORD

    add_account(w, email, role, org, keys)
    with Session(w.app.state.engine) as db:
        user = accounts.user_by_email(db, email)
        assert user is not None
        secret = accounts.enable_totp(db, user.id or 0, w.app.state.totp_box)
        db.commit()
    client = TestClient(w.app, base_url="https://testserver", follow_redirects=False)

    def csrf(html: str) -> str:
        return re.search(r'name="csrf_token" value="([0-9a-f]+)"', html).group(1)  # type: ignore[union-attr]

    page = client.get("/aanmelden")
    r = client.post(
        "/aanmelden", data={"email": email, "wachtwoord": PASSWORD, "csrf_token": csrf(page.text)}
    )
    page = client.get(r.headers["location"])
    r = client.post("/aanmelden/code", data={"code": pyotp.TOTP(secret).now(), "csrf_token": csrf(page.text)})
    assert r.status_code == 303 and r.headers["location"] == "/", r.text[:300]
    return client


def _shown_seqs(html: str) -> set[int]:
    import re

    return {int(n) for n in re.findall(r"<tr><td data-label=\"Nr.\">(\d+)</td>", html)}


def test_the_audit_page_shows_each_reader_only_her_entries(world):
    officer = _page_session(world, "pf@amsterdam.example", "privacyfunctionaris", "amsterdam", (AMSTERDAM,))
    with world.app.state.engine.connect() as conn:
        amsterdam = set(
            conn.execute(select(_audit.c.seq).where(_audit.c.agreement_key == AMSTERDAM)).scalars()
        )
        instance = set(conn.execute(select(_audit.c.seq).where(_audit.c.agreement_key.is_(None))).scalars())
    page = officer.get("/portaal/audit")
    assert page.status_code == 200
    shown = _shown_seqs(page.text)
    assert shown and shown <= amsterdam, sorted(shown - amsterdam)[:10]
    assert f"{len(amsterdam)} vermeldingen" in page.text  # the count is hers, the chain is checked whole

    beheerder = _page_session(world, "beheer@amsterdam.example", "beheerder", "amsterdam", ())
    page = beheerder.get("/portaal/audit")
    shown = _shown_seqs(page.text)
    assert page.status_code == 200 and shown and not shown & amsterdam
    with world.app.state.engine.connect() as conn:
        instance = set(conn.execute(select(_audit.c.seq).where(_audit.c.agreement_key.is_(None))).scalars())
    assert shown <= instance
