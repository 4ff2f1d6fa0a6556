"""Signing declarations over HTTP against the real service: the harness of the throughput benchmark,
the load/fault script (scripts/loadtest.py) and its CI test (tests/proof/test_load_fault.py).

An installation is prepared in a fresh data folder (SQLite file or a PostgreSQL database): the Zeist
dossier, its agreement in the registry, wijkoverleggen, and one agendadeelnemer invited per signing,
each with their own signing link (service.invitations). The service then runs as it does in production —
``convenant serve --workers N`` on 127.0.0.1 — and simulated agendadeelnemers, ``concurrency`` at a time,
open their link with a chosen ground and sign (GET the page, POST "Ondertekenen"). Optionally one worker
process is killed with SIGKILL part-way. ``verify`` then checks every link against the database, the
stored files and the audit chain.

``run()`` (the benchmark): 20 concurrent clients against 2 workers, against one client in the same run.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench.runner import Result

ROOT = Path(__file__).resolve().parent.parent
DOSSIER_ID = "zeist-wijkgericht-werken-2018"
PER_MEETING = 50
HIDDEN = re.compile(r'<input type="hidden" name="([a-z0-9_]+)" value="([^"]*)"')


@dataclass(frozen=True)
class Invitation:
    token: str
    link_id: int
    person_key: str
    email: str


@dataclass
class Outcome:
    token: str
    status: str  # "ondertekend", "fout"
    detail: str = ""
    seconds: float = 0.0


@dataclass
class Installation:
    data_dir: Path
    database_url: str
    invitations: list[Invitation]
    ground: str

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CONVENANT_")}
        env.update(
            {
                "CONVENANT_DATA_DIR": str(self.data_dir),
                "CONVENANT_DATABASE_URL": self.database_url,
                "CONVENANT_RETENTION_INTERVAL_HOURS": "0",
                "CONVENANT_AUDIT_CHECKPOINT_INTERVAL_HOURS": "0",  # no background signing while measuring
                "PYTHONUNBUFFERED": "1",
            }
        )
        return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _settings(data_dir: Path, database_url: str, port: int | None = None) -> Any:
    from service.settings import Settings

    base = f"http://127.0.0.1:{port}" if port else None
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        retention_interval_hours=0,
        audit_checkpoint_interval_hours=0,
        base_url=base,
    )


def prepare(data_dir: Path, database_url: str | None, signings: int) -> Installation:
    """A fresh installation with ``signings`` invited agendadeelnemers (one signing link each)."""
    from registry.database import make_engine, migrate
    from registry.session import AuditedSession
    from registry.sync import save_meeting, sync_dossier
    from service.bootstrap import load_example_dossiers
    from service.bootstrap import prepare as prepare_folder
    from service.dossiers.service import get_dossier
    from service.invitations.service import invite_agendadeelnemer

    data_dir.mkdir(parents=True, exist_ok=True)
    url = database_url or f"sqlite:///{data_dir / 'convenant.db'}"
    settings = _settings(data_dir, url)
    migrate(url)
    prepare_folder(settings)
    load_example_dossiers(settings)
    dossier = get_dossier(settings, DOSSIER_ID)
    ground = dossier.declaration.grounds[0].key  # type: ignore[union-attr]
    engine = make_engine(url)
    invitations: list[Invitation] = []
    try:
        with AuditedSession(engine, actor="loadtest", expire_on_commit=False) as db:
            agreement = sync_dossier(db, dossier)
            db.commit()
            for start in range(0, signings, PER_MEETING):
                key = f"belasting-overleg-{start // PER_MEETING + 1}"
                save_meeting(
                    db, agreement, key, date.today() + timedelta(days=7), [], title="Wijkoverleg (belasting)"
                )
                for n in range(start, min(start + PER_MEETING, signings)):
                    email = f"deelnemer{n:05d}@belasting.example"
                    issued = invite_agendadeelnemer(
                        db,
                        settings,
                        dossier,
                        key,
                        name=f"Deelnemer {n:05d}",
                        email=email,
                        institution="Basisschool De Linde",
                        function="intern begeleider",
                        actor="loadtest",
                    )
                    invitations.append(
                        Invitation(issued.token, issued.link.id or 0, str(issued.link.person_key), email)
                    )
                db.commit()
    finally:
        engine.dispose()
    return Installation(data_dir, url, invitations, ground)


# --- the service as a process -----------------------------------------------------------------------


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log: Path
    killed: list[int] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def workers(self) -> list[int]:
        """PIDs of the uvicorn worker processes (children of the serving process that run the app)."""
        return sorted(pid for pid in _children(self.process.pid) if _is_worker(pid))

    def kill_one_worker(self) -> int:
        pids = self.workers()
        if not pids:
            raise RuntimeError("geen werkprocessen gevonden om te stoppen")
        victim = _busiest(pids)  # a worker in the middle of a request, so that the kill interrupts work
        os.kill(victim, signal.SIGKILL)
        self.killed.append(victim)
        return victim


def _cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])  # utime + stime


def _busiest(pids: list[int], window: float = 0.25) -> int:
    before = {pid: _cpu_ticks(pid) for pid in pids}
    time.sleep(window)
    return max(pids, key=lambda pid: _cpu_ticks(pid) - before[pid])


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(entry.name))
    return out


def _is_worker(pid: int) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return b"multiprocessing" in cmdline and b"resource_tracker" not in cmdline


@contextmanager
def serve(inst: Installation, workers: int, *, startup_timeout: float = 90) -> Iterator[Server]:
    """``convenant serve --workers N`` on a free loopback port; stopped (and every child with it) on exit."""
    port = free_port()
    log = inst.data_dir / f"serve-{port}.log"
    env = inst.env() | {"CONVENANT_BASE_URL": f"http://127.0.0.1:{port}"}
    with log.open("wb") as fh:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "service.cli",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                str(workers),
            ],
            cwd=ROOT,
            env=env,
            stdout=fh,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(proc, port, log)
    try:
        _wait_ready(server, workers, startup_timeout)
        yield server
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait(timeout=10)


def _wait_ready(server: Server, workers: int, timeout: float) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"de dienst stopte bij het starten:\n{server.log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{server.base}/health", timeout=2).status_code == 200 and (
                workers == 1 or len(server.workers()) >= workers
            ):
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"de dienst kwam niet op binnen {timeout:.0f} s:\n{server.log.read_text()[-3000:]}")


# --- the clients ------------------------------------------------------------------------------------


async def sign_one(client: Any, base: str, token: str, ground: str) -> Outcome:
    """One agendadeelnemer: open the link with the chosen ground, then sign (as the page's form does)."""
    t0 = time.perf_counter()
    page = await client.get(f"{base}/ondertekenen/{token}", params={"grondslag": ground})
    if page.status_code != 200:
        return Outcome(token, "fout", f"openen: HTTP {page.status_code}", time.perf_counter() - t0)
    form = dict(HIDDEN.findall(page.text))
    form["akkoord"] = "ja"
    cookies = "; ".join(f"{k}={v}" for k, v in page.cookies.items())
    # The agendadeelnemer is done after this request: their browser's connection goes (``Connection: close``),
    # and the next person opens a new one. Without it, 20 keep-alive connections opened at the start stay
    # with whichever worker accepted them, and one worker can end up serving most of the run.
    headers = {"Connection": "close"} | ({"Cookie": cookies} if cookies else {})
    done = await client.post(f"{base}/ondertekenen/{token}", data=form, headers=headers)
    seconds = time.perf_counter() - t0
    if done.status_code == 303 and "/ondertekend/" in done.headers.get("location", ""):
        return Outcome(token, "ondertekend", "", seconds)
    return Outcome(token, "fout", f"ondertekenen: HTTP {done.status_code}", seconds)


async def run_clients(
    base: str,
    tokens: list[str],
    ground: str,
    concurrency: int,
    *,
    on_progress: Any = None,
    deadline_s: float = 600,
) -> list[Outcome]:
    import httpx

    queue: asyncio.Queue[str] = asyncio.Queue()
    for t in tokens:
        queue.put_nowait(t)
    outcomes: list[Outcome] = []
    stop_at = time.monotonic() + deadline_s
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(timeout=httpx.Timeout(120), limits=limits, follow_redirects=False) as client:

        async def worker() -> None:
            while time.monotonic() < stop_at:
                try:
                    token = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                try:
                    outcome = await sign_one(client, base, token, ground)
                except httpx.HTTPError as exc:  # connection reset by a killed worker, timeouts
                    outcome = Outcome(token, "fout", f"{type(exc).__name__}: {exc}"[:200])
                outcomes.append(outcome)
                if on_progress is not None:
                    on_progress(len(outcomes))

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return outcomes


# --- verification -----------------------------------------------------------------------------------


@dataclass
class Verdict:
    complete: list[str] = field(default_factory=list)  # tokens fully signed
    absent: list[str] = field(default_factory=list)  # tokens with nothing done (link still usable)
    half_done: list[str] = field(default_factory=list)  # messages
    duplicated: list[str] = field(default_factory=list)
    orphan_files: list[str] = field(default_factory=list)  # signed PDFs no record points to
    chain_ok: bool = False
    chain_entries: int = 0
    chain_problems: list[str] = field(default_factory=list)

    @property
    def consistent(self) -> bool:
        return not self.half_done and not self.duplicated and self.chain_ok


def verify(inst: Installation) -> Verdict:
    """Every link is either complete (event + signed file with the recorded SHA-256 + registry declaration +
    audit entries) or absent (unused link, no event, no declaration); nothing twice; the audit chain holds."""
    from sqlalchemy import select
    from sqlmodel import Session, col

    from registry.audit import verify_chain
    from registry.database import make_engine
    from registry.models import AuditEntry, DeclarationRecord, Person
    from service.invitations.models import SigningEvent, SigningLink

    settings = _settings(inst.data_dir, inst.database_url)
    docs = settings.documents_dir
    verdict = Verdict()
    engine = make_engine(inst.database_url)
    try:
        with Session(engine) as db:
            rows = db.execute(select(SigningLink)).scalars().all()
            links = {row.id: row for row in rows}
            events: dict[int, list[Any]] = {}
            for ev in db.execute(select(SigningEvent)).scalars():
                events.setdefault(ev.link_id, []).append(ev)
            persons = {p.key: p for p in db.execute(select(Person)).scalars()}
            declarations: dict[int, list[Any]] = {}
            for d in db.execute(select(DeclarationRecord)).scalars():
                declarations.setdefault(d.person_id, []).append(d)
            # The audit entry of a signing event carries its columns, the signed file's SHA-256 among them
            # (created rows are logged before their id is known, so the id cannot be used to match).
            audited = "\n".join(
                db.execute(
                    select(col(AuditEntry.changes)).where(col(AuditEntry.entity) == "sign_event")
                ).scalars()
            )
            referenced = {ev.file_path for evs in events.values() for ev in evs}
            for inv in inst.invitations:
                link = links.get(inv.link_id)
                evs = events.get(inv.link_id, [])
                person = persons.get(inv.person_key)
                decls = declarations.get(person.id, []) if person is not None else []
                if link is None:
                    verdict.half_done.append(f"link {inv.link_id} ontbreekt")
                    continue
                if len(evs) > 1 or len(decls) > 1:
                    verdict.duplicated.append(
                        f"link {inv.link_id}: {len(evs)} ondertekeningen, {len(decls)} verklaringen"
                    )
                    continue
                if link.used_at is None and not evs and not decls:
                    verdict.absent.append(inv.token)
                    continue
                problems = []
                if link.used_at is None:
                    problems.append("link niet als gebruikt gemarkeerd")
                if not evs:
                    problems.append("geen ondertekeningsregel (audit trail)")
                else:
                    ev = evs[0]
                    path = docs / ev.file_path
                    if not path.is_file():
                        problems.append(f"ondertekend bestand ontbreekt: {ev.file_path}")
                    elif hashlib.sha256(path.read_bytes()).hexdigest() != ev.sha256_after:
                        problems.append("ondertekend bestand wijkt af van de vastgelegde SHA-256")
                    if ev.sha256_after not in audited:
                        problems.append("ondertekening staat niet in het auditlog")
                    if decls and decls[0].document_sha256 != ev.sha256_after:
                        problems.append("registerverklaring wijst naar een ander document")
                if not decls:
                    problems.append("geen verklaring in het register")
                if problems:
                    verdict.half_done.append(f"link {inv.link_id}: " + "; ".join(problems))
                else:
                    verdict.complete.append(inv.token)
            signed_dir = docs / "ondertekening" / DOSSIER_ID / "verklaringen"
            if signed_dir.exists():
                for pdf in signed_dir.glob("verklaring-*.pdf"):  # concept-*.pdf: prepared, not signed
                    if pdf.relative_to(docs).as_posix() not in referenced:
                        verdict.orphan_files.append(pdf.name)
            with engine.connect() as conn:
                report = verify_chain(conn)
            verdict.chain_ok, verdict.chain_entries, verdict.chain_problems = (
                report.ok,
                report.entries,
                report.problems,
            )
    finally:
        engine.dispose()
    return verdict


# --- one complete run -------------------------------------------------------------------------------


@dataclass
class LoadReport:
    signings: int
    concurrency: int
    workers: int
    database: str
    seconds: float
    outcomes: list[Outcome]
    killed: list[int]
    before_retry: Verdict
    retried: int
    after_retry: Verdict

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
        b, a = self.before_retry, self.after_retry
        return (
            f"{self.signings} ondertekeningen, {self.concurrency} gelijktijdige clients, "
            f"{self.workers} werkprocessen, "
            f"{self.database}: {self.seconds:.1f} s, {self.rate:.1f}/s, {self.errors} mislukte verzoeken "
            f"(waarvan {self.server_errors} met een 5xx-antwoord); "
            f"werkproces gestopt (SIGKILL): {self.killed or 'geen'}; "
            f"daarna: {len(b.complete)} volledig, {len(b.absent)} afwezig, {len(b.half_done)} half, "
            f"{len(b.duplicated)} dubbel; opnieuw geprobeerd: {self.retried}; "
            f"eind: {len(a.complete)} volledig, {len(a.absent)} afwezig, {len(a.half_done)} half, "
            f"{len(a.duplicated)} dubbel, {len(a.orphan_files)} verweesde bestanden; "
            f"auditketen {'in orde' if a.chain_ok else 'VERBROKEN'} ({a.chain_entries} regels)"
        )


def load_run(
    inst: Installation,
    *,
    workers: int,
    concurrency: int,
    kill_at: float | None = None,
    deadline_s: float = 600,
    log: Any = None,
) -> LoadReport:
    """Sign every invitation of ``inst``; with ``kill_at`` (0..1), SIGKILL one worker when that part is done.
    Afterwards verify, retry what is absent with the same link, and verify again."""
    tokens = [i.token for i in inst.invitations]
    database = "PostgreSQL" if inst.database_url.startswith("postgresql") else "SQLite"
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
        before = verify(inst)
        retry = before.absent
        if retry:
            _wait_ready(server, workers, 60)  # the supervisor has replaced the killed worker
            asyncio.run(
                run_clients(
                    server.base, retry, inst.ground, min(concurrency, len(retry)), deadline_s=deadline_s
                )
            )
        after = verify(inst)
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
        met=twenty.rate >= 20 and twenty.errors == 0 and twenty.after_retry.consistent,
        notes=f"baseline = 1 client, 20 ondertekeningen; {twenty.summary()}",
    )


def run() -> list[Result]:
    """Throughput: 20 concurrent clients against 2 workers (this machine has 2 cores), against 1 client;
    on SQLite and on a throw-away PostgreSQL cluster on 127.0.0.1."""
    import tempfile

    tmp = Path(tempfile.mkdtemp(prefix="convenant-bench-load-"))
    results = [_throughput("sqlite", tmp, None)]
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from run_tests import TemporaryPostgres

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
