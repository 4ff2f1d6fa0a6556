"""The request dependencies, in one module: settings, the database session, the mail sender, the dossier
store and the clock.

Each is made once per app by ``install`` (called by ``service.app.create_app``) and kept in
``app.state``; a handler asks for one by its type below (``settings: AppSettings``, ``db: Tx``,
``mailer: Mailer``, ``store: Dossiers``, ``clock: AppClock``, ``today: Today``) instead of reading
``request.app.state`` itself. A test replaces one on ``app.state`` before the first request
(``app.state.clock = Clock.fixed(...)``, ``app.state.mail_sender = ...``).

The accounts package keeps its own two (the server secret and the TOTP key, ``service.accounts.wiring``);
``service.accounts.guard.DbSession`` and ``service.accounts.database.DbTx`` are other names of ``Tx``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, FastAPI, Request

from service.clock import SYSTEM_CLOCK, Clock, Today, clock_of
from service.db import Tx
from service.db import install as install_engine
from service.dossiers.storage import DossierStore, store_for
from service.mail.sender import MailSender
from service.mail.wiring import sender_from_settings
from service.settings import Settings

__all__ = [
    "AppClock",
    "AppSettings",
    "Dossiers",
    "Mailer",
    "Today",
    "Tx",
    "dossier_store_of",
    "install",
    "mail_sender_of",
    "settings_of",
]


def install(app: FastAPI, settings: Settings) -> None:
    """Make the app's dependencies (what a test set on ``app.state`` already is kept)."""
    app.state.settings = settings
    if getattr(app.state, "clock", None) is None:
        app.state.clock = SYSTEM_CLOCK  # what 'today' is (Europe/Amsterdam); a test sets a fixed one
    install_engine(app, settings)  # one engine; one transaction per request (``Tx``)
    if getattr(app.state, "mail_sender", None) is None:
        app.state.mail_sender = sender_from_settings(settings)
    app.state.dossier_store = store_for(settings)


def settings_of(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def mail_sender_of(request: Request) -> MailSender:
    return request.app.state.mail_sender  # type: ignore[no-any-return]


def dossier_store_of(request: Request) -> DossierStore:
    return request.app.state.dossier_store  # type: ignore[no-any-return]


AppSettings = Annotated[Settings, Depends(settings_of)]
Mailer = Annotated[MailSender, Depends(mail_sender_of)]
Dossiers = Annotated[DossierStore, Depends(dossier_store_of)]
AppClock = Annotated[Clock, Depends(clock_of)]
