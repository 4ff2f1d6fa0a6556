"""Issue 10, item 2: anonymous memory and disk exhaustion, replayed against the real server (uvicorn).

The probe: 1,000 form fields of 1 MB took the server from 238 MB to 1.2 GB (the CSRF guard parsed every
page POST with Starlette's defaults before authentication), and a chunked 1 GB multipart file was written
to the temporary directory before the 403. Now every body is bounded before authentication
(service/limits.py). These tests speak raw HTTP over a loopback socket, so nothing in between buffers.
"""

from __future__ import annotations

import os
import select
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from bench.load import Server, prepare, serve

pytestmark = pytest.mark.timeout(600) if hasattr(pytest.mark, "timeout") else []

MB = 1024 * 1024


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    root = tmp_path_factory.mktemp("grenzen")
    tmpdir = root / "tmp"
    tmpdir.mkdir()
    inst = prepare(root / "data", None, 0)
    old = os.environ.get("TMPDIR")
    os.environ["TMPDIR"] = str(tmpdir)  # the server's temporary files land here, where we can watch them
    try:
        with serve(inst, 1) as srv:
            yield srv, tmpdir
    finally:
        if old is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = old


def _rss(server: Server) -> int:
    """Resident memory (bytes) of the serving process and its children."""
    total = 0
    try:
        root = psutil.Process(server.process.pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    for process in processes:
        try:
            total += process.memory_info().rss
        except psutil.Error:
            pass
    return total


def _response(sock: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def _status(raw: bytes) -> int:
    return int(raw.split(b" ", 2)[1]) if raw.startswith(b"HTTP/") else 0


def _stream(
    port: int, path: str, content_type: str, parts: Iterator[bytes], limit_bytes: int
) -> tuple[int, int]:
    """POST a chunked body part by part until the server answers (or ``limit_bytes`` are sent).
    Returns (status, bytes of body sent before the answer arrived)."""
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n"
        "Transfer-Encoding: chunked\r\n\r\n".encode()
    )
    sent = 0
    try:
        for part in parts:
            readable, _, _ = select.select([sock], [], [], 0)
            if readable or sent >= limit_bytes:
                break
            try:
                sock.sendall(f"{len(part):x}\r\n".encode() + part + b"\r\n")
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(part)
        else:
            sock.sendall(b"0\r\n\r\n")
        sock.settimeout(60)
        return _status(_response(sock)), sent
    finally:
        sock.close()


def _fields(size: int, count: int) -> Iterator[bytes]:
    value = b"x" * size
    for n in range(count):
        yield (b"&" if n else b"") + f"veld{n}=".encode() + value


def _multipart_file(total: int, boundary: str = "grens") -> Iterator[bytes]:
    yield (
        f'--{boundary}\r\nContent-Disposition: form-data; name="bestand"; filename="groot.yaml"\r\n'
        "Content-Type: application/x-yaml\r\n\r\n"
    ).encode()
    block = b"a" * (256 * 1024)
    for _ in range(total // len(block)):
        yield block
    yield f"\r\n--{boundary}--\r\n".encode()


def test_a_declared_oversized_body_is_refused_before_a_byte_of_it_is_read(server):
    srv, _ = server
    sock = socket.create_connection(("127.0.0.1", srv.port))
    try:
        sock.sendall(
            b"POST /aanmelden HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1073741824\r\n\r\n"
        )
        sock.settimeout(30)
        raw = _response(sock)  # no body sent at all: the answer comes from the headers alone
    finally:
        sock.close()
    assert _status(raw) == 413, raw[:300]
    assert b"te groot" in raw or b"te_groot" in raw or raw.endswith(b"\r\n\r\n")


def test_a_chunked_gigabyte_of_form_fields_is_cut_off_and_memory_stays_flat(server):
    """The probe's attack, three in parallel: 1 MB fields without end, anonymous, to a page POST."""
    srv, _ = server
    baseline = _rss(srv)
    results: list[tuple[int, int]] = []

    def attack() -> None:
        results.append(
            _stream(
                srv.port, "/aanmelden", "application/x-www-form-urlencoded", _fields(1_000_000, 300), 300 * MB
            )
        )

    threads = [threading.Thread(target=attack) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    grown = _rss(srv) - baseline
    assert [status for status, _ in results] == [413, 413, 413], results
    # Each attacker got its answer long before 300 MB were sent (the limit is 1 MB; socket buffers hold a
    # few MB more).
    assert all(sent < 64 * MB for _, sent in results), results
    assert grown < 100 * MB, f"geheugen groeide {grown / MB:.0f} MB"


def test_a_chunked_file_to_a_page_is_not_spooled_to_disk(server):
    srv, tmpdir = server
    peak = 0
    stop = threading.Event()

    def watch() -> None:
        nonlocal peak
        while not stop.is_set():
            size = 0
            for p in tmpdir.rglob("*"):
                try:
                    size += p.stat().st_size
                except OSError:
                    pass
            peak = max(peak, size)
            time.sleep(0.005)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        status, sent = _stream(
            srv.port,
            "/portaal/dossiers",
            "multipart/form-data; boundary=grens",
            _multipart_file(200 * MB),
            200 * MB,
        )
    finally:
        stop.set()
        watcher.join()
    assert status == 413 and sent < 64 * MB, (status, sent)
    assert peak < 4 * MB, f"{peak} bytes in de tijdelijke map"
    assert list(tmpdir.iterdir()) == []


def test_too_many_fields_or_one_huge_field_or_a_file_where_none_belongs_are_refused(server):
    import httpx

    srv, _ = server
    many = httpx.post(
        f"{srv.base}/aanmelden", data={f"v{n}": "1" for n in range(500)}, timeout=30
    )  # 500 fields, a few KB
    assert many.status_code == 413 and "velden" in many.json()["melding"]
    huge = httpx.post(f"{srv.base}/aanmelden", data={"email": "x" * (512 * 1024)}, timeout=30)
    assert huge.status_code == 413
    sneaky = httpx.post(
        f"{srv.base}/aanmelden", files={"bestand": ("a.txt", b"x" * 1000, "text/plain")}, timeout=30
    )
    assert sneaky.status_code == 413
    # A normal sign-in form still works as before (401: unknown account, not a limit).
    ok = httpx.post(f"{srv.base}/aanmelden", data={"email": "a@b.nl", "wachtwoord": "x"}, timeout=30)
    assert ok.status_code not in (413, 500)
    assert httpx.get(f"{srv.base}/health", timeout=30).status_code == 200
