"""``convenant archief vernieuwen``: renew the archive timestamp of stored signed documents that need it."""

from __future__ import annotations

from typing import Annotated

import typer

from service.archive import renew_stored_documents
from service.commands._dates import moment_option
from service.settings import get_settings


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="Het archief van ondertekende documenten.", no_args_is_help=True)
    app.add_typer(group, name="archief")

    @group.command("vernieuwen")
    def renew(
        margin_days: Annotated[
            int | None,
            typer.Option(
                "--marge-dagen",
                help="Vernieuw als het certificaat van het nieuwste tijdstempel binnen zoveel dagen verloopt "
                "(standaard: instelling archive_renewal_margin_days).",
            ),
        ] = None,
        on: Annotated[
            str | None, typer.Option("--op", help="Peildatum JJJJ-MM-DD (standaard: vandaag).")
        ] = None,
    ) -> None:
        """Voorzie ondertekende documenten van nieuwe validatiegegevens en een nieuw archieftijdstempel."""
        now = moment_option(on, "--op")
        report = renew_stored_documents(get_settings(), now=now, margin_days=margin_days)
        for line in report.renewed:
            typer.echo(f"- {line}")
        for line in report.problems:
            typer.echo(f"Probleem: {line}", err=True)
        typer.echo(report.summary())
        raise typer.Exit(1 if report.problems else 0)
