"""The periodic archive timestamp renewal inside the running service (a background task, as retention's).

First run one interval after start (at most an hour), then every ``archive_renewal_interval_hours``;
0 switches it off (then only ``convenant archief vernieuwen``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Any

from fastapi import FastAPI

from service.settings import Settings

log = logging.getLogger("convenant.archive")


async def archive_loop(settings: Settings) -> None:
    from service.archive.service import renew_stored_documents

    interval = settings.archive_renewal_interval_hours * 3600
    await asyncio.sleep(min(interval, 3600.0))
    while True:
        try:
            report = await asyncio.to_thread(renew_stored_documents, settings)
            if report.renewed or report.problems:
                log.info(report.summary())
        except Exception:  # keep the schedule alive; the failure is logged with its trace
            log.exception("archieftijdstempels vernieuwen mislukt; volgende poging over %.0f s", interval)
        await asyncio.sleep(interval)


def install_archive_schedule(app: FastAPI, settings: Settings) -> None:
    """Start the periodic renewal with the app (no-op when the interval is 0 or no TSA is configured)."""
    if settings.archive_renewal_interval_hours <= 0 or not settings.tsa_url:
        return
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(application: Any) -> AsyncIterator[Any]:
        task = asyncio.create_task(archive_loop(settings), name="convenant-archieftijdstempel")
        try:
            async with inner(application) as state:
                yield state
        finally:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task

    app.router.lifespan_context = lifespan
