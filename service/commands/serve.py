"""``convenant serve``: run the HTTP service."""

from __future__ import annotations

import typer

from service.settings import get_settings


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        demo: bool = typer.Option(False, "--demo", help="Laad de voorbeelddossiers en demo-accounts."),
        host: str | None = typer.Option(None, help="Adres om op te luisteren."),
        port: int | None = typer.Option(None, help="Poort."),
        workers: int = typer.Option(1, help="Aantal werkprocessen."),
    ) -> None:
        """Start de dienst."""
        import uvicorn

        from service.bootstrap import prepare

        settings = get_settings()
        prepare(settings, demo=demo)
        h, p = host or settings.host, port or settings.port
        typer.echo(f"convenant draait op http://{h}:{p}/  (API-documentatie: http://{h}:{p}/docs)")
        uvicorn.run("service.asgi:app", host=h, port=p, workers=workers, log_level="info")
