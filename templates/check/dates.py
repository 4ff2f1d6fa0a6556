"""Dates typed into the text are the dossier's own; a document does not cite a date after its own date."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from templates.check.severity import ERROR, WARNING
from templates.dossier.model import Dossier
from templates.errors import Problem
from templates.formatting import MONTHS, format_date
from templates.laws import law_dates
from templates.numbering import MARKUP, iter_texts

_DUTCH_DATE = re.compile(r"\b(\d{1,2}) (" + "|".join(MONTHS) + r") (\d{4})\b", re.IGNORECASE)


def _known_dates(d: Dossier) -> set[date]:
    known = {d.signing.date, d.term.start, d.term.effective_end, *law_dates()}
    if d.besluit is not None:
        known.add(d.besluit.date)
    for m in d.mandates:
        known.add(m.date)
        if m.valid_until is not None:
            known.add(m.valid_until)
    if d.publication is not None:
        known |= {x for x in (d.publication.date, d.publication.decision_date) if x is not None}
    return known


def check_typed_dates(d: Dossier) -> list[Problem]:
    """A date typed into the text that is none of the dossier's dates drifts when the dossier changes (the
    seed's "de dato 14 februari 2018" for an agreement signed on 14 juni 2018): use [[waarde:…]]."""
    out: list[Problem] = []
    known = _known_dates(d)
    for path, text in iter_texts(d):
        for m in _DUTCH_DATE.finditer(MARKUP.sub(" ", text)):
            try:
                typed = date(int(m.group(3)), MONTHS.index(m.group(2).lower()) + 1, int(m.group(1)))
            except ValueError:
                out.append(Problem(path, f"'{m.group(0)}' is geen bestaande datum", ERROR, "datum_ongeldig"))
                continue
            if typed not in known:
                out.append(
                    Problem(
                        path,
                        f"de tekst noemt de datum {m.group(0)}, die nergens in het dossier voorkomt "
                        f"(ondertekening {format_date(d.signing.date)}); verwijs naar de datum met "
                        "[[waarde:…]], bv. [[waarde:datum_ondertekening]]",
                        WARNING,
                        "datum_los_getypt",
                    )
                )
    return out


_DATE_VALUES: dict[str, Callable[[Dossier], date | None]] = {
    "datum_ondertekening": lambda d: d.signing.date,
    "looptijd.start": lambda d: d.term.start,
    "looptijd.einde": lambda d: None if d.term.open_ended else d.term.effective_end,
}


def check_later_dates(d: Dossier) -> list[Problem]:
    """A document must not cite a date after its own date (the besluit of 28 March citing an agreement
    "opgemaakt de dato" 14 June) unless the author says so (``legal.besluit.cites_later_dates``)."""
    out: list[Problem] = []
    allowed = d.legal.besluit is not None and d.legal.besluit.cites_later_dates
    for path, text in iter_texts(d):
        if "[[waarde:" not in text and not _DUTCH_DATE.search(text):
            continue
        own: tuple[str, date] | None = None
        if path.startswith("besluit.") and d.besluit is not None and not allowed:
            own = ("het besluit", d.besluit.date)
        elif path.startswith("mandates."):
            own = ("het mandaatbesluit", d.mandates[int(path.split(".")[1])].date)
        if own is None:
            continue
        what, on = own
        cited: list[tuple[str, date]] = []
        for m in MARKUP.finditer(text):
            if m.group(1) == "waarde" and m.group(2).strip() in _DATE_VALUES:
                value = _DATE_VALUES[m.group(2).strip()](d)
                if value is not None:
                    cited.append((m.group(0), value))
        own_dates = {f(d) for f in _DATE_VALUES.values()}  # typed copies of the dossier's own dates
        for m in _DUTCH_DATE.finditer(MARKUP.sub(" ", text)):
            try:
                typed = date(int(m.group(3)), MONTHS.index(m.group(2).lower()) + 1, int(m.group(1)))
            except ValueError:
                continue
            if typed in own_dates:
                cited.append((m.group(0), typed))
        for shown, value in cited:
            if value > on:
                out.append(
                    Problem(
                        path,
                        f"{what} is gedateerd {format_date(on)}, maar noemt de latere datum "
                        f"{format_date(value)} ({shown}); een document kan geen datum na zijn eigen datum "
                        "noemen — pas de tekst of de datum aan, of zet legal.besluit.cites_later_dates als "
                        "dat bewust zo is",
                        WARNING,
                        "datum_na_eigen_datum",
                    )
                )
    return out
