"""Run the whole test suite: once on SQLite, then the database tests again on a real PostgreSQL.

PostgreSQL runs as a throw-away cluster in a temporary folder on 127.0.0.1, owned by the
``postgres`` system user (the server refuses to run as root). Exits non-zero when any pass fails.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTEST = [sys.executable, "-m", "pytest"]
LINTED = ["service", "templates", "signing", "registry", "bench", "tests", "scripts"]
TYPED = ["service", "templates", "signing", "registry"]
LINT_STEPS = [
    [sys.executable, "-m", "ruff", "check", *LINTED],
    [sys.executable, "-m", "ruff", "format", "--check", *LINTED],
    [sys.executable, "-m", "mypy", "--strict", *TYPED],  # settings and exclusions: pyproject.toml
    # package direction, no cycle (none hidden in a function), every function-level import says why
    [sys.executable, "-m", "scripts.architecture", "--strict", "--imports"],
]


def _lint() -> int:
    """Run ruff and mypy; every step runs, so the report is complete. Non-zero when any step fails."""
    failed = [cmd for cmd in LINT_STEPS if subprocess.run(cmd, cwd=ROOT).returncode != 0]
    for cmd in failed:
        print(f"== Controle MISLUKT: {' '.join(cmd[2:])}", flush=True)
    return 1 if failed else 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pg_bindir() -> Path:
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    if not candidates:
        raise SystemExit("PostgreSQL-server niet gevonden (pakket 'postgresql').")
    return candidates[0]


def _as_postgres(cmd: list[str]) -> list[str]:
    return cmd if os.geteuid() != 0 else ["runuser", "-u", "postgres", "--", *cmd]


class TemporaryPostgres:
    def __init__(self) -> None:
        self.bindir = _pg_bindir()
        self.port = _free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="convenant-pg-"))
        os.chmod(self.dir, 0o777)
        self.datadir = self.dir / "data"

    def __enter__(self) -> str:
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
        subprocess.run(
            _as_postgres(
                [
                    str(self.bindir / "initdb"),
                    "-D",
                    str(self.datadir),
                    "-U",
                    "convenant",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        subprocess.run(
            _as_postgres(
                [
                    str(self.bindir / "pg_ctl"),
                    "-D",
                    str(self.datadir),
                    "-l",
                    str(self.dir / "log"),
                    "-o",
                    f"-h 127.0.0.1 -p {self.port} -k {self.dir} -c max_connections=300 -c fsync=off",
                    "-w",
                    "start",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        for _ in range(50):
            ok = (
                subprocess.run(
                    [str(self.bindir / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port)],
                    stdout=subprocess.DEVNULL,
                ).returncode
                == 0
            )
            if ok:
                break
            time.sleep(0.2)
        subprocess.run(
            [
                str(self.bindir / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "convenant",
                "convenant",
            ],
            check=True,
        )
        return f"postgresql+psycopg://convenant@127.0.0.1:{self.port}/convenant"

    def __exit__(self, *exc: object) -> None:
        subprocess.run(
            _as_postgres([str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-m", "immediate", "stop"]),
            stdout=subprocess.DEVNULL,
        )
        shutil.rmtree(self.dir, ignore_errors=True)


def main(argv: list[str]) -> int:
    env = dict(os.environ)
    env.pop("CONVENANT_TEST_DATABASE_URL", None)
    print("== Controle: ruff en mypy", flush=True)
    rc0 = _lint()
    print("== Testronde 1: alle tests op SQLite", flush=True)
    rc1 = subprocess.run([*PYTEST, *argv], cwd=ROOT, env=env).returncode
    print("== Testronde 2: databasetests op PostgreSQL", flush=True)
    with TemporaryPostgres() as url:
        env["CONVENANT_TEST_DATABASE_URL"] = url
        rc2 = subprocess.run([*PYTEST, "-m", "db", *argv], cwd=ROOT, env=env).returncode
    if rc2 == 5:  # no database tests collected yet
        rc2 = 0
    print(
        f"== Controle: {'geslaagd' if rc0 == 0 else 'MISLUKT'}; "
        f"SQLite: {'geslaagd' if rc1 == 0 else 'MISLUKT'}; "
        f"PostgreSQL: {'geslaagd' if rc2 == 0 else 'MISLUKT'}"
    )
    return 0 if rc0 == 0 and rc1 == 0 and rc2 == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
