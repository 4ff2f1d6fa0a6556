"""Signature fields: empty, named placeholders where each signatory's signature will go."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields as pdf_fields

from signing.errors import FieldAlreadySigned, FieldNotFound, InvalidPdf, InvalidRequest
from signing.pdfio import open_reader, open_writer
from signing.stampfont import add_stamp_font

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class FieldSpec:
    """An empty signature field: its name (``sig-<signatory key>``), page (0-based) and box in PDF points
    (x1, y1, x2, y2; origin bottom-left)."""

    name: str
    page_index: int
    box: Box


@dataclass(frozen=True)
class SignatureField:
    name: str
    signed: bool


def _fields(reader: PdfFileReader) -> list[SignatureField]:
    try:
        return [
            SignatureField(name=name, signed=value is not None)
            for name, value, _ in pdf_fields.enumerate_sig_fields(reader, filled_status=None)
        ]
    except (Exception, RecursionError) as exc:
        raise InvalidPdf("De formuliervelden van het PDF-bestand zijn onleesbaar.") from exc


def field_size(reader: PdfFileReader, name: str) -> tuple[float, float]:
    """Width and height (pt) of the widget of signature field ``name`` (0 × 0 when invisible)."""
    for field_name, _, ref in pdf_fields.enumerate_sig_fields(reader, filled_status=None):
        if field_name != name:
            continue
        field = ref.get_object()
        widget = field if "/Rect" in field else field["/Kids"][0].get_object()
        x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
        return abs(x2 - x1), abs(y2 - y1)
    raise FieldNotFound(f"Het document heeft geen handtekeningveld '{name}'.")


def list_signature_fields(pdf: bytes) -> list[SignatureField]:
    """Every signature field in the document, in document order, with whether it is signed."""
    return _fields(open_reader(pdf))


def require_empty_field(reader: PdfFileReader, name: str) -> None:
    fields = {f.name: f for f in _fields(reader)}
    if name not in fields:
        known = ", ".join(sorted(fields)) or "geen"
        raise FieldNotFound(f"Het document heeft geen handtekeningveld '{name}' (aanwezige velden: {known}).")
    if fields[name].signed:
        raise FieldAlreadySigned(
            f"Het handtekeningveld '{name}' is al ondertekend; een veld wordt één keer ondertekend."
        )


def add_signature_fields(pdf: bytes, fields: list[FieldSpec] | tuple[FieldSpec, ...]) -> bytes:
    """Add empty signature fields in one incremental update; returns the new PDF."""
    writer = open_writer(pdf)
    existing = {f.name for f in _fields(writer.prev)}
    page_count = int(writer.root["/Pages"]["/Count"])
    seen: set[str] = set()
    for spec in fields:
        if not spec.name or "." in spec.name:
            raise InvalidRequest(
                f"Ongeldige naam voor een handtekeningveld: '{spec.name}' (leeg of met een punt)."
            )
        if spec.name in existing or spec.name in seen:
            raise InvalidRequest(f"Het handtekeningveld '{spec.name}' bestaat al.")
        if not 0 <= spec.page_index < page_count:
            raise InvalidRequest(
                f"Handtekeningveld '{spec.name}': pagina {spec.page_index + 1} bestaat niet "
                f"(het document heeft {page_count} pagina's)."
            )
        x1, y1, x2, y2 = spec.box
        if x2 <= x1 or y2 <= y1:
            raise InvalidRequest(
                f"Handtekeningveld '{spec.name}': het vak {spec.box} heeft geen oppervlakte."
            )
        seen.add(spec.name)
        pdf_fields.append_signature_field(
            writer,
            pdf_fields.SigFieldSpec(
                sig_field_name=spec.name,
                on_page=spec.page_index,
                box=(x1, y1, x2, y2),  # type: ignore[arg-type]
            ),
        )
    if seen:
        add_stamp_font(writer)
    out = BytesIO()
    writer.write(out)  # type: ignore[no-untyped-call]
    return out.getvalue()
