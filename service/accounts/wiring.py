"""Wiring the accounts package into the app: the server secret and the permission table check."""

from __future__ import annotations

from fastapi import FastAPI

from service.accounts.permissions import check_tables
from service.accounts.secret import load_secret_key
from service.settings import Settings


def install(app: FastAPI, settings: Settings) -> None:
    check_tables()
    app.state.secret_key = load_secret_key(settings.secret_key, settings.data_dir)
    if getattr(app.state, "engine", None) is None:
        from registry.database import make_engine

        app.state.engine = make_engine(settings.effective_database_url)
