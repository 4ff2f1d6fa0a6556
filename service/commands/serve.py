"""``convenant serve``: run the HTTP service."""

from __future__ import annotations

import os
from typing import Any

import typer
import uvicorn

from service.bootstrap import prepare
from service.settings import get_settings

# proxy_headers off: uvicorn would trust X-Forwarded-For from 127.0.0.1 by default. The app takes the
# client address from a proxy only when settings.trusted_proxies names it (service/proxy.py).
UVICORN_OPTIONS: dict[str, Any] = {
    "log_level": "info",
    "proxy_headers": False,
    "forwarded_allow_ips": "",
    "server_header": False,
}


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        demo: bool = typer.Option(False, "--demo", help="Laad de voorbeelddossiers en demo-accounts."),
        host: str | None = typer.Option(None, help="Adres om op te luisteren."),
        port: int | None = typer.Option(None, help="Poort."),
        workers: int = typer.Option(1, help="Aantal werkprocessen."),
    ) -> None:
        """Start de dienst."""
        # --host/--port reach the settings of every worker (links in e-mails use them when base_url is unset).
        if host:
            os.environ["CONVENANT_HOST"] = host
        if port:
            os.environ["CONVENANT_PORT"] = str(port)
        if demo:  # every worker knows: without SMTP the e-mails go to the console (demo only)
            os.environ["CONVENANT_DEMO"] = "true"
        get_settings.cache_clear()
        settings = get_settings()
        prepare(settings, demo=demo)
        h, p = settings.host, settings.port
        typer.echo(f"convenant draait op http://{h}:{p}/  (API-documentatie: http://{h}:{p}/docs)")
        # A worker that is slow to answer uvicorn's health check (5 s by default) is killed and restarted:
        # on a busy machine importing WeasyPrint and pyHanko alone can take that long, and the workers
        # then never come up (seen with --workers 3 under load).
        uvicorn.run(
            "service.asgi:app",
            host=h,
            port=p,
            workers=workers,
            timeout_worker_healthcheck=settings.worker_healthcheck_seconds,
            **UVICORN_OPTIONS,
        )
