"""The FastAPI application factory: wires settings, error handlers and the domain routers."""

from __future__ import annotations

from fastapi import Depends, FastAPI

from service.accounts.guard import guard as access_guard
from service.accounts.wiring import install as install_accounts
from service.clock import SYSTEM_CLOCK
from service.errors import install_error_handlers
from service.settings import Settings, get_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        title="convenant",
        description="Convenanten voor gegevensdeling in de wijk: opstellen, ondertekenen en bijhouden.",
        version="0.1.0",
        dependencies=[Depends(access_guard)],  # deny by default: see service/accounts/permissions.py
    )
    app.state.settings = settings
    app.state.clock = SYSTEM_CLOCK  # what 'today' is (service.clock.Today); a test sets a fixed one
    from service.limits import BodyLimitMiddleware, Limits

    # Bounded bodies before authentication, CSRF or routing (issue 10, item 2).
    app.add_middleware(
        BodyLimitMiddleware,
        limits=Limits(
            request_bytes=settings.max_request_bytes,
            upload_bytes=settings.max_upload_bytes,
            form_fields=settings.max_form_fields,
            form_part_bytes=settings.max_form_part_bytes,
            form_files=settings.max_form_files,
        ),
    )
    install_error_handlers(app)
    from service.db import install as install_db

    install_db(app, settings)  # the engine; one transaction per request (service.db.get_session)
    install_accounts(app, settings)

    @app.get("/health", tags=["systeem"])
    def health() -> dict[str, str]:
        return {"status": "ok"}

    # Domain routers (each package's endpoints module exposes `router`).
    from service.dossiers.endpoints import router as dossiers_router

    app.include_router(dossiers_router)

    from service.signatures.endpoints import router as signatures_router

    app.include_router(signatures_router)  # POST /validate

    from service.meetings.endpoints import router as meetings_router
    from service.provisions.endpoints import router as provisions_router
    from service.register.endpoints import router as register_router

    app.include_router(meetings_router)
    app.include_router(provisions_router)
    app.include_router(register_router)

    from service.accounts.endpoints import router as accounts_router
    from service.invitations import install as install_invitations
    from service.pages import install as install_pages

    app.include_router(accounts_router)
    install_invitations(app, settings)  # signing links (public, token-bound) and the mail sender

    install_pages(app)

    from service.retention import install_retention_schedule

    install_retention_schedule(app, settings)  # periodic purge (each agreement's retention period)
    from service.archive import install_archive_schedule

    install_archive_schedule(app, settings)  # archive timestamps renewed before their TSA certificate ends

    from service.checkpoints import install_checkpoint_schedule

    install_checkpoint_schedule(app, settings)  # the audit chain's head, signed once a day

    from service.proxy import install as install_proxy

    install_proxy(app, settings)  # client address from trusted proxies only (settings.trusted_proxies)

    from service.accesslog import install as install_access_log_filter

    install_access_log_filter()  # signing-link and receipt tokens never reach the access log
    return app
