"""``convenant backup`` and ``convenant restore``: the database and every stored file, in one archive."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from service.backup import create_backup, restore_backup
from service.settings import get_settings


def register(app: typer.Typer) -> None:
    @app.command()
    def backup(
        out: Annotated[
            Path, typer.Option("--out", help="Het back-upbestand dat wordt geschreven (.tar.gz).")
        ],
        with_keys: Annotated[
            bool,
            typer.Option(
                "--met-sleutels/--zonder-sleutels",
                help="Neem ook de geheimen uit de datamap op: de ondertekensleutel, het wachtwoord daarvan "
                "en secret.key. Standaard: zonder (certificaten gaan wel mee).",
            ),
        ] = False,
    ) -> None:
        """Maak een back-up van de database en alle opgeslagen documenten (met SHA-256-manifest).

        Standaard zonder geheimen (ondertekensleutel, wachtwoord, secret.key): bewaar die apart, of kies
        --met-sleutels. Het archief is alleen voor de eigenaar leesbaar (0600)."""
        settings = get_settings()
        report = create_backup(
            data_dir=settings.data_dir,
            database_url=settings.effective_database_url,
            out=out,
            include_keys=with_keys,
            keys_dir=settings.keys_dir,
        )
        typer.echo(
            f"Back-up geschreven: {report.archive} ({report.database_kind}-database, "
            f"{report.files} bestanden, {report.bytes} bytes; SHA-256 van het archief {report.sha256})"
        )
        if with_keys:
            typer.echo(
                "Let op: de back-up bevat de ondertekensleutel, het wachtwoord daarvan en secret.key uit de "
                "datamap. Bewaar hem even zorgvuldig als die sleutels.",
                err=True,
            )
        else:
            typer.echo(
                "De back-up bevat geen geheimen (ondertekensleutel, wachtwoord, secret.key); bewaar die "
                "apart, of maak de back-up met --met-sleutels.",
                err=True,
            )

    @app.command()
    def restore(
        archive: Annotated[Path, typer.Argument(help="Het back-upbestand.")],
        data_dir: Annotated[
            Path, typer.Option("--data-dir", help="Een nieuwe, lege map om in te herstellen.")
        ],
        database_url: Annotated[
            str | None,
            typer.Option(
                "--database-url", help="Lege doeldatabase (PostgreSQL); standaard SQLite in de datamap."
            ),
        ] = None,
    ) -> None:
        """Herstel een back-up in een nieuwe datamap, na controle van elk bestand tegen het manifest."""
        report = restore_backup(archive, data_dir=data_dir, database_url=database_url)
        typer.echo(
            f"Hersteld in {report.data_dir}: {report.files} bestanden, {report.database_kind}-database "
            f"(back-up van {report.created_at}, schemaversie {report.alembic_revision or 'onbekend'})."
        )
        typer.echo(
            f"Start de dienst met CONVENANT_DATA_DIR={report.data_dir}"
            + (f" CONVENANT_DATABASE_URL={database_url}" if database_url else "")
        )
