"""The periodic archive timestamp renewal inside the running service (``service.schedule``).

First run one interval after start (at most an hour), then every ``archive_renewal_interval_hours``;
0 switches it off (then only ``convenant archief vernieuwen``).
"""

from __future__ import annotations

import logging

from fastapi import FastAPI

from service.archive.service import renew_stored_documents
from service.schedule import Periodic, install_periodic
from service.settings import Settings

log = logging.getLogger("convenant.archive")


def _renew(settings: Settings) -> None:
    report = renew_stored_documents(settings)
    if report.renewed or report.problems:
        log.info(report.summary())


def install_archive_schedule(app: FastAPI, settings: Settings) -> None:
    """Start the periodic renewal with the app (no-op when the interval is 0 or no TSA is configured)."""
    if settings.archive_renewal_interval_hours <= 0 or not settings.tsa_url:
        return
    interval = settings.archive_renewal_interval_hours * 3600
    periodic = Periodic(
        name="convenant-archieftijdstempel",
        job=lambda: _renew(settings),
        interval=interval,
        first_delay=lambda: min(interval, 3600.0),
        log=log,
        failure="archieftijdstempels vernieuwen mislukt",
    )
    install_periodic(app, periodic)
