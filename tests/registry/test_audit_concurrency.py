"""Concurrent writers keep one unbroken audit chain (PostgreSQL advisory lock, SQLite BEGIN IMMEDIATE)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import Engine
from sqlmodel import func, select

from registry.audit import verify_chain
from registry.models import AuditEntry, Organisation
from registry.session import unit_of_work
from tests.registry.conftest import _clear


def _writer(engine: Engine, worker: int, n: int) -> None:
    for i in range(n):
        with unit_of_work(engine, actor=f"werker-{worker}") as db:
            db.add(Organisation(key=f"org-{worker}-{i}", name=f"Organisatie {worker}.{i}"))
            db.flush()
            org = db.exec(select(Organisation).where(Organisation.key == f"org-{worker}-{i}")).one()
            org.name = org.name + " (gewijzigd)"


def test_parallel_writers_produce_one_valid_chain(engine: Engine) -> None:
    workers, per_worker = 6, 15
    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for f in [pool.submit(_writer, engine, w, per_worker) for w in range(workers)]:
                f.result()
        with engine.connect() as conn:
            report = verify_chain(conn)
            entries = conn.execute(select(func.count()).select_from(AuditEntry)).scalar_one()
        assert report.ok, report.problems
        assert entries == workers * per_worker * 2  # one insert and one update per transaction
    finally:
        _clear(engine)
