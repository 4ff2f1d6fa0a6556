"""Meeting check (deelnemerstoets) of 40 attendees against a registry of 10,000 and of 100,000 persons.

A synthetic registry — 1,000 agreements (8 parties and one art. 20 Wpg besluit each) and N persons, each
designated for one agreement (5 % as agendadeelnemer, half of those with a signed declaration) — is
bulk-loaded (SQLite: executemany; PostgreSQL: COPY) and ANALYZEd. The meeting of agreement 1 has 40
attendees (partner professionals, a wijkagent, agendadeelnemers with and without declaration, two persons
whose designation ended, two unknown e-mail addresses). The check goes through the API
(``POST /meetings/{id}/check`` on the real app via FastAPI's TestClient, with an API token, so the access
guard and the per-request transaction are included).

Baseline: the same check against a 10,000-person registry (same agreements and meeting), loaded next to the
100,000-person one; requests alternate between the two so that machine load affects both alike.
Ratio = baseline ÷ candidate: near 1 means the cost follows the attendees, not the registry size (one
query per concern, indexes). Run on SQLite and on a throw-away
PostgreSQL cluster (scripts/run_tests.py's TemporaryPostgres) on 127.0.0.1.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from bench.runner import Result

ROOT = Path(__file__).resolve().parent.parent
AGREEMENTS = 1_000
PARTIES = 8
SMALL, LARGE = 10_000, 100_000
ATTENDEES = 40
REPEAT = 30
MEETING = "bench-overleg"
CHECK_ON = date(2025, 5, 1)


def _tables() -> dict[str, Any]:
    from registry import models as m

    return {t.name: t for t in m.REGISTRY_TABLES}


def _copy_or_insert(conn: Any, table: Any, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        import json

        cols = list(rows[0].keys())
        raw = conn.connection.driver_connection
        with raw.cursor() as cur, cur.copy(f"COPY {table.name} ({', '.join(cols)}) FROM STDIN") as cp:
            for r in rows:
                cp.write_row(
                    [json.dumps(v) if isinstance(v, (list, dict)) else v for v in (r[c] for c in cols)]
                )
    else:
        conn.execute(table.insert(), rows)


def _person_rows(
    start: int, stop: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Persons ``start``..``stop-1`` (ids), each designated for agreement ``id % AGREEMENTS + 1``."""
    persons, designations, declarations = [], [], []
    for pid in range(start, stop):
        agreement = pid % AGREEMENTS + 1
        guest = pid % 20 == 0
        party = (agreement - 1) * PARTIES + (pid % PARTIES) + 1
        persons.append(
            {
                "id": pid,
                "key": f"p{pid}",
                "name": f"Persoon {pid}",
                "email": f"p{pid}@example.nl",
                "function": "professional",
                "organisation_id": None if guest else party,
            }
        )
        designations.append(
            {
                "id": pid,
                "agreement_id": agreement,
                "person_id": pid,
                "party_id": None if guest else party,
                "role": "agendadeelnemer" if guest else "professional",
                "designated_from": date(2024, 1, 1),
                "designated_until": None,
                "designated_by": None,
            }
        )
        if guest and pid % 40 == 0:
            declarations.append(
                {
                    "id": pid,
                    "agreement_id": agreement,
                    "person_id": pid,
                    "ground": "toestemming",
                    "document_ref": None,
                    "document_sha256": None,
                    "signed_on": date(2024, 2, 1),
                }
            )
    return persons, designations, declarations


def _legal_json(tacit: bool) -> dict[str, Any]:
    """The Zeist example's legal model (as the registry stores it on sync); for a tacitly renewed agreement
    its term rule is made tacit, renewed unless a majority objects."""
    import yaml

    from registry.sync import legal_facts
    from templates.dossier.model import Dossier

    dossier = Dossier.model_validate(yaml.safe_load((ROOT / "examples" / "zeist.yaml").read_text("utf-8")))
    data = legal_facts(dossier).as_json()
    if tacit:
        data["model"]["term"].update({"kind": "stilzwijgend", "objection": "meerderheid", "evaluation": None})
    return data


def _base_rows() -> dict[str, list[dict[str, Any]]]:
    legal = {True: _legal_json(True), False: _legal_json(False)}
    rows: dict[str, list[dict[str, Any]]] = {
        k: [] for k in ("reg_organisation", "reg_agreement", "reg_party", "reg_besluit")
    }
    for a in range(1, AGREEMENTS + 1):
        rows["reg_agreement"].append(
            {
                "id": a,
                "key": f"overeenkomst-{a}",
                "title": f"Samenwerkingsovereenkomst {a}",
                "kind": "samenwerkingsovereenkomst" if a % 2 else "convenant",
                "municipality": "Zeist",
                "status": "actief",
                "signed_on": date(2024, 1, 1),
                "term_start": date(2024, 1, 1),
                "term_end": date(2026, 12, 31),
                "renewal": "verlenging_na_evaluatie" if a % 2 else "stilzwijgend",
                "renewal_years": 1,
                "objection": None if a % 2 else "meerderheid",
                "ended_on": None,
                "legal": legal[not a % 2],
            }
        )
        for p in range(PARTIES):
            pid = (a - 1) * PARTIES + p + 1
            rows["reg_organisation"].append(
                {
                    "id": pid,
                    "key": f"org-{pid}",
                    "name": f"Partner {pid}",
                    "kind": "politie" if p == 0 else "woningcorporatie",
                }
            )
            rows["reg_party"].append(
                {
                    "id": pid,
                    "agreement_id": a,
                    "organisation_id": pid,
                    "key": f"partij-{p}",
                    "name": f"Partner {pid}",
                    "kind": "politie" if p == 0 else "woningcorporatie",
                    "represented_by": None,
                }
            )
        rows["reg_besluit"].append(
            {
                "id": a,
                "agreement_id": a,
                "key": "besluit-art20",
                "title": "Besluit art. 20 Wpg",
                "issuer_name": "Politiechef",
                "issuer_function": "politiechef",
                "decided_on": date(2024, 1, 1),
                "in_force_from": date(2024, 1, 1),
                "in_force_until": date(2026, 12, 31),
                "revoked_on": None,
                "revoked_at": None,
                "revocation_reason": None,
                "recipients": [f"partij-{p}" for p in range(1, PARTIES)],
                "categories": list("abcde"),
                "providers": ["wijkagent", "vervanger"],
                "uses": ["zorg", "overlast", "opsporing", "openbare-orde"],
            }
        )
    return rows


def _attendee_rows() -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    """Persons 1..38 designated for agreement 1 in varied situations, plus two unknown e-mail addresses."""
    persons, designations, declarations, given = [], [], [], []
    for i in range(1, ATTENDEES - 1):
        role = "wijkagent" if i == 1 else "agendadeelnemer" if i % 9 == 0 else "professional"
        party = 1 if role == "wijkagent" else None if role == "agendadeelnemer" else 2 + i % (PARTIES - 1)
        until = date(2025, 1, 31) if i in (5, 6) else date(2025, 5, 20) if i == 7 else None
        persons.append(
            {
                "id": i,
                "key": f"deelnemer-{i}",
                "name": f"Deelnemer {i}",
                "email": f"d{i}@example.nl",
                "function": role,
                "organisation_id": party,
            }
        )
        designations.append(
            {
                "id": i,
                "agreement_id": 1,
                "person_id": i,
                "party_id": party,
                "role": role,
                "designated_from": date(2024, 1, 1),
                "designated_until": until,
                "designated_by": None,
            }
        )
        if role == "agendadeelnemer" and i % 2:
            declarations.append(
                {
                    "id": i,
                    "agreement_id": 1,
                    "person_id": i,
                    "ground": "toestemming",
                    "document_ref": "verklaring.pdf",
                    "document_sha256": None,
                    "signed_on": date(2024, 3, 1),
                }
            )
        given.append(f"deelnemer-{i}" if i % 2 else f"d{i}@example.nl")
    given += ["onbekend-1@example.org", "Onbekende Gast"]
    return persons, designations, declarations, given


def _grow(engine: Any, start: int, stop: int, batch: int = 20_000) -> None:
    from registry.database import writer

    t = _tables()
    for lo in range(start, stop, batch):
        persons, designations, declarations = _person_rows(lo, min(stop, lo + batch))
        with writer(engine).begin() as conn:
            _copy_or_insert(conn, t["reg_person"], persons)
            _copy_or_insert(conn, t["reg_designation"], designations)
            _copy_or_insert(conn, t["reg_declaration"], declarations)


def _analyze(engine: Any) -> None:
    from sqlalchemy import text

    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            for name in ("reg_person", "reg_designation", "reg_declaration"):
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT MAX(id) FROM {name}))"
                    )
                )
        conn.execute(text("ANALYZE"))


def _build(engine: Any, persons: int) -> list[str]:
    from registry.database import migrate, writer
    from registry.session import unit_of_work
    from registry.sync import get_agreement, save_meeting

    migrate(engine)
    t = _tables()
    base = _base_rows()
    p, d, decl, given = _attendee_rows()
    with writer(engine).begin() as conn:
        for name in ("reg_agreement", "reg_organisation", "reg_party", "reg_besluit"):
            _copy_or_insert(conn, t[name], base[name])
        _copy_or_insert(conn, t["reg_person"], p)
        _copy_or_insert(conn, t["reg_designation"], d)
        _copy_or_insert(conn, t["reg_declaration"], decl)
    _grow(engine, ATTENDEES, persons)
    _analyze(engine)
    with unit_of_work(engine, actor="bench") as db:
        save_meeting(db, get_agreement(db, "overeenkomst-1"), MEETING, CHECK_ON, given)
    return given


@contextmanager
def _client(url: str, data_dir: Path, tag: str) -> Iterator[tuple[Any, dict[str, str]]]:
    from fastapi.testclient import TestClient
    from sqlmodel import Session

    from service.accounts import service as accounts
    from service.app import create_app
    from service.settings import Settings

    app = create_app(Settings(data_dir=data_dir, database_url=url))
    with Session(app.state.engine) as db:
        user = accounts.create_user(
            db,
            email=f"coordinator-{tag}@bench.example",
            name="Coördinator",
            role="coordinator",
            password="bench-wachtwoord-lang-genoeg",
        )
        _, token = accounts.create_api_token(db, user.id, "bench")  # type: ignore[arg-type]
        db.commit()
    try:
        with TestClient(app) as client:
            yield client, {"Authorization": f"Bearer {token}"}
    finally:
        app.state.engine.dispose()


def _measure(call: Callable[[], Any]) -> float:
    for _ in range(3):
        call()
    times = []
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        call()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _check(client: Any, headers: dict[str, str]) -> Any:
    r = client.post(f"/meetings/{MEETING}/check", headers=headers)
    assert r.status_code == 200, r.text
    body = r.json()
    assert len(body["deelnemers"]) == ATTENDEES and len(body["onbekende_deelnemers"]) == 2
    return body


def _run_backend(label: str, url_small: str, url_large: str, data_dir: Path) -> list[Result]:
    """Both registries side by side; requests alternate between them so that machine load hits both alike."""
    from registry.database import make_engine

    loads = {}
    for url, size in ((url_small, SMALL), (url_large, LARGE)):
        engine = make_engine(url)
        t0 = time.perf_counter()
        _build(engine, size)
        loads[size] = time.perf_counter() - t0
        engine.dispose()
    with (
        _client(url_small, data_dir / "small", "10k") as small,
        _client(url_large, data_dir / "large", "100k") as large,
    ):
        for _ in range(3):
            _check(*small)
            _check(*large)
        times: dict[int, list[float]] = {SMALL: [], LARGE: []}
        for i in range(REPEAT):
            order = [(SMALL, small), (LARGE, large)]
            for size, pair in order if i % 2 == 0 else reversed(order):
                t0 = time.perf_counter()
                _check(*pair)
                times[size].append(time.perf_counter() - t0)
    small_s, large_s = statistics.median(times[SMALL]), statistics.median(times[LARGE])
    ratio = small_s / large_s
    return [
        Result(
            name=f"deelnemerstoets 40 deelnemers via API, 100.000 vs 10.000 personen ({label})",
            baseline=small_s,
            candidate=large_s,
            ratio=ratio,
            goal="ratio ≥ 0,67 (100k hoogstens 1,5× 10k)",
            met=ratio >= 0.67,
            notes=(
                f"{AGREEMENTS} overeenkomsten; mediaan van {REPEAT} per grootte, afwisselend gemeten; "
                f"bulk laden 10k: {loads[SMALL]:.1f} s, 100k: {loads[LARGE]:.1f} s; "
                f"mediaan 10k {small_s * 1000:.1f} ms, 100k {large_s * 1000:.1f} ms"
            ),
        )
    ]


def run() -> list[Result]:
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="convenant-bench-registry-") as tmp:
        tmpdir = Path(tmp)
        results += _run_backend(
            "SQLite",
            f"sqlite:///{tmpdir / 'small.db'}",
            f"sqlite:///{tmpdir / 'large.db'}",
            tmpdir / "sqlite",
        )
        sys.path.insert(0, str(ROOT / "scripts"))
        from run_tests import TemporaryPostgres  # type: ignore[import-not-found]
        from sqlalchemy import create_engine, text

        with TemporaryPostgres() as url:
            admin = create_engine(url, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text("CREATE DATABASE registry_large"))
            admin.dispose()
            results += _run_backend(
                "PostgreSQL", url, url.rsplit("/", 1)[0] + "/registry_large", tmpdir / "pg"
            )
    return results


if __name__ == "__main__":  # pragma: no cover
    for r in run():
        print(r)
