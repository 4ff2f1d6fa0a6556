"""The service as it runs in production: ``convenant serve --workers N`` on 127.0.0.1, as a process group.

Its worker processes are found with psutil (children of the serving process that run the app); one can be
killed with SIGKILL, preferably one in the middle of a request.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil

from bench.load.install import ROOT, Installation


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _is_worker(process: psutil.Process) -> bool:
    try:
        cmdline = " ".join(process.cmdline())
    except psutil.Error:
        return False
    return "multiprocessing" in cmdline and "resource_tracker" not in cmdline


def _cpu_seconds(process: psutil.Process) -> float:
    try:
        times = process.cpu_times()
    except psutil.Error:
        return 0.0
    return float(times.user + times.system)


def _busiest(pids: list[int], window: float = 0.25) -> int:
    processes = {pid: psutil.Process(pid) for pid in pids}
    before = {pid: _cpu_seconds(p) for pid, p in processes.items()}
    time.sleep(window)
    return max(pids, key=lambda pid: _cpu_seconds(processes[pid]) - before[pid])


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
        try:
            children = psutil.Process(self.process.pid).children()
        except psutil.NoSuchProcess:
            return []
        return sorted(child.pid for child in children if _is_worker(child))

    def kill_one_worker(self) -> int:
        pids = self.workers()
        if not pids:
            raise RuntimeError("geen werkprocessen gevonden om te stoppen")
        victim = _busiest(pids)  # a worker in the middle of a request, so that the kill interrupts work
        os.kill(victim, signal.SIGKILL)
        self.killed.append(victim)
        return victim

    def wait_ready(self, workers: int, timeout: float) -> None:
        """Until /health answers and ``workers`` workers run (after a kill: the supervisor's replacement)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"de dienst stopte bij het starten:\n{self.log.read_text()[-3000:]}")
            try:
                if httpx.get(f"{self.base}/health", timeout=2).status_code == 200 and (
                    workers == 1 or len(self.workers()) >= workers
                ):
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"de dienst kwam niet op binnen {timeout:.0f} s:\n{self.log.read_text()[-3000:]}")


@contextmanager
def serve(inst: Installation, workers: int, *, startup_timeout: float = 90) -> Iterator[Server]:
    """``convenant serve --workers N`` on a free loopback port; stopped (and every child with it) on exit."""
    port = free_port()
    log = inst.data_dir / f"serve-{port}.log"
    env = inst.env() | {"CONVENANT_BASE_URL": f"http://127.0.0.1:{port}"}
    command = [sys.executable, "-m", "service.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    with log.open("wb") as fh:
        proc = subprocess.Popen(
            [*command, "--workers", str(workers)],
            cwd=ROOT,
            env=env,
            stdout=fh,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(proc, port, log)
    try:
        server.wait_ready(workers, startup_timeout)
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
