"""Periodic work inside the running service: a background task bound to the app's lifespan.

The retention purge, the archive timestamp renewal and the daily audit checkpoint each describe their job
(``Periodic``) and install it with ``install_periodic``. The job runs in a worker thread; a failure is
logged with its trace and retried after the interval (a failed run must not stop the service or the
schedule); the task is cancelled when the app stops.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI


@dataclass(frozen=True)
class Periodic:
    """``job`` every ``interval`` seconds, the first time ``first_delay()`` seconds after start (read when
    the app starts)."""

    name: str  # the asyncio task's name
    job: Callable[[], None]
    interval: float
    first_delay: Callable[[], float]
    log: logging.Logger
    failure: str  # Dutch, logged when a run fails


async def run_periodically(periodic: Periodic) -> None:
    await asyncio.sleep(periodic.first_delay())
    while True:
        try:
            await asyncio.to_thread(periodic.job)
        except Exception:  # keep the schedule alive; the failure is logged with its trace
            periodic.log.exception("%s; volgende poging over %.0f s", periodic.failure, periodic.interval)
        await asyncio.sleep(periodic.interval)


def install_periodic(app: FastAPI, periodic: Periodic) -> None:
    """Run ``periodic`` while the app runs (started in its lifespan, cancelled when it stops)."""
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(application: Any) -> AsyncIterator[Any]:
        task = asyncio.create_task(run_periodically(periodic), name=periodic.name)
        try:
            async with inner(application) as state:
                yield state
        finally:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task

    app.router.lifespan_context = lifespan
