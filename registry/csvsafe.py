"""CSV export that a spreadsheet cannot turn into a formula (CSV injection, OWASP).

Every CSV the service writes (authorisation register, provision log, inzage) goes through ``csv_text``,
which neutralises each text cell that a spreadsheet would read as a formula or a control sequence: a
cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (also after leading spaces)
gets a leading apostrophe, the documented way to make Excel and LibreOffice show it as text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: Any) -> Any:
    """``cell`` as a spreadsheet shows it literally; non-text values (numbers) are returned unchanged."""
    if not isinstance(cell, str):
        return cell
    if cell.lstrip(" ")[:1] in FORMULA_START and cell != "":
        return "'" + cell
    return cell


def csv_text(rows: Iterable[Iterable[Any]], *, delimiter: str = ";") -> str:
    """The rows as CSV (``;``, CRLF), every cell neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow([neutralise(c) for c in row])
    return out.getvalue()
