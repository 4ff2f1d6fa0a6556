"""How a command says it cannot go on: one Dutch line on stderr (``fout: …``) and a non-zero exit.

The CLI's one handler (``service.cli``) prints every problem a command does not catch in the same form;
a command uses ``fail`` only where it adds something (its own exit code, the problems of a dossier).
"""

from __future__ import annotations

import typer


def say(message: str) -> None:
    """``fout: <message>`` on stderr."""
    typer.echo(f"fout: {message}", err=True)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Say ``message`` and return the exit to raise: ``raise fail(...)``."""
    say(message)
    return typer.Exit(code)
