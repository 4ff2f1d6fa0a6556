"""``convenant retention run`` and ``convenant retention inzage``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from service.commands._dates import date_option, moment_option
from service.commands._problems import fail
from service.retention import SubjectNotFound, inzage, purge
from service.settings import get_settings


def register(app: typer.Typer) -> None:
    group = typer.Typer(
        help="Bewaartermijnen en inzageverzoeken (per overeenkomst, volgens het rechtsmodel).",
        no_args_is_help=True,
    )
    app.add_typer(group, name="retention")

    @group.command("run")
    def run(
        on: Annotated[
            str | None, typer.Option("--op", help="Peildatum JJJJ-MM-DD (standaard: vandaag).")
        ] = None,
        dry_run: Annotated[bool, typer.Option("--proef", help="Toon wat zou worden verwijderd.")] = False,
    ) -> None:
        """Verwijder persoonsgegevens waarvan de bewaartermijn is verstreken."""
        now = moment_option(on, "--op")
        report = purge(get_settings(), now=now, dry_run=dry_run)
        for item in report.purged:
            typer.echo(f"- {item.entity} {item.entity_id}: {item.reason}")
        typer.echo(report.summary())

    @group.command("inzage")
    def inzage_command(
        subject: Annotated[
            str, typer.Argument(help="Sleutel, e-mailadres of volledige naam van de betrokkene.")
        ],
        out: Annotated[Path, typer.Option("--out", help="Map voor inzage.json, inzage.csv, inzage.pdf.")],
        received: Annotated[
            str | None,
            typer.Option("--ontvangen", help="Datum van het verzoek JJJJ-MM-DD (standaard vandaag)."),
        ] = None,
    ) -> None:
        """Stel het inzagebestand samen van alles wat over een betrokkene is vastgelegd."""
        received_on = date_option(received, "--ontvangen")
        try:
            export, written = inzage(get_settings(), subject, out_dir=out, received_on=received_on)
        except SubjectNotFound as exc:
            raise fail(exc.message) from exc
        for path in written:
            typer.echo(f"geschreven: {path}")
        typer.echo(
            f"Beantwoord het verzoek uiterlijk op {export.answer_before.isoformat()} ({export.article})."
        )
