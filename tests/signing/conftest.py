"""Signing test fixtures: one loopback PKI per session, test PDFs, trust configurations and signers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from signing import (
    FieldSpec,
    Pkcs12Key,
    SignatureRequest,
    Signer,
    StampText,
    TrustConfig,
    add_signature_fields,
    open_signer,
)
from tests.signing.pki import TestPki, start_test_pki

PARTIES = ("zeist", "politie", "meander", "rkwbv", "woongoed")


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestPki]:
    pki = start_test_pki(tmp_path_factory.mktemp("pki"))
    yield pki
    pki.stop()


@pytest.fixture(scope="session")
def trust(pki: TestPki) -> TrustConfig:
    return TrustConfig(roots=[pki.root_path], allow_fetching=True)


@pytest.fixture(scope="session")
def offline_trust(pki: TestPki) -> TrustConfig:
    return TrustConfig(roots=[pki.root_path], allow_fetching=False)


@pytest.fixture(scope="session")
def signer(pki: TestPki) -> Signer:
    return open_signer(Pkcs12Key(pki.signer_p12, pki.passphrase))


def render_declaration(names: tuple[str, ...]) -> bytes:
    """A one-page agreement signature page rendered by WeasyPrint, one block per party."""
    from weasyprint import HTML

    blocks = "".join(f'<div class="blok"><p>Partij: {n}</p><div class="vak"></div></div>' for n in names)
    html = f"""<html lang="nl"><head><style>
      @page {{ size: A4; margin: 2cm; }}
      body {{ font-family: 'DejaVu Sans'; font-size: 10pt; }}
      .blok {{ height: 3.6cm; }}
      .vak {{ border: 0.5pt solid #999; width: 8cm; height: 2.6cm; }}
    </style></head><body>
      <h1>Ondertekening</h1><p>Samenwerkingsovereenkomst Wijkgericht Werken Zeist — datum: 14 juni 2018</p>
      {blocks}
    </body></html>"""
    return HTML(string=html).write_pdf(pdf_variant="pdf/a-3u")


def field_specs(names: tuple[str, ...]) -> list[FieldSpec]:
    # A4 is 595 x 842 pt; blocks start below the heading, 3.6 cm (≈102 pt) apart.
    top = 842 - 57 - 95
    return [
        FieldSpec(name=f"sig-{n}", page_index=0, box=(57, top - 102 * i - 74, 57 + 227, top - 102 * i))
        for i, n in enumerate(names)
    ]


@pytest.fixture(scope="session")
def five_field_pdf() -> bytes:
    return add_signature_fields(render_declaration(PARTIES), field_specs(PARTIES))


@pytest.fixture(scope="session")
def one_field_pdf() -> bytes:
    return add_signature_fields(render_declaration(("zeist",)), field_specs(("zeist",)))


def stamp_for(party: str) -> StampText:
    if party == "politie":
        return StampText(
            "J.D. Bogerd",
            "Teamchef",
            "Politie Midden-Nederland",
            on_behalf_of="de politiechef van de eenheid Midden-Nederland, mw. drs. M.H.C. Barendse",
            mandate="mandaatbesluit van 11 april 2018",
            signed_on=date(2018, 6, 14),
        )
    return StampText(
        f"Ondertekenaar {party}", "Directeur-bestuurder", f"Organisatie {party}", signed_on=date(2018, 6, 14)
    )


def request_for(
    party: str, level: str = "B-B", *, tsa_url: str | None = None, trust: TrustConfig | None = None
) -> SignatureRequest:
    return SignatureRequest(
        field_name=f"sig-{party}",
        level=level,  # type: ignore[arg-type]
        stamp=stamp_for(party),
        reason="Ondertekening Samenwerkingsovereenkomst Wijkgericht Werken Zeist",
        location="Zeist",
        tsa_url=tsa_url,
        trust=trust,
    )


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("data")


@pytest.fixture(autouse=True, scope="session")
def _quiet_loggers() -> None:
    import logging

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)


def stamp_text(pdf: bytes, field: str) -> str:
    """The text a signature's visible stamp shows, its lines joined by spaces (wrapping does not matter).

    Decodes the appearance stream through its font's ToUnicode map, as a viewer's text extraction does."""
    import re

    from signing.pdfio import open_reader

    reader = open_reader(pdf)
    sig = next(s for s in reader.embedded_signatures if s.field_name == field)
    stream = sig.sig_field["/AP"]["/N"].get_object()
    parts: list[str] = []

    def walk(xobject) -> None:  # type: ignore[no-untyped-def]
        resources = xobject.get("/Resources", {})
        fonts = resources.get("/Font", {})
        maps: dict[str, dict[int, str]] = {}
        for name, font in fonts.items():
            cmap = font.get_object()["/ToUnicode"].get_object().data.decode("latin-1")
            maps[name] = {
                int(a, 16): chr(int(b, 16))
                for a, b in re.findall(r"<([0-9A-Fa-f]{4})>\s*<([0-9A-Fa-f]{4})>", cmap)
            }
        data = xobject.data.decode("latin-1")
        font_map: dict[int, str] = {}
        for token in re.finditer(r"(/\w+) [\d.]+ Tf|<([0-9A-Fa-f]+)>", data):
            if token.group(1):
                font_map = maps.get(token.group(1), {})
            elif font_map:
                hexs = token.group(2)
                parts.append(
                    "".join(font_map.get(int(hexs[i : i + 4], 16), "?") for i in range(0, len(hexs), 4))
                )
        for sub in resources.get("/XObject", {}).values():
            walk(sub.get_object())

    walk(stream)
    return " ".join(parts)
