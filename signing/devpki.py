"""The development PKI: a CA and a signing certificate created on first start, clearly untrusted.

Production installations configure their own PKCS#12 file or PKCS#11 token; this exists so a fresh
installation can sign at all. Every certificate subject says it is untrusted development material, and
validation only trusts the CA when the operator explicitly configures it as a trust root.
"""

from __future__ import annotations

import fcntl
import logging
import os
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from signing.certificates import self_signed_ca, signing_certificate_builder
from signing.keys import Pkcs12Key

log = logging.getLogger("convenant.signing")

DEVELOPMENT_ORGANISATION = "convenant ONTWIKKELING — NIET VERTROUWD"
CA_FILE = "ontwikkel-ca.pem"
PKCS12_FILE = "ontwikkel-ondertekening.p12"
PASSPHRASE_FILE = "ontwikkel-ondertekening.wachtwoord"
SIGNING_CA_FILE = "ontwikkel-onderteken-ca.p12"
SIGNING_CA_NAME = "convenant ontwikkel-onderteken-CA voor personen (NIET VERTROUWD)"


@dataclass(frozen=True)
class DevelopmentPki:
    ca_cert_path: Path
    pkcs12_path: Path
    passphrase: str = field(repr=False)
    created: bool = False

    @property
    def key(self) -> Pkcs12Key:
        return Pkcs12Key(self.pkcs12_path, self.passphrase)

    @property
    def signing_ca(self) -> Pkcs12Key:
        """The development CA that issues each signatory's one-time certificate (same passphrase).
        Its certificate is in ``ca_cert_path`` too, so whoever trusts the development CA trusts both."""
        return Pkcs12Key(self.ca_cert_path.parent / SIGNING_CA_FILE, self.passphrase)


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "NL"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, DEVELOPMENT_ORGANISATION),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def ensure_development_pki(keys_dir: Path) -> DevelopmentPki:
    """Create (once) a development CA and signing certificate in ``keys_dir``; return where they are."""
    keys_dir = Path(keys_dir)
    existing = _existing(keys_dir)
    if existing is not None and (keys_dir / SIGNING_CA_FILE).exists():
        return existing
    keys_dir.mkdir(parents=True, exist_ok=True)
    # Several worker processes may start at once: one creates, the others wait and read its files.
    with open(keys_dir / ".ontwikkel-pki.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            existing = _existing(keys_dir)
            if existing is None:
                existing = _create(keys_dir)
            if not (keys_dir / SIGNING_CA_FILE).exists():
                _create_signing_ca(existing)
            return existing
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _create_signing_ca(pki: DevelopmentPki) -> None:
    """A self-signed development CA for signatory certificates; its certificate is appended to the
    development CA file, which trust configurations already name."""
    now = datetime.now(UTC) - timedelta(minutes=5)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = self_signed_ca(key, _name(SIGNING_CA_NAME), not_before=now, days=3650)
    p12 = pkcs12.serialize_key_and_certificates(
        b"convenant-onderteken-ca",
        key,
        cert,
        None,
        serialization.BestAvailableEncryption(pki.passphrase.encode("utf-8")),
    )
    bundle = pki.ca_cert_path.read_bytes() + cert.public_bytes(serialization.Encoding.PEM)
    tmp = pki.ca_cert_path.with_suffix(".tmp")
    tmp.write_bytes(bundle)
    os.replace(tmp, pki.ca_cert_path)
    _write_private(pki.ca_cert_path.parent / SIGNING_CA_FILE, p12)  # written last: the set is complete
    log.warning(
        "Ontwikkel-onderteken-CA aangemaakt in %s (NIET VERTROUWD); configureer voor productie een eigen "
        "onderteken-CA (signing_ca_pkcs12_path).",
        pki.ca_cert_path.parent,
    )


def _existing(keys_dir: Path) -> DevelopmentPki | None:
    ca_path, p12_path, pass_path = keys_dir / CA_FILE, keys_dir / PKCS12_FILE, keys_dir / PASSPHRASE_FILE
    if ca_path.exists() and p12_path.exists() and pass_path.exists():
        return DevelopmentPki(ca_path, p12_path, pass_path.read_text("utf-8").strip())
    return None


def _create(keys_dir: Path) -> DevelopmentPki:
    ca_path, p12_path, pass_path = keys_dir / CA_FILE, keys_dir / PKCS12_FILE, keys_dir / PASSPHRASE_FILE
    now = datetime.now(UTC) - timedelta(minutes=5)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    ca_name = _name("convenant ontwikkel-CA (NIET VERTROUWD)")
    ca_cert = self_signed_ca(ca_key, ca_name, not_before=now, days=3650, digital_signature=True)
    signer_key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    signer_cert = signing_certificate_builder(
        _name("convenant ontwikkel-ondertekensleutel (NIET VERTROUWD)"),
        signer_key.public_key(),
        ca_cert,
        not_before=now,
        not_after=now + timedelta(days=1825),
    ).sign(ca_key, hashes.SHA256())
    passphrase = secrets.token_urlsafe(24)
    p12 = pkcs12.serialize_key_and_certificates(
        b"convenant-ontwikkeling",
        signer_key,
        signer_cert,
        [ca_cert],
        serialization.BestAvailableEncryption(passphrase.encode("utf-8")),
    )
    _write_private(pass_path, passphrase.encode("utf-8"))
    _write_private(p12_path, p12)
    tmp_ca = ca_path.with_suffix(".tmp")
    tmp_ca.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    os.replace(tmp_ca, ca_path)  # written last: its presence means the set is complete
    log.warning(
        "Ontwikkelsleutel aangemaakt in %s. Deze CA en sleutel zijn NIET VERTROUWD en alleen bedoeld voor "
        "ontwikkeling en demonstratie; configureer voor productie een eigen PKCS#12-bestand "
        "of PKCS#11-token.",
        keys_dir,
    )
    return DevelopmentPki(ca_path, p12_path, passphrase, created=True)
