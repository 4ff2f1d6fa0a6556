# mypy: disable-error-code="no-untyped-call"
"""One embedded stamp font per document, shared by every signature's stamp.

``add_signature_fields`` puts a subset of Liberation Sans (Latin, Latin-1, Latin Extended-A and Dutch
punctuation) in the form's default resources (``/AcroForm /DR /Font /CvStempel``) once. Each stamp's
appearance stream then refers to that font object instead of embedding a subset of its own (about 8 KB
per signature otherwise). The font is a Type 0 / CIDFontType2 font with Identity-H encoding, CIDs equal
to the subset's glyph ids, widths in 1/1000 em and a ToUnicode map, so the text stays extractable (PDF/A-3u).

Documents whose fields were made without it (older files, other software) get pyHanko's per-signature
font subset instead (``signing.stamp``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from typing import Any

from fontTools import subset, ttLib  # type: ignore[import-untyped]
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.content import ResourceType
from pyhanko.pdf_utils.layout import BoxConstraints
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.stamp import BaseStamp, BaseStampStyle

from signing.stamp import BORDER, FONT_FILE, MARGIN, StampLayout, leading_for

RESOURCE_NAME = "/CvStempel"
BASE_FONT = "CVSTMP+LiberationSans"
CHARACTERS = (
    "".join(chr(c) for c in range(0x20, 0x7F))
    + "".join(chr(c) for c in range(0xA0, 0x180))
    + "‐‑‒–—‘’‚“”„•…‰‹›€™"
)
pdf_name = generic.NameObject


@dataclass(frozen=True)
class _Subset:
    font_file: bytes
    cmap: dict[int, int]  # code point -> glyph id (= CID)
    widths: dict[int, int]  # glyph id -> width in 1/1000 em
    ascent: int
    descent: int
    cap_height: int
    bbox: tuple[int, int, int, int]
    italic_angle: float


@lru_cache(maxsize=1)
def _subset() -> _Subset:
    font = ttLib.TTFont(str(FONT_FILE))
    if "FFTM" in font:
        del font["FFTM"]
    options = subset.Options()
    options.hinting = False
    options.layout_features = []
    options.name_IDs = ["*"]  # keep the copyright and licence notices with the font
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in CHARACTERS])
    subsetter.subset(font)
    out = BytesIO()
    font.save(out)
    data = out.getvalue()
    font = ttLib.TTFont(BytesIO(data))
    upem = int(font["head"].unitsPerEm)

    def scale(v: float) -> int:
        return round(v * 1000 / upem)

    cmap = {cp: font.getGlyphID(name) for cp, name in font.getBestCmap().items()}
    widths = {font.getGlyphID(name): scale(adv) for name, (adv, _) in font["hmtx"].metrics.items()}
    head, os2, post = font["head"], font["OS/2"], font["post"]
    return _Subset(
        font_file=data,
        cmap=cmap,
        widths=widths,
        ascent=scale(os2.sTypoAscender),
        descent=scale(os2.sTypoDescender),
        cap_height=scale(getattr(os2, "sCapHeight", os2.sTypoAscender)),
        bbox=(scale(head.xMin), scale(head.yMin), scale(head.xMax), scale(head.yMax)),
        italic_angle=float(post.italicAngle),
    )


def covers(text: str) -> bool:
    cmap = _subset().cmap
    return all(ord(ch) in cmap for ch in text if ch != "\n")


def add_stamp_font(writer: BasePdfFileWriter) -> None:
    """Put the shared stamp font in the form's default resources (once per document)."""
    form = writer.root["/AcroForm"]
    resources = form.get("/DR")
    if resources is None:
        resources = generic.DictionaryObject()
        form[pdf_name("/DR")] = resources
    else:
        resources = resources.get_object()
    fonts = resources.get("/Font")
    if fonts is None:
        fonts = generic.DictionaryObject()
        resources[pdf_name("/Font")] = fonts
    else:
        fonts = fonts.get_object()
    if RESOURCE_NAME in fonts:
        return
    fonts[pdf_name(RESOURCE_NAME)] = _font_object(writer)
    writer.update_container(form)


def shared_font(reader_root: Any) -> generic.IndirectObject | None:
    """The document's shared stamp font, if its fields were made with one."""
    try:
        ref = reader_root["/AcroForm"]["/DR"]["/Font"].raw_get(RESOURCE_NAME)
    except (KeyError, TypeError, AttributeError):
        return None
    return ref if isinstance(ref, generic.IndirectObject) else None


def _font_object(writer: BasePdfFileWriter) -> generic.IndirectObject:
    sub = _subset()
    file_stream = generic.StreamObject(
        {pdf_name("/Length1"): generic.NumberObject(len(sub.font_file))}, stream_data=sub.font_file
    )
    file_stream.compress()
    descriptor = generic.DictionaryObject(
        {
            pdf_name("/Type"): pdf_name("/FontDescriptor"),
            pdf_name("/FontName"): pdf_name("/" + BASE_FONT),
            pdf_name("/Flags"): generic.NumberObject(32),  # nonsymbolic
            pdf_name("/FontBBox"): generic.ArrayObject([generic.NumberObject(v) for v in sub.bbox]),
            pdf_name("/ItalicAngle"): generic.FloatObject(sub.italic_angle),
            pdf_name("/Ascent"): generic.NumberObject(sub.ascent),
            pdf_name("/Descent"): generic.NumberObject(sub.descent),
            pdf_name("/CapHeight"): generic.NumberObject(sub.cap_height),
            pdf_name("/StemV"): generic.NumberObject(80),
            pdf_name("/FontFile2"): writer.add_object(file_stream),
        }
    )
    gids = sorted(sub.widths)
    w_array = generic.ArrayObject(
        [
            generic.NumberObject(gids[0]),
            generic.ArrayObject([generic.NumberObject(sub.widths[g]) for g in range(gids[0], gids[-1] + 1)]),
        ]
    )
    cid_font = generic.DictionaryObject(
        {
            pdf_name("/Type"): pdf_name("/Font"),
            pdf_name("/Subtype"): pdf_name("/CIDFontType2"),
            pdf_name("/BaseFont"): pdf_name("/" + BASE_FONT),
            pdf_name("/CIDSystemInfo"): generic.DictionaryObject(
                {
                    pdf_name("/Registry"): generic.TextStringObject("Adobe"),
                    pdf_name("/Ordering"): generic.TextStringObject("Identity"),
                    pdf_name("/Supplement"): generic.NumberObject(0),
                }
            ),
            pdf_name("/FontDescriptor"): writer.add_object(descriptor),
            pdf_name("/CIDToGIDMap"): pdf_name("/Identity"),
            pdf_name("/DW"): generic.NumberObject(1000),
            pdf_name("/W"): w_array,
        }
    )
    to_unicode = generic.StreamObject(stream_data=_to_unicode(sub.cmap))
    to_unicode.compress()
    type0 = generic.DictionaryObject(
        {
            pdf_name("/Type"): pdf_name("/Font"),
            pdf_name("/Subtype"): pdf_name("/Type0"),
            pdf_name("/BaseFont"): pdf_name("/" + BASE_FONT + "-Identity-H"),
            pdf_name("/Encoding"): pdf_name("/Identity-H"),
            pdf_name("/DescendantFonts"): generic.ArrayObject([writer.add_object(cid_font)]),
            pdf_name("/ToUnicode"): writer.add_object(to_unicode),
        }
    )
    return writer.add_object(type0)


def _to_unicode(cmap: dict[int, int]) -> bytes:
    pairs = sorted((gid, cp) for cp, gid in cmap.items() if cp <= 0xFFFF)
    seen: set[int] = set()
    unique = [(g, c) for g, c in pairs if not (g in seen or seen.add(g))]  # type: ignore[func-returns-value]
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<0000> <FFFF>",
        "endcodespacerange",
    ]
    for start in range(0, len(unique), 100):
        chunk = unique[start : start + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines.extend(f"<{g:04X}> <{c:04X}>" for g, c in chunk)
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines).encode("ascii")


@dataclass(frozen=True)
class SharedFontStampStyle(BaseStampStyle):
    """A stamp drawn with the document's shared font: the laid-out lines, left-aligned, centred."""

    font_ref: Any = None
    stamp_layout: StampLayout | None = None
    border_width: int = BORDER
    background: Any = None

    def create_stamp(
        self, writer: BasePdfFileWriter, box: BoxConstraints, text_params: dict[str, Any]
    ) -> BaseStamp:
        return _SharedFontStamp(writer, self, box)


class _SharedFontStamp(BaseStamp):
    def as_form_xobject(self) -> generic.StreamObject:
        xobject = super().as_form_xobject()
        xobject.compress()  # the glyph ids are hex text: Flate shrinks the stream to about a third
        return xobject

    def _render_inner_content(self) -> list[bytes]:
        style = self.style
        assert isinstance(style, SharedFontStampStyle) and style.stamp_layout is not None
        sub = _subset()
        self.set_resource(ResourceType.FONT, pdf_name(RESOURCE_NAME), style.font_ref)
        size = style.stamp_layout.font_size
        leading = leading_for(size)
        lines = style.stamp_layout.lines
        height = float(self.box.height)
        block = len(lines) * leading
        # baseline of the first line: the block centred vertically, ascent inside the first line
        top = (height + block) / 2
        first_baseline = top - leading + (leading - size) / 2 + size * 0.2
        ops = [b"BT", b"%s %d Tf %d TL" % (RESOURCE_NAME.encode("ascii"), size, leading)]
        ops.append(b"%g %g Td" % (round(MARGIN + BORDER, 3), round(first_baseline, 3)))
        for i, line in enumerate(lines):
            gids = "".join(f"{sub.cmap.get(ord(ch), 0):04X}" for ch in line)
            ops.append(b"<%s> Tj" % gids.encode("ascii") if i == 0 else b"T* <%s> Tj" % gids.encode("ascii"))
        ops.append(b"ET")
        return [b" ".join(ops)]
