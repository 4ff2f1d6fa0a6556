"""The periodic purge inside the running service: a background task bound to the app's lifespan.

The first run comes one interval after start, at most an hour (not at once: a service restarted for a
quick test or demo does not purge in its first seconds), then every ``retention_interval_hours``.

With several worker processes each runs the task; the purge takes a database lock (PostgreSQL
advisory lock, SQLite's write lock), so two workers never purge at the same time and a second run
finds nothing left to do.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from datetime import datetime
from typing import Any

from fastapi import FastAPI

from service.clock import utcnow
from service.settings import Settings

log = logging.getLogger("convenant.retention")
FIRST_RUN_DELAY_SECONDS: float | None = None  # None: one interval after start, at most an hour


async def retention_loop(
    settings: Settings,
    *,
    clock: Callable[[], datetime] = utcnow,
    first_delay: float | None = None,
) -> None:
    from service.retention.service import purge

    interval = settings.retention_interval_hours * 3600
    if first_delay is None:
        first_delay = FIRST_RUN_DELAY_SECONDS
    if first_delay is None:
        first_delay = min(interval, 3600.0)
    await asyncio.sleep(first_delay)
    while True:
        try:
            report = await asyncio.to_thread(purge, settings, now=clock())
            if report.purged:
                log.info(report.summary())
        except Exception:  # keep the schedule alive; the failure is logged with its trace
            log.exception("bewaartermijn: opschonen mislukt; volgende poging over %.0f s", interval)
        await asyncio.sleep(interval)


def install_retention_schedule(app: FastAPI, settings: Settings) -> None:
    """Start the periodic purge with the app (no-op when ``retention_interval_hours`` is 0)."""
    if settings.retention_interval_hours <= 0:
        return
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(application: Any) -> AsyncIterator[Any]:
        task = asyncio.create_task(retention_loop(settings), name="convenant-bewaartermijn")
        try:
            async with inner(application) as state:
                yield state
        finally:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task

    app.router.lifespan_context = lifespan
