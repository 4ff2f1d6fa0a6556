"""Periodic work in the running service: a failing run is logged and the schedule goes on; it stops with
the app."""

from __future__ import annotations

import logging
import threading
import time

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from service.schedule import Periodic, install_periodic


def test_a_failed_run_is_logged_and_the_next_one_still_comes_and_all_stops_with_the_app(
    caplog: pytest.LogCaptureFixture,
) -> None:
    runs: list[int] = []
    lock = threading.Lock()

    def job() -> None:
        with lock:
            runs.append(len(runs))
            if len(runs) == 1:
                raise RuntimeError("eerste keer mis")

    app = FastAPI()
    log = logging.getLogger("convenant.test-schedule")
    install_periodic(app, Periodic("test-taak", job, 0.05, lambda: 0.0, log, "taak mislukt"))
    with caplog.at_level(logging.ERROR, logger=log.name), TestClient(app):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and len(runs) < 3:
            time.sleep(0.05)
    assert len(runs) >= 3, "the schedule stopped after the failed run"
    assert any("taak mislukt; volgende poging over 0 s" in r.getMessage() for r in caplog.records)
    assert any(r.exc_info for r in caplog.records), "the failure is logged with its trace"
    after_stop = len(runs)
    time.sleep(0.3)
    assert len(runs) == after_stop, "the task ran on after the app stopped"
