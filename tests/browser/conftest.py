"""Browser tests: the real app under uvicorn on 127.0.0.1 (background thread), a real SMTP server (aiosmtpd),
and Debian's Chromium driven by Playwright (never a downloaded browser). Screenshots go to
test-artifacts/screenshots/ (git-ignored)."""

from __future__ import annotations

import socket
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from aiosmtpd.controller import Controller
from playwright.sync_api import expect

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "service"))  # the support modules of tests/service

from accounts_support import make_app, make_staff  # noqa: E402
from links_support import clean_invitation_tables  # noqa: E402
from mail_support import Inbox  # noqa: E402

# How long an expectation waits for the page before it fails (Playwright's default: 5 s). A ceiling, not a
# timing: on a busy 2-core machine a signing step (code e-mail, one-time certificate, signature) can take
# longer than 5 s, and the walk-through failed for that alone.
expect.set_options(timeout=20_000)

ROOT = HERE.parents[1]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if str(item.fspath).startswith(str(HERE)):
            item.add_marker(pytest.mark.browser)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LiveServer:
    url: str
    app: object
    inbox: Inbox
    staff: dict
    data_dir: Path


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory, test_database_url: str) -> Iterator[LiveServer]:
    inbox = Inbox()
    smtp_port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    data_dir = tmp_path_factory.mktemp("live")
    app = make_app(
        data_dir,
        test_database_url,
        smtp_host="127.0.0.1",
        smtp_port=smtp_port,
        mail_from="convenant@zeist.example",
        base_url=url,
        host="127.0.0.1",
        port=port,
    )
    clean_invitation_tables(test_database_url)
    staff = make_staff(app)
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn startte niet")
        time.sleep(0.05)
    try:
        yield LiveServer(url, app, inbox, staff, data_dir)
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        controller.stop()
        app.state.engine.dispose()  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
