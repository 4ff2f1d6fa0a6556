"""One complete load run (serve, sign, optionally kill a worker, check, retry, check again) and the
throughput benchmark built on it."""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from bench.load.clients import Outcome, run_clients
from bench.load.install import ROOT, Installation, prepare
from bench.load.server import serve
from bench.runner import Result


class Checked(Protocol):
    """What a check of the installation after a run says (the oracle: tests/proof/load_oracle.py)."""

    absent: list[str]  # tokens with nothing done: their link may be used again

    def summary(self) -> str: ...


Check = Callable[[Installation], Checked]


@dataclass
class LoadReport:
    signings: int
    concurrency: int
    workers: int
    database: str
    seconds: float
    outcomes: list[Outcome]
    killed: list[int]
    before_retry: Checked | None  # None: run without a check
    retried: int
    after_retry: Checked | None

    @property
    def errors(self) -> int:
        return sum(1 for o in self.outcomes if o.status != "ondertekend")

    @property
    def server_errors(self) -> int:
        return sum(1 for o in self.outcomes if "HTTP 5" in o.detail)

    @property
    def rate(self) -> float:
        done = sum(1 for o in self.outcomes if o.status == "ondertekend")
        return done / self.seconds if self.seconds else 0.0

    def summary(self) -> str:
        text = (
            f"{self.signings} ondertekeningen, {self.concurrency} gelijktijdige clients, "
            f"{self.workers} werkprocessen, "
            f"{self.database}: {self.seconds:.1f} s, {self.rate:.1f}/s, {self.errors} mislukte verzoeken "
            f"(waarvan {self.server_errors} met een 5xx-antwoord); "
            f"werkproces gestopt (SIGKILL): {self.killed or 'geen'}"
        )
        if self.before_retry is not None and self.after_retry is not None:
            text += (
                f"; daarna: {self.before_retry.summary()}; opnieuw geprobeerd: {self.retried}; "
                f"eind: {self.after_retry.summary()}"
            )
        return text


def load_run(
    inst: Installation,
    *,
    workers: int,
    concurrency: int,
    kill_at: float | None = None,
    deadline_s: float = 600,
    log: Callable[[str], None] | None = None,
    check: Check | None = None,
) -> LoadReport:
    """Sign every invitation of ``inst``; with ``kill_at`` (0..1), SIGKILL one worker when that part is done.
    With ``check``: afterwards check, retry what is absent with the same link, and check again."""
    tokens = [i.token for i in inst.invitations]
    database = "PostgreSQL" if inst.database_url.startswith("postgresql") else "SQLite"
    before: Checked | None = None
    after: Checked | None = None
    retry: list[str] = []
    with serve(inst, workers) as server:
        kill_after = None if kill_at is None else max(1, int(len(tokens) * kill_at))

        def progress(done: int) -> None:
            if kill_after is not None and done == kill_after and not server.killed:
                victim = server.kill_one_worker()
                if log:
                    log(f"werkproces {victim} gestopt met SIGKILL na {done} ondertekeningen")

        t0 = time.perf_counter()
        outcomes = asyncio.run(
            run_clients(
                server.base, tokens, inst.ground, concurrency, on_progress=progress, deadline_s=deadline_s
            )
        )
        seconds = time.perf_counter() - t0
        if check is not None:
            before = check(inst)
            retry = before.absent
            if retry:
                server.wait_ready(workers, 60)  # the supervisor has replaced the killed worker
                asyncio.run(
                    run_clients(
                        server.base, retry, inst.ground, min(concurrency, len(retry)), deadline_s=deadline_s
                    )
                )
            after = check(inst)
        killed = list(server.killed)
    return LoadReport(
        len(tokens), concurrency, workers, database, seconds, outcomes, killed, before, len(retry), after
    )


def _throughput(kind: str, tmp: Path, database_url: str | None) -> Result:
    single = prepare(tmp / f"{kind}-een", database_url, 20)
    one = load_run(single, workers=2, concurrency=1)
    many = prepare(tmp / f"{kind}-twintig", database_url, 200)
    twenty = load_run(many, workers=2, concurrency=20)
    label = "PostgreSQL" if database_url else "SQLite"
    return Result(
        name=f"Doorvoer: 20 gelijktijdige clients over HTTP (2 werkprocessen, {label})",
        baseline=one.rate,
        candidate=twenty.rate,
        ratio=twenty.rate / one.rate if one.rate else None,
        unit="/s",
        goal="≥ 20 ondertekende verklaringen/s, 0 fouten",
        met=twenty.rate >= 20 and twenty.errors == 0,
        notes=(
            f"baseline = 1 client, 20 ondertekeningen; {twenty.summary()} "
            "(volledig en consistent: tests/proof/test_load_fault.py)"
        ),
    )


def run() -> list[Result]:
    """Throughput: 20 concurrent clients against 2 workers (this machine has 2 cores), against 1 client;
    on SQLite and on a throw-away PostgreSQL cluster on 127.0.0.1."""
    tmp = Path(tempfile.mkdtemp(prefix="convenant-bench-load-"))
    results = [_throughput("sqlite", tmp, None)]
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from run_tests import TemporaryPostgres  # scripts/ is not a package: importable only once on the path

        with TemporaryPostgres() as url:
            results.append(_throughput("postgresql", tmp, url))
    except Exception as exc:  # reported in the table, not hidden: the SQLite figure stands on its own
        results.append(
            Result(
                name="Doorvoer: 20 gelijktijdige clients over HTTP (2 werkprocessen, PostgreSQL)",
                baseline=None,
                candidate=None,
                ratio=None,
                unit="/s",
                goal="≥ 20 ondertekende verklaringen/s, 0 fouten",
                met=False,
                notes=f"niet gemeten: {type(exc).__name__}: {str(exc).splitlines()[0][:300]}",
            )
        )
    return results
