"""The visible stamp in a signatory's block: who signed, in which function, for whom, and when."""

from __future__ import annotations

import textwrap
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.stamp import TextStampStyle

MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def dutch_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class StampText:
    """What the stamp says. ``on_behalf_of``: the mandator ("De politiechef van de eenheid
    Midden-Nederland"); ``mandate``: the decision it rests on ("mandaatbesluit van 11 april 2018")."""

    name: str
    function: str
    organisation: str
    on_behalf_of: str | None = None
    mandate: str | None = None
    signed_on: date = field(kw_only=True)

    def lines(self) -> list[str]:
        lines = ["Digitaal ondertekend door", self.name, self.function, self.organisation]
        if self.on_behalf_of:
            lines.append(f"namens {self.on_behalf_of}")
        if self.mandate:
            lines.append(f"krachtens {self.mandate}")
        lines.append(f"op {dutch_date(self.signed_on)}")
        return [" ".join(line.split()) for line in lines]


@lru_cache(maxsize=1)
def stamp_style() -> TextStampStyle:
    """One style for every stamp (a frozen pyHanko object; built once).

    pyHanko's standard Courier font is used: it needs no embedding (fast, small) and covers the
    Latin-1 letters of Dutch names. (pyHanko's OpenType engine renders with broken glyph spacing in
    poppler here, so it is not used.) Characters outside Latin-1 are shown transliterated in the stamp;
    the signature's own /Name entry keeps the exact spelling.
    """
    layout_rule = layout.SimpleBoxLayoutRule(
        x_align=layout.AxisAlignment.ALIGN_MIN,
        y_align=layout.AxisAlignment.ALIGN_MID,
        margins=layout.Margins(4, 4, 4, 4),
        inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT,
    )
    return TextStampStyle(
        stamp_text="%(tekst)s",
        text_box_style=TextBoxStyle(font_size=9, leading=11),
        inner_content_layout=layout_rule,
        border_width=1,
    )


def _latin1(text: str) -> str:
    try:
        text.encode("latin-1")
        return text
    except UnicodeEncodeError:
        pass
    out = []
    for ch in text:
        try:
            ch.encode("latin-1")
            out.append(ch)
        except UnicodeEncodeError:
            if ch in "\u2013\u2014":
                out.append("-")
            else:
                base = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode("ascii")
                out.append(base or "?")
    return "".join(out)


def appearance_params(stamp: StampText) -> dict[str, str]:
    # pyHanko interpolates stamp_text with %-formatting; the text goes in as a parameter, never as format.
    lines: list[str] = []
    for line in stamp.lines():
        lines.extend(textwrap.wrap(_latin1(line), width=52) or [""])
    return {"tekst": "\n".join(lines)}
