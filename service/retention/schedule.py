"""The periodic purge inside the running service (``service.schedule``).

The first run comes one interval after start, at most an hour (not at once: a service restarted for a
quick test or demo does not purge in its first seconds), then every ``retention_interval_hours``.

With several worker processes each runs the task; the purge takes a database lock (PostgreSQL
advisory lock, SQLite's write lock), so two workers never purge at the same time and a second run
finds nothing left to do.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI

from service.retention.service import purge
from service.schedule import Periodic, install_periodic
from service.settings import Settings

log = logging.getLogger("convenant.retention")
FIRST_RUN_DELAY_SECONDS: float | None = None  # None: one interval after start, at most an hour


def _purge(settings: Settings) -> None:
    report = purge(settings)
    if report.purged:
        log.info(report.summary())


def install_retention_schedule(app: FastAPI, settings: Settings) -> None:
    """Start the periodic purge with the app (no-op when ``retention_interval_hours`` is 0)."""
    if settings.retention_interval_hours <= 0:
        return
    interval = settings.retention_interval_hours * 3600

    def first_delay() -> float:
        return FIRST_RUN_DELAY_SECONDS if FIRST_RUN_DELAY_SECONDS is not None else min(interval, 3600.0)

    periodic = Periodic(
        name="convenant-bewaartermijn",
        job=lambda: _purge(settings),
        interval=interval,
        first_delay=first_delay,
        log=log,
        failure="bewaartermijn: opschonen mislukt",
    )
    install_periodic(app, periodic)
