"""Signing declarations over HTTP against the real service: the harness of the throughput benchmark, the
load/fault script (scripts/loadtest.py) and its CI test (tests/proof/test_load_fault.py).

- ``install``: a fresh installation (SQLite file or PostgreSQL database) with one signing link per signing
- ``server``: ``convenant serve --workers N`` on 127.0.0.1; its workers found (and one killed) with psutil
- ``clients``: simulated agendadeelnemers, ``concurrency`` at a time, open their link and sign
- ``report``: one complete run (``load_run``) and ``run()``, the benchmark: 20 concurrent clients against
  2 workers, against one client in the same run

Whether every signing ended complete or absent (never half-done or twice) is checked by the oracle beside
the test that asserts it, ``tests/proof/load_oracle.py``, passed to ``load_run(check=...)``.
"""

from bench.load.clients import Outcome, run_clients, sign_one
from bench.load.install import DOSSIER_ID, Installation, Invitation, prepare
from bench.load.report import Checked, LoadReport, load_run, run
from bench.load.server import Server, free_port, serve

__all__ = [
    "DOSSIER_ID",
    "Checked",
    "Installation",
    "Invitation",
    "LoadReport",
    "Outcome",
    "Server",
    "free_port",
    "load_run",
    "prepare",
    "run",
    "run_clients",
    "serve",
    "sign_one",
]
