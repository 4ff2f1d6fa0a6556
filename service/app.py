"""The FastAPI application factory: wires settings, middleware, the one error handler, the routes
(``service.routes``) and the periodic work."""

from __future__ import annotations

from fastapi import Depends, FastAPI

from service.accesslog import install as install_access_log_filter
from service.accounts.guard import guard as access_guard
from service.accounts.wiring import install as install_accounts
from service.archive import install_archive_schedule
from service.checkpoints import install_checkpoint_schedule
from service.deps import install as install_dependencies
from service.errors import install_error_handlers
from service.limits import BodyLimitMiddleware, Limits
from service.proxy import install as install_proxy
from service.retention import install_retention_schedule
from service.routes import install_routes
from service.settings import Settings, get_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        title="convenant",
        description="Convenanten voor gegevensdeling in de wijk: opstellen, ondertekenen en bijhouden.",
        version="0.1.0",
        dependencies=[Depends(access_guard)],  # deny by default: see service/accounts/permissions.py
    )
    install_dependencies(app, settings)  # settings, clock, engine, mail sender, store: service/deps.py
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
    install_accounts(app, settings)

    @app.get("/health", tags=["systeem"])
    def health() -> dict[str, str]:
        return {"status": "ok"}

    install_routes(app, settings)  # every router: the API, the signing links, the pages (service/routes.py)
    install_retention_schedule(app, settings)  # periodic purge (each agreement's retention period)
    install_archive_schedule(app, settings)  # archive timestamps renewed before their TSA certificate ends
    install_checkpoint_schedule(app, settings)  # the audit chain's head, signed once a day
    install_proxy(app, settings)  # client address from trusted proxies only (settings.trusted_proxies)
    install_access_log_filter()  # signing-link and receipt tokens never reach the access log
    return app
