"""Wiring the accounts package into the app: the server secret (and the TOTP key derived from it) and the
permission table check."""

from __future__ import annotations

from fastapi import FastAPI, Request

from registry.database import make_engine
from registry.session import unit_of_work
from service.accounts.permissions import check_tables
from service.accounts.secret import load_secret_key
from service.accounts.totp_secrets import SecretBox, seal_plain_secrets
from service.settings import Settings


def install(app: FastAPI, settings: Settings) -> None:
    check_tables()
    app.state.secret_key = load_secret_key(settings.secret_key, settings.data_dir)
    app.state.totp_box = SecretBox(app.state.secret_key)  # TOTP secrets are stored encrypted
    if getattr(app.state, "engine", None) is None:
        app.state.engine = make_engine(settings.effective_database_url)


def secret_key_of(request: Request) -> bytes:
    """The server secret: it signs session cookies, CSRF tokens and the step between password and code."""
    return request.app.state.secret_key  # type: ignore[no-any-return]


def totp_box_of(request: Request) -> SecretBox:
    """The key that opens the stored TOTP secrets."""
    return request.app.state.totp_box  # type: ignore[no-any-return]


def seal_plain_totp_secrets(settings: Settings) -> int:
    """At start-up (``service.bootstrap.prepare``, after the migration): encrypt TOTP secrets that an
    older version stored in plain text. Returns how many."""
    engine = make_engine(settings.effective_database_url)
    try:
        box = SecretBox(load_secret_key(settings.secret_key, settings.data_dir))
        with unit_of_work(engine, actor="systeem (versleuteling tweede factor)") as db:
            return seal_plain_secrets(db, box)
    finally:
        engine.dispose()
