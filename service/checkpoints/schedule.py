"""The daily checkpoint in the service (``audit_checkpoint_interval_hours``; 0: only by command)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Any

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from service.checkpoints.service import has_checkpoint, write_checkpoint
from service.clock import SYSTEM_CLOCK
from service.settings import Settings

log = logging.getLogger("convenant.audit")


def _once(app: FastAPI, settings: Settings) -> None:
    if has_checkpoint(settings, SYSTEM_CLOCK.today()):
        return
    cp = write_checkpoint(settings, app.state.engine)
    log.info("controlepunt auditlog: regel %s, hash %s (%s)", cp.seq, cp.hash, cp.path.name)


async def checkpoint_loop(app: FastAPI, settings: Settings) -> None:
    while True:
        try:
            await run_in_threadpool(_once, app, settings)
        except Exception:  # a failed checkpoint must not stop the service; it is logged and retried
            log.exception("controlepunt auditlog niet geschreven")
        await asyncio.sleep(max(60.0, settings.audit_checkpoint_interval_hours * 3600 / 24))


def install_checkpoint_schedule(app: FastAPI, settings: Settings) -> None:
    if settings.audit_checkpoint_interval_hours <= 0:
        return
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(application: Any) -> AsyncIterator[Any]:
        task = asyncio.create_task(checkpoint_loop(app, settings), name="convenant-controlepunt")
        try:
            async with inner(application) as state:
                yield state
        finally:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task

    app.router.lifespan_context = lifespan
