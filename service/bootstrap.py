"""Preparing a data folder before the service starts: folders, database schema, demo content."""

from __future__ import annotations

import logging

from service.settings import Settings

log = logging.getLogger("convenant")


def prepare(settings: Settings, *, demo: bool = False) -> None:
    """Create the data folder (and, with ``demo``, load the example dossiers). Idempotent."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    settings.documents_dir.mkdir(parents=True, exist_ok=True)
