"""The ``convenant`` command. Each module in ``service.commands`` adds its commands via ``register(app)``."""

from __future__ import annotations

import importlib
import pkgutil
import sys

import typer
from sqlalchemy.exc import OperationalError, ProgrammingError

import service.commands
from service.errors import STATUS_BY_EXCEPTION, ServiceError

app = typer.Typer(
    name="convenant",
    help="Convenanten voor gegevensdeling in de wijk: opstellen, ondertekenen en bijhouden.",
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def _root() -> None:
    """Convenanten voor gegevensdeling in de wijk."""


for _info in sorted(pkgutil.iter_modules(service.commands.__path__), key=lambda i: i.name):
    if _info.name.startswith("_"):  # shared by the command modules (e.g. _dates), adds no commands
        continue
    _module = importlib.import_module(f"service.commands.{_info.name}")
    _module.register(app)


DOMAIN_ERRORS: tuple[type[Exception], ...] = (ServiceError, *(cls for cls, _ in STATUS_BY_EXCEPTION))
_MISSING_TABLE = ("no such table", "does not exist")


def cli_message(exc: BaseException) -> str | None:
    """The one Dutch line a user gets for ``exc``, or None when it is not a known problem (a bug)."""
    if isinstance(exc, DOMAIN_ERRORS):
        return str(getattr(exc, "message", exc))
    if isinstance(exc, (OperationalError, ProgrammingError)):
        detail = str(exc.orig) if exc.orig is not None else str(exc)
        if any(marker in detail for marker in _MISSING_TABLE):
            return "de database is nog niet aangemaakt of bijgewerkt; voer eerst 'convenant db upgrade' uit."
        return f"de database is niet bereikbaar of bezet ({detail.splitlines()[0]})."
    return None


def main() -> None:
    """Entry point of ``convenant``: a known problem is one Dutch line on stderr and exit code 1."""
    try:
        app()
    except Exception as exc:
        message = cli_message(exc)
        if message is None:
            raise
        print(f"fout: {message}", file=sys.stderr)
        raise SystemExit(1) from None


if __name__ == "__main__":  # pragma: no cover
    main()
