"""``convenant user …``: create staff accounts (the first beheerder), list them, issue API tokens."""

from __future__ import annotations

import sys

import typer
from sqlmodel import Session

from registry.database import make_engine
from service.accounts import service as accounts
from service.accounts import tenancy
from service.accounts.errors import AccountNotFound
from service.accounts.models import StaffUser
from service.bootstrap import prepare
from service.settings import Settings, get_settings


def _session(settings: Settings) -> Session:
    """A session on a migrated database: the account commands set up a new data folder (``prepare``:
    folders, schema, development key), since the first beheerder is created before the service ever ran."""
    prepare(settings)
    return Session(make_engine(settings.effective_database_url))


def _account(db: Session, email: str) -> tuple[StaffUser, int]:
    """The account with this e-mail address and its id; an unknown address is a domain error (the CLI
    prints it as one Dutch line)."""
    user = accounts.user_by_email(db, email)
    if user is None or user.id is None:
        raise AccountNotFound(f"e-mailadres: geen account voor {email}", field="email")
    return user, user.id


def _read_password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(typer.prompt("Wachtwoord", hide_input=True, confirmation_prompt="Herhaal het wachtwoord"))


def register(app: typer.Typer) -> None:
    user = typer.Typer(help="Accounts van medewerkers beheren.", no_args_is_help=True)
    app.add_typer(user, name="user")

    @user.command("add")
    def add(
        role: str = typer.Option(
            ..., "--role", help="privacyfunctionaris, coördinator, wijkagent of beheerder"
        ),
        email: str = typer.Option(..., "--email", help="E-mailadres (gebruikersnaam)."),
        name: str = typer.Option(..., "--name", help="Volledige naam."),
        password_stdin: bool = typer.Option(False, "--password-stdin", help="Lees het wachtwoord van stdin."),
        organisation: str = typer.Option(
            "eigen-organisatie",
            "--organisatie",
            help="Sleutel van de organisatie van het account (wordt aangemaakt als die nog niet bestaat).",
        ),
    ) -> None:
        """Maak een account aan (bijvoorbeeld de eerste beheerder)."""
        password = _read_password(password_stdin)
        with _session(get_settings()) as db:
            created = accounts.create_user(db, email=email, name=name, role=role, password=password)
            tenancy.set_organisation(db, created.id or 0, tenancy.organisation(db, organisation))
            db.commit()
            typer.echo(f"Account aangemaakt: {created.email} ({created.role}).")

    @user.command("grant")
    def grant(
        email: str = typer.Option(..., "--email", help="Account dat toegang krijgt."),
        agreement: list[str] = typer.Option(..., "--overeenkomst", help="Sleutel (dossier-id); herhaalbaar."),
        revoke: bool = typer.Option(
            False, "--intrekken", help="Trek de toegang in in plaats van die te geven."
        ),
    ) -> None:
        """Geef een account toegang tot overeenkomsten (of trek die in): zonder toegang ziet het niets."""
        with _session(get_settings()) as db:
            u, uid = _account(db, email)
            for key in agreement:
                if revoke:
                    tenancy.revoke_grant(db, uid, key)
                else:
                    tenancy.grant(db, uid, key, by="beheer (opdrachtregel)")
            db.commit()
            keys = ", ".join(sorted(tenancy.granted_keys(db, uid))) or "geen"
            typer.echo(f"{u.email} heeft toegang tot: {keys}.")

    @user.command("role")
    def role(
        email: str = typer.Option(..., "--email", help="Account waarvan de rol verandert."),
        new_role: str = typer.Option(
            ..., "--rol", help="privacyfunctionaris, coördinator, wijkagent of beheerder"
        ),
    ) -> None:
        """Geef een account een andere rol (staat als eigen gebeurtenis in het auditlog)."""
        with _session(get_settings()) as db:
            u, uid = _account(db, email)
            accounts.change_role(db, uid, new_role, by="beheer (opdrachtregel)")
            db.commit()
            typer.echo(f"{u.email} heeft nu de rol {u.role}; de sessies van het account zijn beëindigd.")

    @user.command("reset-totp")
    def reset_totp(
        email: str = typer.Option(..., "--email", help="Account met een verloren telefoon."),
    ) -> None:
        """Wis de tweede factor van een account: die wordt bij de volgende aanmelding opnieuw ingesteld."""
        with _session(get_settings()) as db:
            u, uid = _account(db, email)
            accounts.reset_totp(db, uid, by="beheer (opdrachtregel)")
            db.commit()
            typer.echo(
                f"De tweede factor van {u.email} is gewist; stel die bij de volgende aanmelding opnieuw in."
            )

    @user.command("list")
    def list_users() -> None:
        """Toon alle accounts (met de overeenkomsten waartoe elk toegang heeft)."""
        with _session(get_settings()) as db:
            for u in accounts.list_users(db):
                state = "actief" if u.active else "geblokkeerd"
                keys = ",".join(sorted(tenancy.granted_keys(db, u.id or 0))) or "-"
                typer.echo(f"{u.email}\t{u.role}\t{u.name}\t{state}\t{keys}")

    @user.command("token")
    def token(
        email: str = typer.Option(..., "--email", help="Account waarvoor de API-sleutel is."),
        name: str = typer.Option(
            ..., "--name", help="Naam van de sleutel, bv. het systeem dat hem gebruikt."
        ),
        days: int = typer.Option(365, "--days", help="Geldigheid in dagen."),
    ) -> None:
        """Maak een API-sleutel aan; de sleutel wordt één keer getoond (alleen een hash wordt bewaard)."""
        with _session(get_settings()) as db:
            u, uid = _account(db, email)
            _, value = accounts.create_api_token(db, uid, name, valid_days=days)
            db.commit()
            typer.echo(value)
