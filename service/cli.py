"""The ``convenant`` command. Each module in ``service.commands`` adds its commands via ``register(app)``.

A problem is answered in ONE place, the root group's ``invoke`` (``_Commands``), for every command: one
Dutch line on stderr (``fout: …``) and a non-zero exit, never a stack trace (``cli_message``):

- one of our domain errors (``service.failures.is_domain_error``): its Dutch message;
- a database that was never migrated: the command to run (``convenant db upgrade``); a database that
  cannot be opened, is busy or cannot be reached, or a database URL that is no URL: which, and what to check;
- settings that do not validate (``CONVENANT_*``, the settings file): the variable and the reason;
- a file that cannot be read or written: the file and the reason;
- anything else is a bug: one line naming the file the full trace was written to
  (``convenant --debug …`` shows the trace instead).

Exit codes: 1 for a problem, 2 for settings that do not validate (like a wrong option).
"""

from __future__ import annotations

import errno
import importlib
import os
import pkgutil
import tempfile
import traceback
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typer
from alembic.util.exc import CommandError as AlembicError
from pydantic import ValidationError
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError, ProgrammingError
from typer.core import TyperGroup
from typer.exceptions import TyperException

import service.commands
from service.commands._problems import say
from service.errors import dutch_validation_message
from service.failures import is_domain_error
from service.settings import Settings, get_settings

_DEBUG = "convenant.debug"
SETTINGS_EXIT = 2


class _Commands(TyperGroup):
    """The root group: every command runs inside its ``invoke``, so one ``except`` answers them all."""

    def invoke(self, ctx: Any) -> Any:  # Any: Typer's (vendored click) Context is not public
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, TyperException):
            raise  # Typer's own ways out: a chosen exit code, Ctrl-C, a usage error (bad option value)
        except Exception as exc:
            if ctx.meta.get(_DEBUG):
                raise
            say(cli_message(exc) or _unexpected(exc))
            code = SETTINGS_EXIT if _is_settings_error(exc) else 1
            raise typer.Exit(code) from None


app = typer.Typer(
    name="convenant",
    cls=_Commands,
    help="Convenanten voor gegevensdeling in de wijk: opstellen, ondertekenen en bijhouden.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,  # --debug: the plain trace, to copy into a report
)


@app.callback()
def _root(
    ctx: typer.Context,
    debug: bool = typer.Option(
        False, "--debug", help="Toon bij een onverwachte fout de volledige foutmelding (traceback)."
    ),
) -> None:
    """Convenanten voor gegevensdeling in de wijk."""
    ctx.meta[_DEBUG] = debug


for _info in sorted(pkgutil.iter_modules(service.commands.__path__), key=lambda i: i.name):
    if _info.name.startswith("_"):  # shared by the command modules (e.g. _dates), adds no commands
        continue
    _module = importlib.import_module(f"service.commands.{_info.name}")
    _module.register(app)


_MISSING_TABLE = ("no such table", "does not exist", "UndefinedTable")
_OS_REASONS = {
    errno.ENOENT: "bestaat niet",
    errno.EACCES: "geen toegang (rechten)",
    errno.EPERM: "geen toegang (rechten)",
    errno.EISDIR: "is een map, geen bestand",
    errno.ENOTDIR: "een deel van het pad is geen map",
    errno.EEXIST: "bestaat al",
    errno.ENOSPC: "de schijf is vol",
    errno.EROFS: "staat op een alleen-lezen schijf",
}


def cli_message(exc: BaseException) -> str | None:
    """The one Dutch line a user gets for ``exc``, or None when it is not a known problem (a bug)."""
    if is_domain_error(exc):
        return str(getattr(exc, "message", exc))
    if _is_settings_error(exc):
        assert isinstance(exc, ValidationError)
        return _settings_message(exc)
    if isinstance(exc, (OperationalError, ProgrammingError)):
        return _database_message(exc)
    if isinstance(exc, ArgumentError):  # includes NoSuchModuleError (an unknown database kind)
        return f"CONVENANT_DATABASE_URL is geen bruikbare database-URL ({_first_line(exc)})."
    if isinstance(exc, DBAPIError):
        return f"de database weigert de opdracht ({_first_line(exc)})."
    if isinstance(exc, AlembicError):
        return (
            f"het databaseschema past niet bij deze versie van convenant ({_first_line(exc)}); "
            "voer 'convenant db upgrade' uit met de versie die de database het laatst bijwerkte."
        )
    if isinstance(exc, OSError) and exc.filename is not None:
        reason = _OS_REASONS.get(exc.errno or 0, exc.strerror or str(exc))
        return f"{exc.filename}: {reason}."
    return None


def _is_settings_error(exc: BaseException) -> bool:
    return isinstance(exc, ValidationError) and exc.title == Settings.__name__


def _settings_message(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors():
        name = "_".join(str(p) for p in error.get("loc", ())).upper() or "?"
        given = error.get("input")
        shown = f" (nu: {given!r})" if isinstance(given, (str, int, float)) else ""
        parts.append(f"CONVENANT_{name} {dutch_validation_message(dict(error))}{shown}")
    return "de instellingen kloppen niet: " + "; ".join(parts) + "."


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _database_message(exc: DBAPIError) -> str:
    detail = _first_line(exc)
    if any(marker in str(exc) for marker in _MISSING_TABLE):
        return "de database is nog niet aangemaakt of bijgewerkt; voer eerst 'convenant db upgrade' uit."
    if "unable to open database file" in detail:
        return (
            f"het databasebestand in de datamap {_data_dir()} kan niet worden geopend (bestaat de map en mag "
            "u erin schrijven?); een nieuwe datamap richt u in met 'convenant db upgrade'."
        )
    if "database is locked" in detail:
        return "de database is bezet door een ander proces (database is locked); probeer het zo opnieuw."
    return f"de database is niet bereikbaar ({detail}); controleer CONVENANT_DATABASE_URL."


def _data_dir() -> str:
    try:
        return str(get_settings().data_dir.resolve())
    except ValidationError:
        return "(CONVENANT_DATA_DIR)"


def _unexpected(exc: BaseException) -> str:
    """Write the full trace to a file only the user can read; the line names it."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    fd, name = tempfile.mkstemp(prefix=f"convenant-fout-{stamp}-", suffix=".txt")
    with os.fdopen(fd, "w", encoding="utf-8") as out:  # mkstemp: mode 0600
        out.write("".join(traceback.format_exception(exc)))
    return (
        f"onverwachte fout ({type(exc).__name__}); de volledige melding staat in {Path(name)}. "
        "Stuur die naar de beheerder, of draai de opdracht opnieuw met 'convenant --debug …'."
    )


def main() -> None:
    """Entry point of ``convenant``."""
    app(prog_name="convenant")


if __name__ == "__main__":  # pragma: no cover
    main()
