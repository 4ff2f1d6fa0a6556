"""The daily checkpoint in the service (``audit_checkpoint_interval_hours``; 0: only by command).

Runs at start and then every ``interval / 24`` (at least a minute); writes a checkpoint only when today
(in Amsterdam) has none yet.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI

from service.checkpoints.service import has_checkpoint, write_checkpoint
from service.clock import SYSTEM_CLOCK
from service.schedule import Periodic, install_periodic
from service.settings import Settings

log = logging.getLogger("convenant.audit")


def _once(app: FastAPI, settings: Settings) -> None:
    if has_checkpoint(settings, SYSTEM_CLOCK.today()):
        return
    cp = write_checkpoint(settings, app.state.engine)
    log.info("controlepunt auditlog: regel %s, hash %s (%s)", cp.seq, cp.hash, cp.path.name)


def install_checkpoint_schedule(app: FastAPI, settings: Settings) -> None:
    if settings.audit_checkpoint_interval_hours <= 0:
        return
    periodic = Periodic(
        name="convenant-controlepunt",
        job=lambda: _once(app, settings),
        interval=max(60.0, settings.audit_checkpoint_interval_hours * 3600 / 24),
        first_delay=lambda: 0.0,
        log=log,
        failure="controlepunt auditlog niet geschreven",
    )
    install_periodic(app, periodic)
