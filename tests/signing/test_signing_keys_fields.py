"""Keys (development PKI, PKCS#12 cache, bad passphrase), fields, requests and unreachable services."""

from __future__ import annotations

import logging
import os
import socket
import stat
from dataclasses import replace
from datetime import date

import pytest

from service.settings import Settings
from service.signatures.service import validate_document
from service.signatures.wiring import signer_from_settings
from signing import (
    FieldSpec,
    InvalidRequest,
    KeyUnavailable,
    Pkcs12Key,
    StampText,
    TimestampUnavailable,
    add_signature_fields,
    ensure_development_pki,
    list_signature_fields,
    open_signer,
    sign_pdf,
)
from signing.stamp import layout_stamp
from tests.signing.conftest import render_declaration, request_for, stamp_for


def test_development_pki_is_created_once_and_says_it_is_untrusted(tmp_path, caplog) -> None:
    with caplog.at_level(logging.WARNING, logger="convenant.signing"):
        first = ensure_development_pki(tmp_path / "keys")
    assert first.created
    assert "NIET VERTROUWD" in caplog.text
    again = ensure_development_pki(tmp_path / "keys")
    assert not again.created
    assert again.pkcs12_path.read_bytes() == first.pkcs12_path.read_bytes()
    assert stat.S_IMODE(os.stat(first.pkcs12_path).st_mode) == 0o600
    signer = open_signer(first.key)
    assert "NIET VERTROUWD" in signer.subject
    assert "ONTWIKKELING" in signer.subject


def test_development_ca_is_trusted_only_when_configured(tmp_path, one_field_pdf) -> None:
    settings = Settings(data_dir=tmp_path / "data")  # no key configured: the development key is used
    signed = sign_pdf(one_field_pdf, request_for("zeist"), signer_from_settings(settings))
    untrusted = validate_document(signed, settings).by_field("sig-zeist")
    assert untrusted.indication == "INDETERMINATE"
    assert untrusted.sub_indication == "NO_CERTIFICATE_CHAIN_FOUND"
    trusted = validate_document(signed, settings.model_copy(update={"trust_development_ca": True}))
    assert trusted.by_field("sig-zeist").indication == "TOTAL_PASSED"


def test_signer_is_loaded_once_and_reloaded_when_the_file_changes(pki, tmp_path) -> None:
    copy = tmp_path / "sleutel.p12"
    copy.write_bytes(pki.signer_p12.read_bytes())
    key = Pkcs12Key(copy, pki.passphrase)
    first = open_signer(key)
    assert open_signer(key) is first
    os.utime(copy, (1_000_000_000, 1_000_000_000))
    assert open_signer(key) is not first


def test_wrong_passphrase_is_a_dutch_key_error(pki) -> None:
    with pytest.raises(KeyUnavailable) as err:
        open_signer(Pkcs12Key(pki.signer_p12, "fout-wachtwoord"))
    assert "wachtwoord onjuist" in err.value.message


def test_missing_key_file_is_a_dutch_key_error(tmp_path) -> None:
    with pytest.raises(KeyUnavailable) as err:
        open_signer(Pkcs12Key(tmp_path / "weg.p12", "x"))
    assert "bestaat niet" in err.value.message


def test_fields_are_checked_before_anything_is_written() -> None:
    pdf = render_declaration(("a",))
    with pytest.raises(InvalidRequest) as err:
        add_signature_fields(pdf, [FieldSpec("sig-a", 3, (10, 10, 100, 50))])
    assert "pagina 4 bestaat niet" in err.value.message
    with pytest.raises(InvalidRequest) as err:
        add_signature_fields(
            pdf, [FieldSpec("sig-a", 0, (10, 10, 100, 50)), FieldSpec("sig-a", 0, (10, 60, 100, 90))]
        )
    assert "bestaat al" in err.value.message
    with_field = add_signature_fields(pdf, [FieldSpec("sig-a", 0, (10, 10, 100, 50))])
    assert [(f.name, f.signed) for f in list_signature_fields(with_field)] == [("sig-a", False)]


def test_levels_need_their_services(one_field_pdf, signer) -> None:
    with pytest.raises(InvalidRequest) as err:
        sign_pdf(one_field_pdf, request_for("zeist", "B-T"), signer)
    assert "tijdstempeldienst" in err.value.message
    with pytest.raises(InvalidRequest) as err:
        sign_pdf(one_field_pdf, request_for("zeist", "B-LT", tsa_url="http://127.0.0.1:9/tsa"), signer)
    assert "intrekkingsgegevens" in err.value.message


def test_unreachable_tsa_is_a_dutch_timestamp_error(one_field_pdf, signer) -> None:
    with socket.socket() as s:  # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(TimestampUnavailable) as err:
        sign_pdf(one_field_pdf, request_for("zeist", "B-T", tsa_url=f"http://127.0.0.1:{port}/tsa"), signer)
    assert err.value.message.startswith(
        "De tijdstempeldienst gaf geen geldig tijdstempel voor veld 'sig-zeist'"
    )


def test_stamp_keeps_every_letter_of_the_name() -> None:
    stamp = StampText(
        "Şükrü Çelik-Ørsted", "Wijkagent", "Politie — Midden-Nederland", signed_on=date(2024, 3, 1)
    )
    text = layout_stamp(stamp, 213, 69).text  # the agreement's signature box, in pt
    assert "Şükrü Çelik-Ørsted" in text  # Liberation Sans has the glyphs: nothing transliterated
    assert "Politie — Midden-Nederland" in text
    assert "op 1 maart 2024" in text


def test_stamp_of_a_mandated_signatory_is_wrapped_at_seven_points_or_more() -> None:
    stamp = StampText(
        "J.D. Bogerd",
        "Teamchef",
        "Politie Midden-Nederland",
        on_behalf_of="de politiechef van de eenheid Midden-Nederland, mw. drs. M.H.C. Barendse",
        mandate="mandaatbesluit van 11 april 2018",
        signed_on=date(2018, 6, 14),
    )
    laid_out = layout_stamp(stamp, 213, 69)
    assert laid_out.font_size >= 7 and not laid_out.shortened
    assert "Barendse" in laid_out.text  # wrapped onto a line of its own, not cut off
    tiny = layout_stamp(stamp, 150, 30)  # a box far too small: shortened, never smaller than 7 pt
    assert tiny.font_size == 7 and tiny.shortened
    assert len(tiny.lines) * 8 <= 30 - 10


def test_signed_stamp_is_drawn_in_an_embedded_font_at_its_laid_out_size(
    one_field_pdf, signer, tmp_path
) -> None:
    import re
    import subprocess

    from tests.pdfa import assert_pdfa

    signed = sign_pdf(one_field_pdf, replace(request_for("zeist"), stamp=stamp_for("politie")), signer)
    assert_pdfa(signed, "de ondertekende verklaring")
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert any("LiberationSans" in row for row in rows), fonts
    assert all(re.search(r"\byes\s+yes\s+yes\b", row) for row in rows), fonts  # emb, sub, uni
    from signing.pdfio import open_reader

    widget = open_reader(signed).embedded_signatures[0].sig_field
    stream = widget["/AP"]["/N"]
    sizes = {int(m) for m in re.findall(rb"/\w+ (\d+) Tf", _all_streams(stream))}
    assert sizes and min(sizes) >= 7, sizes
    scaled_down = rb"0\.\d+ 0 0 0\.\d+ [\d.]+ [\d.]+ cm"  # a shrink-to-fit transformation
    assert not re.search(scaled_down, _all_streams(stream))


def _all_streams(stream) -> bytes:  # type: ignore[no-untyped-def]
    data = stream.data
    for xobject in stream.get("/Resources", {}).get("/XObject", {}).values():
        data += _all_streams(xobject.get_object())
    return bytes(data)


def test_signature_name_keeps_the_exact_spelling(one_field_pdf, signer) -> None:
    from signing.pdfio import open_reader

    request = replace(
        request_for("zeist"),
        stamp=StampText("Şükrü Çelik", "Wijkagent", "Politie", signed_on=date(2024, 3, 1)),
    )
    signed = sign_pdf(one_field_pdf, request, signer)
    sig = open_reader(signed).embedded_signatures[0]
    assert str(sig.sig_object["/Name"]) == "Şükrü Çelik"


def test_development_pki_created_by_concurrent_processes_is_one_consistent_set(tmp_path) -> None:
    import subprocess
    import sys

    code = (
        "import sys; from signing import ensure_development_pki; "
        "print(ensure_development_pki(sys.argv[1]).passphrase)"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(tmp_path / "keys")], stdout=subprocess.PIPE, text=True
        )
        for _ in range(3)
    ]
    passphrases = {p.communicate(timeout=120)[0].strip() for p in procs}
    assert len(passphrases) == 1
    pki = ensure_development_pki(tmp_path / "keys")
    assert open_signer(pki.key).subject  # the PKCS#12 opens with the one passphrase all processes saw


def test_one_signer_signs_from_many_threads_at_once(one_field_pdf, pki, signer, trust) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from signing import validate_pdf

    def sign(i: int) -> bytes:
        level = "B-T" if i % 2 else "B-B"
        return sign_pdf(one_field_pdf, request_for("zeist", level, tsa_url=pki.tsa_url), signer)

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(sign, range(12)))
    assert len({r for r in results}) == 12
    for pdf in results:
        assert validate_pdf(pdf, trust).by_field("sig-zeist").indication == "TOTAL_PASSED"


def test_a_too_small_remembered_signature_size_is_measured_again(one_field_pdf, pki, trust) -> None:
    from signing import validate_pdf

    fresh = open_signer(Pkcs12Key(pki.signer_p12, pki.passphrase))
    fresh.reserved_bytes["B-B|"] = 2_000  # far too small for any CMS signature
    signed = sign_pdf(one_field_pdf, request_for("zeist"), fresh)
    assert validate_pdf(signed, trust).by_field("sig-zeist").indication == "TOTAL_PASSED"
    assert fresh.reserved_bytes["B-B|"] > 2_000


def test_development_key_signs_b_lt_and_is_trusted_only_when_configured(tmp_path, one_field_pdf, pki) -> None:
    from service.signatures.wiring import trust_for_signing

    settings = Settings(
        data_dir=tmp_path / "data", signature_level="B-LT", tsa_url=pki.tsa_url, trust_roots=[pki.root_path]
    )
    request = replace(
        request_for("zeist", "B-LT", tsa_url=pki.tsa_url), trust=trust_for_signing(settings)
    )  # the service builds this request; the development CA anchors our own chain while collecting
    signed = sign_pdf(one_field_pdf, request, signer_from_settings(settings))
    untrusted = validate_document(signed, settings).by_field("sig-zeist")
    assert untrusted.sub_indication == "NO_CERTIFICATE_CHAIN_FOUND"
    trusted = validate_document(signed, settings.model_copy(update={"trust_development_ca": True}))
    sig = trusted.by_field("sig-zeist")
    assert (sig.indication, sig.level) == ("TOTAL_PASSED", "B-LT")


def test_every_stamp_uses_the_one_font_the_fields_brought(five_field_pdf, signer) -> None:
    from signing.stampfont import RESOURCE_NAME
    from tests.signing.conftest import PARTIES, stamp_text

    pdf = five_field_pdf
    for party in PARTIES[:3]:
        pdf = sign_pdf(pdf, request_for(party), signer)
    assert pdf.count(b"/FontFile2") == five_field_pdf.count(b"/FontFile2")  # no font embedded per stamp
    assert pdf.count(RESOURCE_NAME.encode()) > five_field_pdf.count(RESOURCE_NAME.encode())
    assert "J.D. Bogerd Teamchef Politie Midden-Nederland" in stamp_text(pdf, "sig-politie")


def test_fields_made_by_other_software_get_a_font_subset_of_their_own(signer, tmp_path) -> None:
    import subprocess
    from io import BytesIO

    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields as pdf_fields

    from tests.pdfa import assert_pdfa

    writer = IncrementalPdfFileWriter(BytesIO(render_declaration(("zeist",))))
    pdf_fields.append_signature_field(
        writer, pdf_fields.SigFieldSpec("sig-zeist", on_page=0, box=(57, 600, 284, 674))
    )
    out = BytesIO()
    writer.write(out)
    signed = sign_pdf(out.getvalue(), request_for("zeist"), signer)
    assert_pdfa(signed, "ondertekend zonder gedeeld lettertype")
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "LiberationSans" in fonts and "Courier" not in fonts
