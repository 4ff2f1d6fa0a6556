"""The FastAPI application factory: wires settings, error handlers and the domain routers."""

from __future__ import annotations

from fastapi import FastAPI

from service.errors import install_error_handlers
from service.settings import Settings, get_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        title="convenant",
        description="Convenanten voor gegevensdeling in de wijk: opstellen, ondertekenen en bijhouden.",
        version="0.1.0",
    )
    app.state.settings = settings
    install_error_handlers(app)

    @app.get("/health", tags=["systeem"])
    def health() -> dict[str, str]:
        return {"status": "ok"}

    # Domain routers (each package's endpoints module exposes `router`).
    from service.dossiers.endpoints import router as dossiers_router

    app.include_router(dossiers_router)
    return app
