"""Load and fault, CI-sized: 60 signings from 10 concurrent clients against `convenant serve --workers 3`
on 127.0.0.1 (SQLite in the first pass, PostgreSQL in the second), one worker killed with SIGKILL after
a third. Every signing ends complete (signed PDF stored with its SHA-256, signing event in the audit log,
declaration in the registry) or absent — and then succeeds when retried with the same link. None is
half-done or duplicated, and the audit chain verifies. The full run is scripts/loadtest.py (1,000 / 50)."""

from __future__ import annotations

import pytest

from bench.load import load_run, prepare
from tests.proof.load_oracle import Verdict, verify

SIGNINGS, CLIENTS, WORKERS = 60, 10, 3


@pytest.mark.timeout(600)
def test_signings_survive_a_killed_worker_complete_or_retryable_never_half_done(database_url, tmp_path):
    inst = prepare(tmp_path / "data", database_url, SIGNINGS)
    report = load_run(inst, workers=WORKERS, concurrency=CLIENTS, kill_at=1 / 3, deadline_s=300, check=verify)
    print("\n" + report.summary())

    assert len(report.killed) == 1, "no worker was killed: the fault was not injected"
    first = report.before_retry
    assert isinstance(first, Verdict)
    assert first.half_done == [], first.half_done
    assert first.duplicated == [], first.duplicated
    assert len(first.complete) + len(first.absent) == SIGNINGS

    final = report.after_retry
    assert isinstance(final, Verdict)
    assert final.half_done == [] and final.duplicated == []
    assert final.absent == [], f"{len(final.absent)} links could not be used again after the fault"
    assert len(final.complete) == SIGNINGS
    assert final.chain_ok, final.chain_problems
    assert final.chain_entries > SIGNINGS
