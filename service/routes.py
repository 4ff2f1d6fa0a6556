"""Every route of the service, assembled in one place: the API of each domain, the signing links, the
staff pages (the editor's among them) and the stylesheet. ``create_app`` calls ``install_routes``.

Page modules and endpoints import the domain services; nothing imports this module but the app factory,
so assembling the routers here closes no import cycle (``python -m scripts.architecture --strict``).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from service.accounts.endpoints import router as accounts_router
from service.dossiers.endpoints import router as dossiers_router
from service.editor import pages as editor_pages
from service.editor import redline_pages
from service.invitations.endpoints import install as install_invitations
from service.meetings.endpoints import router as meetings_router
from service.pages import (
    account_pages,
    auth_pages,
    confirmation_pages,
    dossier_pages,
    meeting_pages,
    registry_pages,
    second_factor_pages,
)
from service.provisions.endpoints import router as provisions_router
from service.register.endpoints import router as register_router
from service.settings import Settings
from service.signatures.endpoints import router as signatures_router

STATIC_DIR = Path(__file__).resolve().parent / "pages" / "static"


def install_routes(app: FastAPI, settings: Settings) -> None:
    # the API, one router per domain
    app.include_router(dossiers_router)
    app.include_router(signatures_router)  # POST /validate
    app.include_router(meetings_router)
    app.include_router(provisions_router)
    app.include_router(register_router)
    app.include_router(accounts_router)
    install_invitations(app, settings)  # signing links (public, token-bound) and the mail sender
    # the staff pages (service/pages, the editor's in service/editor) and their stylesheet
    app.include_router(auth_pages.router)
    app.include_router(account_pages.router)
    app.include_router(second_factor_pages.router)
    app.include_router(dossier_pages.router)
    app.include_router(confirmation_pages.router)
    app.include_router(meeting_pages.router)
    app.include_router(registry_pages.router)
    app.include_router(editor_pages.router)
    app.include_router(redline_pages.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
