"""The same signatures with the key on a PKCS#11 token (SoftHSM2), initialised by the test itself."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from signing import (
    KeyUnavailable,
    Pkcs11Key,
    close_signers,
    list_signature_fields,
    open_signer,
    seal_document,
    sign_pdf,
    validate_pdf,
)
from tests.signing.conftest import request_for

MODULE = Path("/usr/lib/softhsm/libsofthsm2.so")
TOKEN, PIN, SO_PIN = "convenant-test", "246810", "13579111"


def _run(*args: str, env: dict[str, str]) -> None:
    subprocess.run(args, check=True, env=env, capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def hsm_key(pki, tmp_path_factory) -> Iterator[Pkcs11Key]:
    assert MODULE.exists(), "softhsm2 is not installed (see scripts/system-packages.txt)"
    assert shutil.which("pkcs11-tool"), "opensc (pkcs11-tool) is not installed"
    base = tmp_path_factory.mktemp("softhsm")
    (base / "tokens").mkdir()
    conf = base / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {base / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n"
    )
    previous = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(conf)  # read by libsofthsm2 when python-pkcs11 initialises it
    env = dict(os.environ)
    _run(
        "softhsm2-util", "--init-token", "--free", "--label", TOKEN, "--pin", PIN, "--so-pin", SO_PIN, env=env
    )
    key_pem = base / "signer.key.pem"
    key_pem.write_bytes(pki.keys_pem["signer"])
    _run(
        "softhsm2-util",
        "--import",
        str(key_pem),
        "--token",
        TOKEN,
        "--label",
        "ondertekenaar",
        "--id",
        "01",
        "--pin",
        PIN,
        env=env,
    )
    key_pem.unlink()
    for label, cert_id, cert in (
        ("ondertekenaar", "01", pki.certs["signer"]),
        ("tussen-ca", "02", pki.certs["interm"]),
    ):
        der = base / f"{label}.der"
        der.write_bytes(cert.dump())
        _run(
            "pkcs11-tool",
            "--module",
            str(MODULE),
            "--token-label",
            TOKEN,
            "--login",
            "--pin",
            PIN,
            "--write-object",
            str(der),
            "--type",
            "cert",
            "--label",
            label,
            "--id",
            cert_id,
            env=env,
        )
    yield Pkcs11Key(
        module=MODULE, token_label=TOKEN, pin=PIN, key_label="ondertekenaar", cert_label="ondertekenaar"
    )
    if previous is None:
        os.environ.pop("SOFTHSM2_CONF", None)
    else:
        os.environ["SOFTHSM2_CONF"] = previous


@pytest.fixture(scope="module")
def hsm_signer(hsm_key):
    return open_signer(hsm_key)


def test_signer_is_opened_once_and_reused(hsm_key, hsm_signer) -> None:
    assert open_signer(hsm_key) is hsm_signer
    assert "Test Ondertekenaar" in hsm_signer.subject


@pytest.mark.parametrize("level", ["B-B", "B-T", "B-LT", "B-LTA"])
def test_hsm_signature_validates_at_each_level(
    level, hsm_signer, one_field_pdf, pki, trust, offline_trust
) -> None:
    pdf = sign_pdf(one_field_pdf, request_for("zeist", level, tsa_url=pki.tsa_url, trust=trust), hsm_signer)
    sig = validate_pdf(pdf, trust).by_field("sig-zeist")
    assert sig.indication == "TOTAL_PASSED", sig.problems
    assert sig.level == level
    assert any("Test Intermediate CA" in c for c in sig.trust_chain)
    if level in ("B-LT", "B-LTA"):
        before = list(pki.app.requests)
        assert validate_pdf(pdf, offline_trust).by_field("sig-zeist").indication == "TOTAL_PASSED"
        assert pki.app.requests == before


def test_hsm_multi_party_signing_and_seal(hsm_signer, five_field_pdf, pki, trust) -> None:
    pdf = five_field_pdf
    for party in ("woongoed", "zeist", "politie", "meander", "rkwbv"):
        pdf = sign_pdf(pdf, request_for(party, "B-LT", tsa_url=pki.tsa_url, trust=trust), hsm_signer)
    assert all(f.signed for f in list_signature_fields(pdf))
    report = validate_pdf(seal_document(pdf, pki.tsa_url, trust), trust)
    assert report.all_passed, [(s.field_name, s.sub_indication, s.problems) for s in report.signatures]
    assert len(report.signatures) == 6


# The two tests below close every open session first (a PKCS#11 login is shared by all sessions of a
# process), so they run last in this module.


def test_wrong_pin_is_a_dutch_key_error(hsm_key) -> None:
    from dataclasses import replace

    close_signers()
    with pytest.raises(KeyUnavailable) as err:
        open_signer(replace(hsm_key, pin="000000"))
    assert TOKEN in err.value.message
    assert "pincode is onjuist" in err.value.message


def test_missing_key_label_is_a_dutch_key_error(hsm_key) -> None:
    from dataclasses import replace

    close_signers()
    with pytest.raises(KeyUnavailable) as err:
        open_signer(replace(hsm_key, key_label="bestaat-niet", cert_label="bestaat-niet"))
    assert "bestaat-niet" in err.value.message
