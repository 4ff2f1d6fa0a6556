"""Registry commands: ``check-meeting``, ``audit verify``, ``db upgrade``, ``load-people``."""

from __future__ import annotations

import json
from pathlib import Path

import typer
import yaml
from sqlalchemy import Engine

from registry.audit import verify_chain
from registry.database import current_revision, make_engine, migrate, new_revision
from registry.errors import RegistryError
from registry.meetings import check_meeting as run_check
from registry.session import unit_of_work
from registry.sync import load_people
from service.bootstrap import make_data_dir
from service.checkpoints import verify_checkpoints, write_checkpoint
from service.commands._dates import date_option
from service.meetings.check_view import check_view
from service.register.pdf import meeting_check_pdf
from service.schema import import_all_models
from service.settings import get_settings


def _engine() -> Engine:
    return make_engine(get_settings().effective_database_url)


def _yes(answer: dict[str, object]) -> str:
    if answer["toegestaan"]:
        return f"ja{' t/m ' + str(answer['tot_en_met']) if answer['tot_en_met'] else ''}"
    return "nee"


def register(app: typer.Typer) -> None:
    db = typer.Typer(help="De database.", no_args_is_help=True)
    audit = typer.Typer(help="Het auditlog.", no_args_is_help=True)
    app.add_typer(db, name="db")
    app.add_typer(audit, name="audit")

    @db.command("upgrade")
    def upgrade() -> None:
        """Breng het databaseschema naar de nieuwste versie (Alembic)."""
        make_data_dir(get_settings())  # a new data folder: the SQLite file is made in it
        engine = _engine()
        migrate(engine)
        typer.echo(f"Database bijgewerkt tot versie {current_revision(engine)}.")

    @db.command("revision")
    def revision(
        message: str = typer.Option(..., "-m", "--message", help="Korte omschrijving van de wijziging."),
    ) -> None:
        """Schrijf een migratie voor het verschil tussen de database en alle tabellen (autogenerate)."""
        engine = _engine()
        migrate(engine)
        typer.echo(f"Nieuwe migratie: {new_revision(engine, message, import_all_models)}")

    @app.command("check-meeting")
    def check_meeting(
        meeting: str = typer.Argument(..., help="Sleutel (of nummer) van het wijkoverleg."),
        extra: list[str] = typer.Option([], "--deelnemer", help="Extra deelnemer (sleutel, e-mail of naam)."),
        on: str | None = typer.Option(None, "--datum", help="Toets op een andere datum (JJJJ-MM-DD)."),
        as_json: bool = typer.Option(False, "--json", help="Uitvoer als JSON."),
        pdf: Path | None = typer.Option(None, "--pdf", help="Schrijf ook een PDF naar dit bestand."),
    ) -> None:
        """Toets per deelnemer wat die mag ontvangen (politie- en persoonsgegevens), tot wanneer en waarom."""
        day = date_option(on, "--datum")
        with unit_of_work(_engine(), write=False) as session:
            result = run_check(session, meeting, extra_attendees=extra, on=day).as_dict()
            view = check_view(session, get_settings(), meeting, extra=extra, on=day)
        if pdf is not None:
            pdf.write_bytes(meeting_check_pdf(view))
        if as_json:
            typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
            return
        typer.echo(f"{result['titel']} — overleg {result['overleg']} op {result['datum']}")
        typer.echo(f"Looptijd: {result['looptijd']['reden']} [{result['looptijd']['artikel']}]")
        typer.echo(f"Besluit: {result['besluit']['reden']} [{result['besluit']['artikel']}]")
        for d in result["deelnemers"]:
            typer.echo("")
            typer.echo(
                f"- {d['naam']} ({d['rol_omschrijving']})"
                + ("" if d["bekend"] else "  ONBEKEND IN HET REGISTER")
            )
            for label, key in (
                ("politiegegevens", "politiegegevens"),
                ("persoonsgegevens", "persoonsgegevens"),
            ):
                a = d[key]
                typer.echo(f"    {label}: {_yes(a)} — {a['reden']} [{a['artikel']}]")
            for m in d["ontbreekt"]:
                typer.echo(f"    ontbreekt: {m}")
            for act in d["acties"]:
                typer.echo(f"    actie: {act}")
            for w in d["waarschuwingen"]:
                typer.echo(f"    let op: {w}")
        if result["waarschuwingen"]:
            typer.echo("")
            for w in result["waarschuwingen"]:
                typer.echo(f"LET OP: {w}")

    @audit.command("verify")
    def verify(
        head: str | None = typer.Option(
            None, "--laatste-hash", help="Verwachte laatste hash (elders bewaard)."
        ),
    ) -> None:
        """Controleer de hashketen van het auditlog (gewijzigde, verwijderde of ingevoegde regels) en de
        ondertekende controlepunten in de datamap (een herschreven keten met herberekende hashes)."""
        engine = _engine()
        with engine.connect() as conn:
            report = verify_chain(conn, expected_head=head)
            anchors = verify_checkpoints(get_settings(), conn)
        if report.ok and anchors.ok:
            typer.echo(
                f"Auditlog in orde: {report.entries} regels, laatste hash {report.head}; "
                f"{_anchors_phrase(anchors.checked)}."
            )
            return
        typer.echo(f"Auditlog NIET in orde ({report.entries} regels):", err=True)
        for p in [*report.problems, *anchors.problems]:
            typer.echo(f"  - {p}", err=True)
        raise typer.Exit(1)

    @audit.command("controlepunt")
    def checkpoint() -> None:
        """Onderteken nu de laatste hash van het auditlog (controlepunt van vandaag in <datamap>/audit)."""
        cp = write_checkpoint(get_settings(), _engine())
        typer.echo(f"Controlepunt geschreven: {cp.path} (regel {cp.seq}, hash {cp.hash}).")

    @app.command("load-people")
    def load_people_cmd(
        agreement: str = typer.Argument(..., help="Sleutel (id) van de overeenkomst."),
        path: Path = typer.Argument(
            ..., exists=True, dir_okay=False, help="YAML-bestand met people/declarations/meetings."
        ),
        actor: str = typer.Option("cli", "--door", help="Wie dit vastlegt (voor het auditlog)."),
    ) -> None:
        """Laad personen, aanwijzingen, verklaringen en overleggen in het register (idempotent)."""

        try:
            data = yaml.safe_load(path.read_text("utf-8")) or {}
            with unit_of_work(_engine(), actor=actor) as session:
                counts = load_people(session, data, agreement)
        except yaml.YAMLError as exc:
            typer.echo(f"{path.name}: ongeldige YAML: {exc}", err=True)
            raise typer.Exit(2) from None
        except RegistryError as exc:
            typer.echo(f"Niets geladen: {exc.message}", err=True)
            raise typer.Exit(1) from None
        typer.echo(", ".join(f"{v} {k}" for k, v in counts.items()) + " geladen.")


def _anchors_phrase(n: int) -> str:
    """ "1 ondertekend controlepunt klopt", "3 ondertekende controlepunten kloppen"."""
    if n == 1:
        return "1 ondertekend controlepunt klopt"
    return f"{n} ondertekende controlepunten kloppen"
