"""The visible stamp in a signatory's block: who signed, in which function, for whom, and when.

The stamp is drawn in Liberation Sans (SIL Open Font License, shipped in ``signing/fonts``) through
pyHanko's OpenType engine, which embeds a subset of the font: the signed document stays PDF/A (every font
used in an appearance stream embedded). The text is wrapped to the width of the signature box at the
largest size from 9 down to 7 pt that fits its height; it is never scaled below 7 pt. When even 7 pt does
not fit, the longest lines are shortened with an ellipsis (the certificate and the signature's ``/Name``
keep the full text).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Any

from babel.dates import format_date
from fontTools import ttLib  # type: ignore[import-untyped]
from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.stamp import TextStampStyle

FONT_FILE = Path(__file__).parent / "fonts" / "LiberationSans-Regular.ttf"
FONT_SIZES = (9, 8, 7)  # pt; pyHanko writes integer font sizes. Never smaller than 7 pt.
MIN_FONT_SIZE = FONT_SIZES[-1]
MARGIN = 4  # pt between the border and the text, on every side
BORDER = 1
# HarfBuzz applies kerning, which the advance widths below do not see: keep a little room.
WIDTH_SAFETY = 0.96


def dutch_date(day: date) -> str:
    return format_date(day, "d MMMM y", locale="nl_NL")


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
        lines = [f"Digitaal ondertekend op {dutch_date(self.signed_on)} door", self.name, self.function]
        lines.append(self.organisation)
        if self.on_behalf_of:
            lines.append(f"namens {self.on_behalf_of}")
        if self.mandate:
            lines.append(f"krachtens {self.mandate}")
        return [" ".join(line.split()) for line in lines]


@dataclass(frozen=True)
class StampLayout:
    """The stamp text as laid out for one box: the lines and the font size they are drawn at."""

    lines: tuple[str, ...]
    font_size: int
    shortened: bool

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def leading_for(size: int) -> int:
    return size + 1 if size < 9 else size + 2


class _Metrics:
    """Advance widths of the stamp font (from its hmtx table), for wrapping before pyHanko draws."""

    def __init__(self, path: Path) -> None:
        font = ttLib.TTFont(str(path), lazy=True)
        self.units_per_em = int(font["head"].unitsPerEm)
        self.cmap: dict[int, str] = dict(font.getBestCmap())
        self.advances: dict[str, int] = {name: adv for name, (adv, _) in font["hmtx"].metrics.items()}
        self.missing = self.advances.get(".notdef", self.units_per_em // 2)
        font.close()

    def width(self, text: str, size: float) -> float:
        units = sum(self.advances.get(self.cmap.get(ord(ch), ".notdef"), self.missing) for ch in text)
        return units * size / self.units_per_em

    def covers(self, ch: str) -> bool:
        return ord(ch) in self.cmap


@lru_cache(maxsize=1)
def _metrics() -> _Metrics:
    return _Metrics(FONT_FILE)


def _wrap(line: str, size: int, width: float) -> list[str]:
    metrics = _metrics()
    words = line.split(" ")
    out: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if metrics.width(candidate, size) <= width:
            current = candidate
            continue
        if current:
            out.append(current)
        # a single word wider than the box is broken where it no longer fits
        while metrics.width(word, size) > width and len(word) > 1:
            cut = len(word)
            while cut > 1 and metrics.width(word[:cut], size) > width:
                cut -= 1
            out.append(word[:cut])
            word = word[cut:]
        current = word
    out.append(current)
    return out


def _shorten(line: str, size: int, width: float) -> str:
    metrics = _metrics()
    if metrics.width(line, size) <= width:
        return line
    while line and metrics.width(line + "…", size) > width:
        line = line[:-1]
    return line.rstrip(" ,") + "…"


def _printable(text: str) -> str:
    """Characters the font has no glyph for become a visible '?', never a missing-glyph box."""
    metrics = _metrics()
    return "".join(ch if metrics.covers(ch) else "?" for ch in text)


def layout_stamp(stamp: StampText, box_width: float, box_height: float) -> StampLayout:
    """The lines of ``stamp`` wrapped for a box of ``box_width`` × ``box_height`` pt, at ≥ 7 pt."""
    inner_w = (box_width - 2 * (MARGIN + BORDER)) * WIDTH_SAFETY
    inner_h = box_height - 2 * (MARGIN + BORDER)
    source = [_printable(line) for line in stamp.lines()]
    for size in FONT_SIZES:
        lines = [part for line in source for part in _wrap(line, size, inner_w)]
        if len(lines) * leading_for(size) <= inner_h:
            return StampLayout(tuple(lines), size, False)
    # Even 7 pt does not fit: one line per item, shortened; the last items go first if still too tall.
    size = MIN_FONT_SIZE
    room = max(1, int(inner_h // leading_for(size)))
    lines = [_shorten(line, size, inner_w) for line in source]
    if len(lines) > room:
        lines = [*lines[: room - 1], _shorten(" · ".join(lines[room - 1 :]), size, inner_w)]
    return StampLayout(tuple(lines), size, True)


@lru_cache(maxsize=1)
def _font_bytes() -> bytes:
    return FONT_FILE.read_bytes()


class _ThousandUnitGlyphs(GlyphAccumulator):
    """pyHanko's glyph accumulator, with every metric in 1/1000 em as PDF's glyph space requires.

    pyHanko 0.38 writes the font's own units into the ``/W`` widths and the ``TJ`` adjustments; that is
    only right for fonts with 1000 units per em. Liberation Sans has 2048, so viewers would space the
    glyphs twice as wide. Here HarfBuzz shapes at a scale of 1000 and widths are converted.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "FFTM" in self.tt:  # FontForge's timestamp table: fontTools cannot subset it (and warns)
            del self.tt["FFTM"]
        self._font_units = int(self.units_per_em)
        self.units_per_em = 1000
        self.hb_font.scale = (1000, 1000)

    def _get_cid_and_width(self, glyph_id: int) -> tuple[int, int]:
        cached: tuple[int, int] | None = self._glyphs.get(glyph_id)
        if cached is not None:
            return cached
        cid, width = super()._get_cid_and_width(glyph_id)  # caches the width in font units ...
        self._glyphs[glyph_id] = scaled = cid, round(width * 1000 / self._font_units)  # ... replaced
        return scaled


@dataclass(frozen=True)
class _StampFont(GlyphAccumulatorFactory):
    """Liberation Sans for the stamp (read once), through :class:`_ThousandUnitGlyphs`."""

    def create_font_engine(self, writer: BasePdfFileWriter, obj_stream: Any = None) -> GlyphAccumulator:
        if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
            obj_stream = writer.prepare_object_stream()  # type: ignore[no-untyped-call]
        return _ThousandUnitGlyphs(
            writer=writer,
            font_handle=BytesIO(_font_bytes()),
            font_size=self.font_size,
            obj_stream=obj_stream,
        )


@lru_cache(maxsize=len(FONT_SIZES))
def stamp_style(font_size: int = FONT_SIZES[0]) -> TextStampStyle:
    """The stamp style for one font size (a frozen pyHanko object; built once per size)."""
    layout_rule = layout.SimpleBoxLayoutRule(
        x_align=layout.AxisAlignment.ALIGN_MIN,
        y_align=layout.AxisAlignment.ALIGN_MID,
        margins=layout.Margins(MARGIN, MARGIN, MARGIN, MARGIN),
        # layout_stamp already made the text fit; shrinking would only hide a measuring error
        inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT,
    )
    return TextStampStyle(
        stamp_text="%(tekst)s",
        text_box_style=TextBoxStyle(
            font=_StampFont(str(FONT_FILE), font_size=font_size),
            font_size=font_size,
            leading=leading_for(font_size),
            box_layout_rule=layout.SimpleBoxLayoutRule(
                x_align=layout.AxisAlignment.ALIGN_MIN,
                y_align=layout.AxisAlignment.ALIGN_MID,
                margins=layout.Margins(0, 0, 0, 0),
            ),
        ),
        inner_content_layout=layout_rule,
        border_width=BORDER,
    )


def appearance_params(stamp_layout: StampLayout) -> dict[str, str]:
    # pyHanko interpolates stamp_text with %-formatting; the text goes in as a parameter, never as format.
    return {"tekst": stamp_layout.text}
