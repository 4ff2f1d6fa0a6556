"""The ``convenant`` command. Each module in ``service.commands`` adds its commands via ``register(app)``."""

from __future__ import annotations

import importlib
import pkgutil

import typer

import service.commands

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
    _module = importlib.import_module(f"service.commands.{_info.name}")
    _module.register(app)


if __name__ == "__main__":  # pragma: no cover
    app()
