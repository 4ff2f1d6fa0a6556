"""The same signatures with the key on a PKCS#11 token (SoftHSM2), initialised by the test itself."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from service.settings import Settings
from service.signatures.wiring import signing_ca_from_settings
from signing import (
    KeyUnavailable,
    Pkcs11Key,
    TrustConfig,
    close_signers,
    list_signature_fields,
    open_signer,
    seal_document,
    sign_pdf,
    validate_pdf,
)
from signing.personal import (
    POLICY_OID,
    Person,
    SigningCa,
    certificate_policies,
    issue_personal_signer,
    load_signing_ca,
)
from tests.signing.conftest import request_for

MODULE = Path("/usr/lib/softhsm/libsofthsm2.so")
TOKEN, PIN, SO_PIN = "convenant-test", "246810", "13579111"
CA_KEY_LABEL = "onderteken-ca"


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
    # The signing CA (issues each signatory's one-time certificate): the intermediate CA's key and
    # certificate, found by id 0a (its label differs from the certificate's on purpose).
    ca_pem = base / "ca.key.pem"
    ca_pem.write_bytes(pki.keys_pem["interm"])
    _run(
        "softhsm2-util",
        "--import",
        str(ca_pem),
        "--token",
        TOKEN,
        "--label",
        CA_KEY_LABEL,
        "--id",
        "0a",
        "--pin",
        PIN,
        env=env,
    )
    ca_pem.unlink()
    for label, cert_id, cert in (
        ("ondertekenaar", "01", pki.certs["signer"]),
        ("tussen-ca", "02", pki.certs["interm"]),
        ("onderteken-ca-certificaat", "0a", pki.certs["interm"]),
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


def _token_ca_settings(tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "data_dir": tmp_path,
        "signing_ca_backend": "pkcs11",
        "signing_ca_pkcs11_module": MODULE,
        "signing_ca_pkcs11_token_label": TOKEN,
        "signing_ca_pkcs11_pin": PIN,
        "signing_ca_pkcs11_key_label": CA_KEY_LABEL,
        "signing_ca_pkcs11_cert_label": "onderteken-ca-certificaat",
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


PERSON = Person("Anna de Vries", "Gemeente Zeist", "burgemeester", "a.devries@zeist.example.nl")


def _unrelated_root(directory: Path) -> Path:
    from datetime import UTC, datetime, timedelta

    from cryptography import x509 as pyca_x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = pyca_x509.Name([pyca_x509.NameAttribute(NameOID.COMMON_NAME, "Andere wortel")])
    now = datetime.now(UTC)
    cert = (
        pyca_x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(pyca_x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    path = directory / "andere-wortel.pem"
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return path


def _sign_and_check(ca: SigningCa, pdf: bytes, pki, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert ca.key is None and ca.token is not None  # the CA key is not in memory: it signs on the token
    signer = issue_personal_signer(ca, PERSON, evidence="bewijs-123")
    signed = sign_pdf(pdf, request_for("zeist", "B-B"), signer)
    cert = signer.certificate
    assert cert.subject.native["common_name"] == "Anna de Vries"
    assert cert.issuer == pki.certs["interm"].subject
    assert POLICY_OID in certificate_policies(cert)
    # pyHanko validates the signature with the token CA itself as the only trust root.
    only_the_ca = TrustConfig(roots=[pki.intermediate_path], allow_fetching=False)
    sig = validate_pdf(signed, only_the_ca).by_field("sig-zeist")
    assert sig.indication == "TOTAL_PASSED", sig.problems
    assert "Anna de Vries" in sig.signer
    # A root that did not issue it: the same signature is not trusted.
    other = validate_pdf(signed, TrustConfig(roots=[_unrelated_root(tmp_path)], allow_fetching=False))
    assert other.by_field("sig-zeist").indication != "TOTAL_PASSED"


def test_signing_ca_key_on_the_token_issues_a_certificate_that_validates(
    hsm_key, one_field_pdf, pki, tmp_path
) -> None:
    ca = load_signing_ca(replace(hsm_key, key_label=None, cert_label=None, key_id=bytes.fromhex("0a")))
    _sign_and_check(ca, one_field_pdf, pki, tmp_path)


def test_signing_ca_token_from_settings(hsm_key, one_field_pdf, pki, tmp_path) -> None:
    ca = signing_ca_from_settings(_token_ca_settings(tmp_path))
    _sign_and_check(ca, one_field_pdf, pki, tmp_path)
    by_id = signing_ca_from_settings(
        _token_ca_settings(
            tmp_path,
            signing_ca_pkcs11_key_label=None,
            signing_ca_pkcs11_cert_label=None,
            signing_ca_pkcs11_key_id="0A",
        )
    )
    assert by_id.certificate == ca.certificate


@pytest.mark.parametrize(
    ("overrides", "setting", "reason"),
    [
        ({"signing_ca_pkcs11_pin": None}, "CONVENANT_SIGNING_CA_PKCS11_PIN", "vereist de instellingen"),
        (
            {"signing_ca_pkcs11_key_label": None},
            "CONVENANT_SIGNING_CA_PKCS11_KEY_LABEL of CONVENANT_SIGNING_CA_PKCS11_KEY_ID",
            "vereist de instellingen",
        ),
        (
            {"signing_ca_pkcs11_key_id": "zz"},
            "Instelling CONVENANT_SIGNING_CA_PKCS11_KEY_ID",
            "geen hexadecimale",
        ),
        (
            {"signing_ca_pkcs11_module": Path("/bestaat/niet.so")},
            "Instelling CONVENANT_SIGNING_CA_PKCS11_MODULE",
            "bestaat niet",
        ),
        (
            {"signing_ca_pkcs11_token_label": "ander-token"},
            "Instelling CONVENANT_SIGNING_CA_PKCS11_TOKEN_LABEL",
            "geen PKCS#11-token met het label 'ander-token'",
        ),
        (
            {"signing_ca_pkcs11_key_label": "geen-ca", "signing_ca_pkcs11_cert_label": None},
            "Instelling CONVENANT_SIGNING_CA_PKCS11_KEY_LABEL",
            "geen sleutel 'geen-ca'",
        ),
        (
            {"signing_ca_pkcs11_key_label": "ondertekenaar", "signing_ca_pkcs11_cert_label": None},
            "Instelling CONVENANT_SIGNING_CA_PKCS11_KEY_LABEL",
            "geen CA-certificaat",
        ),
    ],
)
def test_signing_ca_token_settings_errors_name_the_setting(
    hsm_key, tmp_path, overrides, setting, reason
) -> None:
    with pytest.raises(KeyUnavailable) as err:
        signing_ca_from_settings(_token_ca_settings(tmp_path, **overrides))
    assert setting in err.value.message
    assert reason in err.value.message
    assert PIN not in err.value.message


# The two tests below close every open session first (a PKCS#11 login is shared by all sessions of a
# process), so they run last in this module.


def test_wrong_pin_is_a_dutch_key_error(hsm_key) -> None:
    close_signers()
    with pytest.raises(KeyUnavailable) as err:
        open_signer(replace(hsm_key, pin="000000"))
    assert TOKEN in err.value.message
    assert "pincode is onjuist" in err.value.message


def test_wrong_signing_ca_pin_names_the_setting(hsm_key, tmp_path) -> None:
    close_signers()
    with pytest.raises(KeyUnavailable) as err:
        signing_ca_from_settings(_token_ca_settings(tmp_path, signing_ca_pkcs11_pin="000000"))
    assert "Instelling CONVENANT_SIGNING_CA_PKCS11_PIN" in err.value.message
    assert "pincode is onjuist" in err.value.message


def test_missing_key_label_is_a_dutch_key_error(hsm_key) -> None:
    close_signers()
    with pytest.raises(KeyUnavailable) as err:
        open_signer(replace(hsm_key, key_label="bestaat-niet", cert_label="bestaat-niet"))
    assert "bestaat-niet" in err.value.message
