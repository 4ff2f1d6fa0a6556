"""``convenant bench``: the benchmarks of bench/ (the same as ``python -m bench``)."""

from __future__ import annotations

import typer

from bench.runner import main


def register(app: typer.Typer) -> None:
    @app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
    def bench(ctx: typer.Context) -> None:
        """Draai de benchmarks, druk de tabel af en schrijf docs/benchmarks.md."""
        raise typer.Exit(main(list(ctx.args)))
