"""Dutch formatting of dates, amounts, numbers and ordinals. Pure functions.

Dates, month names and money come from Babel's CLDR data for ``nl_NL``; what CLDR does not offer (numbers
and ordinals in words, Roman numerals, list letters) is written here.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date as _babel_date
from babel.dates import get_month_names
from babel.numbers import format_currency

LOCALE = "nl_NL"
MONTHS: tuple[str, ...] = tuple(get_month_names("wide", locale=LOCALE)[m] for m in range(1, 13))
# The euro sign, a non-breaking space, grouping by thousands: "€ 195.000,00"; negative "-€ 5,00".
_MONEY = "\u00a4\u00a0#,##0.00;-\u00a4\u00a0#,##0.00"

_ORDINALS = (
    "nulde",
    "eerste",
    "tweede",
    "derde",
    "vierde",
    "vijfde",
    "zesde",
    "zevende",
    "achtste",
    "negende",
    "tiende",
    "elfde",
    "twaalfde",
    "dertiende",
    "veertiende",
    "vijftiende",
    "zestiende",
    "zeventiende",
    "achttiende",
    "negentiende",
    "twintigste",
)
_NUMBERS = (
    "nul",
    "een",
    "twee",
    "drie",
    "vier",
    "vijf",
    "zes",
    "zeven",
    "acht",
    "negen",
    "tien",
    "elf",
    "twaalf",
    "dertien",
    "veertien",
    "vijftien",
    "zestien",
    "zeventien",
    "achttien",
    "negentien",
    "twintig",
)
_UNITS = _NUMBERS[:10]
_TENS = {
    2: "twintig",
    3: "dertig",
    4: "veertig",
    5: "vijftig",
    6: "zestig",
    7: "zeventig",
    8: "tachtig",
    9: "negentig",
}


def format_date(d: date) -> str:
    """``date(2018, 6, 14)`` -> ``"14 juni 2018"``."""
    return _babel_date(d, "d MMMM y", locale=LOCALE)


def format_money(amount: Decimal | int) -> str:
    """``Decimal("195000")`` -> ``"€ 195.000,00"`` (a non-breaking space after the euro sign)."""
    # Rounded half up first (Babel rounds half to even); "+ 0" turns -0.00 into 0.00.
    value = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) + 0
    return format_currency(value, "EUR", format=_MONEY, locale=LOCALE, currency_digits=False)


def number_words(n: int) -> str:
    """``3`` -> ``"drie"``; up to 99 in words, beyond that in digits."""
    if 0 <= n <= 20:
        return _NUMBERS[n]
    if 21 <= n <= 99:
        tens, unit = divmod(n, 10)
        if unit == 0:
            return _TENS[tens]
        joiner = "ën" if _UNITS[unit].endswith("e") else "en"
        return f"{_UNITS[unit]}{joiner}{_TENS[tens]}"
    return str(n)


def ordinal(n: int) -> str:
    """``2`` -> ``"tweede"``; ``21`` -> ``"eenentwintigste"``; beyond 99 ``"100ste"``."""
    if 0 <= n <= 20:
        return _ORDINALS[n]
    if 21 <= n <= 99:
        return number_words(n) + "ste"
    return f"{n}ste"


def roman(n: int) -> str:
    """``4`` -> ``"IV"``."""
    if n <= 0:
        raise ValueError("Romeinse cijfers bestaan alleen voor positieve getallen")
    out = []
    for value, sym in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        count, n = divmod(n, value)
        out.append(sym * count)
    return "".join(out)


def letter(n: int) -> str:
    """``1`` -> ``"a"``, ``26`` -> ``"z"``, ``27`` -> ``"aa"``."""
    if n <= 0:
        raise ValueError("letters beginnen bij 1")
    out = ""
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


def years_phrase(years: int) -> str:
    """``3`` -> ``"drie jaar"``."""
    return f"{number_words(years)} jaar"


def count_phrase(n: int, singular: str, plural: str) -> str:
    """A number with its noun in the right number: "1 fout", "3 fouten" (never "fout(en)")."""
    return f"{n} {singular if n == 1 else plural}"


def join_names(names: list[str]) -> str:
    """ "A", "A en B", "A, B en C"."""
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + " en " + names[-1]
