"""``convenant generate``, ``convenant check`` and ``convenant schema``: the dossier on the command line."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import typer

from service.clock import today
from service.commands._dates import date_option
from service.commands._problems import say
from signing import FieldSpec, add_signature_fields
from templates import (
    DossierInvalid,
    Participant,
    check_dossier,
    dossier_json_schema,
    load_dossier,
    render_declaration,
)
from templates.documents import document_names
from templates.formatting import count_phrase
from templates.render import render_docx, render_pdf

DossierArg = Annotated[Path, typer.Argument(help="Het dossier (YAML of JSON).")]


def _load(path: Path):  # type: ignore[no-untyped-def]
    try:
        return load_dossier(path.read_bytes(), path.name)
    except DossierInvalid as exc:  # the message, then each problem with the path of its field
        say(exc.message)
        for p in exc.problems:
            typer.echo(f"  {p.severity}: {p.path}: {p.message}", err=True)
        raise typer.Exit(1) from None


def _signable_pdf(dossier, name: str) -> bytes:  # type: ignore[no-untyped-def]
    """The PDF with an empty signature field in every box the layout reserves (``convenant sign`` fills
    them), as the online signing round prepares it."""
    rendered = render_pdf(dossier, name, cache=None)
    if not rendered.signature_fields:
        return rendered.data
    fields = [FieldSpec(f.name, f.page_index, f.box) for f in rendered.signature_fields]
    return add_signature_fields(rendered.data, fields)


def register(app: typer.Typer) -> None:
    @app.command()
    def generate(
        dossier: DossierArg,
        out: Annotated[Path, typer.Option("--out", help="Map waarin de documenten komen.")],
    ) -> None:
        """Schrijf elk document van de set als DOCX en PDF."""
        d = _load(dossier)
        problems = check_dossier(d)
        errors = [p for p in problems if p.severity == "fout"]
        if errors:
            for p in errors:
                typer.echo(f"fout: {p.path}: {p.message}", err=True)
            typer.echo("Niets geschreven: los eerst de fouten op (convenant check).", err=True)
            raise typer.Exit(1)
        out.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        for name in document_names(d):
            for fmt in ("docx", "pdf"):
                data = render_docx(d, name, cache=None) if fmt == "docx" else _signable_pdf(d, name)
                target = out / f"{d.id}-{name}.{fmt}"
                tmp = target.with_suffix(target.suffix + ".tmp")
                tmp.write_bytes(data)
                tmp.replace(target)
                typer.echo(f"{target}  ({len(data):,} bytes)".replace(",", "."))
        typer.echo(
            f"{len(document_names(d)) * 2} bestanden geschreven in {time.perf_counter() - start:.1f} s."
        )

    @app.command()
    def check(dossier: DossierArg) -> None:
        """Controleer een dossier: fouten en waarschuwingen met het pad van het veld."""
        d = _load(dossier)
        problems = check_dossier(d)
        for p in problems:
            typer.echo(f"{p.severity}: {p.path}: {p.message}")
        errors = sum(1 for p in problems if p.severity == "fout")
        warnings = len(problems) - errors
        typer.echo(
            f"{dossier.name}: {count_phrase(errors, 'fout', 'fouten')}, "
            f"{count_phrase(warnings, 'waarschuwing', 'waarschuwingen')}."
        )
        if errors:
            raise typer.Exit(1)

    @app.command()
    def verklaring(
        dossier: DossierArg,
        naam: Annotated[str, typer.Option("--naam", help="Naam van de agendadeelnemer.")],
        instelling: Annotated[str, typer.Option("--instelling", help="Instelling van de agendadeelnemer.")],
        grondslag: Annotated[str, typer.Option("--grondslag", help="Sleutel van de gekozen grondslag.")],
        out: Annotated[Path, typer.Option("--out", help="Bestand om te schrijven (.pdf of .docx).")],
        datum: Annotated[
            str | None,
            typer.Option("--datum", help="Datum van ondertekening (JJJJ-MM-DD); standaard vandaag."),
        ] = None,
    ) -> None:
        """Schrijf de geheimhoudingsverklaring ingevuld voor één agendadeelnemer."""
        d = _load(dossier)
        on = date_option(datum, "--datum") or today()
        fmt = "docx" if out.suffix.lower() == ".docx" else "pdf"
        result = render_declaration(d, Participant(naam, instelling, grondslag, on), fmt=fmt, cache=None)
        data = result if isinstance(result, bytes) else result.data
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
        typer.echo(f"{out}  ({len(data):,} bytes)".replace(",", "."))

    @app.command()
    def schema() -> None:
        """Druk het JSON Schema van een dossier af."""
        typer.echo(json.dumps(dossier_json_schema(), ensure_ascii=False, indent=2))
