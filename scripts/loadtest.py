"""Load and fault test: N signings from C concurrent clients against ``convenant serve --workers W`` on
127.0.0.1, on SQLite and on PostgreSQL (a throw-away cluster started here), with one worker killed by
SIGKILL part-way. Afterwards every signing must be complete or absent-and-retryable with the same link,
none half-done, none duplicated, and the audit chain must verify. Bounded: stops by itself.

    .venv/bin/python scripts/loadtest.py          # 1,000 signings, 50 clients, 3 workers, both DBs
    .venv/bin/python scripts/loadtest.py --signings 200 --databases sqlite
Exit status 0 only when every run is consistent.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]


def main(argv: list[str]) -> int:
    from bench.load import load_run, prepare
    from tests.proof.load_oracle import verify  # the oracle lives beside the test that asserts it

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--signings", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument(
        "--kill-at", type=float, default=0.3, help="share of signings after which a worker dies"
    )
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--deadline", type=float, default=900, help="seconds before the clients give up")
    args = parser.parse_args(argv)

    ok = True
    for kind in [d.strip() for d in args.databases.split(",") if d.strip()]:
        tmp = Path(tempfile.mkdtemp(prefix=f"convenant-load-{kind}-"))
        print(f"== {kind}: {args.signings} ondertekeningen voorbereiden in {tmp}", flush=True)
        if kind == "postgresql":
            from run_tests import TemporaryPostgres

            with TemporaryPostgres() as url:
                ok &= _one(prepare(tmp / "data", url, args.signings), args, load_run, verify)
        else:
            ok &= _one(prepare(tmp / "data", None, args.signings), args, load_run, verify)
    return 0 if ok else 1


def _one(inst, args, load_run, verify) -> bool:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    report = load_run(
        inst,
        workers=args.workers,
        concurrency=args.clients,
        kill_at=args.kill_at or None,
        deadline_s=args.deadline,
        log=lambda m: print("   " + m, flush=True),
        check=verify,
    )
    print("   " + report.summary(), flush=True)
    errors = [o.detail for o in report.outcomes if o.status != "ondertekend"]
    if errors:
        kinds: dict[str, int] = {}
        for e in errors:
            kinds[e[:60]] = kinds.get(e[:60], 0) + 1
        print(f"   mislukte verzoeken tijdens de run: {kinds}", flush=True)
    verdict = report.after_retry
    for line in verdict.half_done[:10] + verdict.duplicated[:10] + verdict.chain_problems[:10]:
        print(f"   ! {line}", flush=True)
    good = verdict.consistent and not verdict.absent and len(verdict.complete) == report.signings
    print(f"   {'GESLAAGD' if good else 'MISLUKT'} in {time.perf_counter() - t0:.0f} s", flush=True)
    return good


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
