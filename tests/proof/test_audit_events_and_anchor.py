"""Issue 10 item 11, replayed.

- Security events are audit entries: a sign-in and a failed one, a rejected and a used API key, a refusal
  (403) of a signed-in person, a CSV export, a meeting check — each with who, what and the address.
- The chain's head is anchored: a checkpoint signed with the service's own key. Rewriting a row and
  recomputing every later hash makes the plain chain verify again (the probe's finding); the checkpoint
  still catches it, in ``convenant audit verify`` and ``GET /audit/verify``. A tampered checkpoint is caught
  by its signature.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select, update

from registry.audit import entry_hash, verify_chain
from registry.database import writer
from registry.models import AuditEntry
from service.checkpoints import verify_checkpoints, write_checkpoint
from tests.proof.api_support import PASSWORD, ApiWorld

ZEIST = Path(__file__).resolve().parents[2] / "examples" / "zeist.yaml"
CSRF_RE = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')
CLI = [sys.executable, "-m", "service.cli"]
_audit = AuditEntry.__table__  # type: ignore[attr-defined]


def _api(world: ApiWorld, role: str | None, ip: str = "192.0.2.7") -> TestClient:
    c = TestClient(
        world.app, base_url="https://testserver", raise_server_exceptions=False, client=(ip, 40000)
    )
    if role:
        c.headers["Authorization"] = f"Bearer {world.tokens[role]}"
    return c


def _events(world: ApiWorld) -> list[tuple[str, str, str, str]]:
    with world.app.state.engine.connect() as conn:
        rows = conn.execute(
            select(_audit.c.actor, _audit.c.action, _audit.c.entity_id, _audit.c.changes)
            .where(_audit.c.entity == "beveiliging")
            .order_by(_audit.c.seq)
        ).all()
    return [(r[0], r[1], r[2], r[3]) for r in rows]


def _login(client: TestClient, email: str, password: str):  # type: ignore[no-untyped-def]
    page = client.get("/aanmelden")
    token = CSRF_RE.search(page.text).group(1)  # type: ignore[union-attr]
    return client.post("/aanmelden", data={"email": email, "wachtwoord": password, "csrf_token": token})


def test_security_events_are_audit_entries(world):
    coordinator = "coordinator@proef.example"
    browser = _api(world, None, "198.51.100.4")
    browser.follow_redirects = False
    assert _login(browser, coordinator, "fout-wachtwoord-1").status_code == 401
    assert _login(browser, coordinator, PASSWORD).status_code == 303
    assert (
        _api(world, None).get("/dossiers", headers={"Authorization": "Bearer cvt_geraden"}).status_code == 401
    )
    officer = _api(world, "privacyfunctionaris")
    r = officer.post("/dossiers", content=ZEIST.read_bytes(), headers={"Content-Type": "application/yaml"})
    assert r.status_code in (200, 201), r.text[:300]
    key = r.json()["id"]
    assert officer.get(f"/agreements/{key}/register.csv").status_code == 200
    refused = _api(world, "wijkagent").get("/dossiers")
    assert refused.status_code == 403
    coordinator_api = _api(world, "coordinator")
    meeting = {"sleutel": "overleg-audit", "overeenkomst": key, "datum": date.today().isoformat()}
    assert coordinator_api.post("/meetings", json=meeting).status_code == 201
    assert coordinator_api.post("/meetings/overleg-audit/check").status_code == 200
    events = _events(world)
    actions = [(actor.split(" ")[0], action) for actor, action, _, _ in events]
    assert ("anoniem", "aanmelden mislukt") in actions
    assert (coordinator, "aangemeld") in actions
    assert ("anoniem", "sleutel geweigerd") in actions
    assert ("privacyfunctionaris@proef.example", "sleutel gebruikt") in actions
    assert ("privacyfunctionaris@proef.example", "export") in actions
    assert ("wijkagent@proef.example", "geweigerd") in actions
    assert ("coordinator@proef.example", "vergadertoets") in actions
    failed = next(e for e in events if e[1] == "aanmelden mislukt")
    assert failed[2] == coordinator and "198.51.100.4" in failed[3]
    export = next(e for e in events if e[1] == "export")
    assert "autorisatieregister (CSV)" in export[3] and export[2] == key
    assert all(len(action) <= 20 for _, action, _, _ in events)  # reg_audit.action (PostgreSQL enforces it)
    refusal = next(e for e in events if e[1] == "geweigerd")
    assert '"status":403' in refusal[3] and '"pad":"/dossiers"' in refusal[3]


def _rewrite_row_and_recompute_the_chain(world: ApiWorld, seq: int) -> None:
    """What the probe did: change one row, then recompute every hash from there on."""
    engine = world.app.state.engine
    with writer(engine).begin() as conn:
        conn.execute(update(_audit).where(_audit.c.seq == seq).values(actor="iemand anders"))
        rows = conn.execute(select(_audit).where(_audit.c.seq >= seq).order_by(_audit.c.seq)).mappings().all()
        prev = rows[0]["prev_hash"]
        for row in rows:
            h = entry_hash(
                prev,
                row["seq"],
                row["at"],
                row["actor"],
                row["action"],
                row["entity"],
                row["entity_id"],
                row["changes_digest"],
                row["agreement_key"],
                row["organisation_id"],
            )
            conn.execute(update(_audit).where(_audit.c.seq == row["seq"]).values(prev_hash=prev, hash=h))
            prev = h


def _env(world: ApiWorld) -> dict[str, str]:
    s = world.settings
    return {
        **os.environ,
        "CONVENANT_DATA_DIR": str(s.data_dir),
        "CONVENANT_DATABASE_URL": s.effective_database_url,
        "CONVENANT_RETENTION_INTERVAL_HOURS": "0",
    }


def test_a_rewritten_row_with_a_recomputed_chain_is_caught_by_the_signed_checkpoint(world):
    officer = _api(world, "privacyfunctionaris")
    officer.post("/dossiers", content=ZEIST.read_bytes(), headers={"Content-Type": "application/yaml"})
    checkpoint = write_checkpoint(world.settings, world.app.state.engine)
    assert checkpoint.seq > 3 and checkpoint.path.stat().st_mode & 0o077 == 0
    with world.app.state.engine.connect() as conn:
        assert verify_checkpoints(world.settings, conn).ok
    ok = subprocess.run(
        [*CLI, "audit", "verify"], env=_env(world), capture_output=True, text=True, timeout=120
    )
    assert ok.returncode == 0 and "1 ondertekend controlepunt klopt" in ok.stdout, ok.stderr

    _rewrite_row_and_recompute_the_chain(world, 2)
    with world.app.state.engine.connect() as conn:
        assert verify_chain(conn).ok  # the plain chain is fooled
        report = verify_checkpoints(world.settings, conn)
    assert not report.ok and "herschreven" in report.problems[0]
    bad = subprocess.run(
        [*CLI, "audit", "verify"], env=_env(world), capture_output=True, text=True, timeout=120
    )
    assert bad.returncode == 1 and "herschreven" in bad.stderr
    api = _api(world, "privacyfunctionaris").get("/audit/verify").json()
    assert api["in_orde"] is False and api["controlepunten"] == 1
    assert any("herschreven" in p for p in api["problemen"])


def test_a_tampered_checkpoint_is_caught_by_its_signature(world):
    checkpoint = write_checkpoint(world.settings, world.app.state.engine)
    data = bytearray(checkpoint.path.read_bytes())
    i = data.index(b"/Keywords")
    data[i + 40] = ord("0") if data[i + 40] != ord("0") else ord("1")  # another hash, same length
    checkpoint.path.write_bytes(bytes(data))
    with world.app.state.engine.connect() as conn:
        report = verify_checkpoints(world.settings, conn)
    assert not report.ok and checkpoint.path.name in report.problems[0]
