"""Server-rendered staff pages and the signing pages (Dutch, no JavaScript needed, WCAG 2.1 AA).

``install(app)`` adds the page routers and the static stylesheet; ``render`` and ``page_error`` are used
by other packages' page handlers (e.g. the signing link pages in ``service.invitations``).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from service.pages.errors import page_error, wants_page
from service.pages.rendering import render

STATIC_DIR = Path(__file__).resolve().parent / "static"

__all__ = ["install", "page_error", "render", "wants_page"]


def install(app: FastAPI) -> None:
    from service.pages import (
        account_pages,
        auth_pages,
        confirmation_pages,
        dossier_pages,
        meeting_pages,
        registry_pages,
        second_factor_pages,
    )

    app.include_router(auth_pages.router)
    app.include_router(account_pages.router)
    app.include_router(second_factor_pages.router)
    app.include_router(dossier_pages.router)
    app.include_router(confirmation_pages.router)
    app.include_router(meeting_pages.router)
    app.include_router(registry_pages.router)
    from service.editor import pages as editor_pages
    from service.editor import redline_pages

    app.include_router(editor_pages.router)
    app.include_router(redline_pages.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
