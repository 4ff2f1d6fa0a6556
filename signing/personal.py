"""A certificate per signatory: a short-lived certificate for one person, from the operator's signing CA.

The signing CA's key is a PKCS#12 file the operator configures (the development signing CA, marked NIET
VERTROUWD, by default). For each signature a fresh EC P-256 key is generated, a certificate naming the
person (name, organisation, function, e-mail) is issued for a few minutes under our certificate policy,
and the key is dropped when the signature is made: nothing stores it, and the certificate expires before
it could be reused. The certificate's policy notice names the authentication evidence (an id the service
records in its audit), so the signature itself points at how the signatory was identified.

What this is: an electronic signature with a certificate that names the signatory, issued after she proved
control of her e-mail address. It is not a qualified signature (no qualified certificate, no QSCD).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from asn1crypto import keys as asn1_keys  # type: ignore[import-untyped]
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko_certvalidator.registry import SimpleCertificateStore

from signing.errors import InvalidRequest, KeyUnavailable
from signing.keys import Pkcs12Key, Signer, _LoadedKeySigner

# Our certificate policy for signatory certificates: an OID under the UUID arc 2.25 (ITU-T X.667), which
# needs no registration. Its meaning: "one-time certificate for one signature in convenant; the holder
# proved control of the e-mail address in the certificate with a one-time code".
POLICY_OID = "2.25.141787592137203593493577329787069411631"
VALIDITY = timedelta(minutes=10)


@dataclass(frozen=True)
class Person:
    """Who the certificate names."""

    name: str
    organisation: str
    function: str
    email: str

    def check(self) -> None:
        for label, value in (("naam", self.name), ("organisatie", self.organisation)):
            if not value.strip():
                raise InvalidRequest(f"Een persoonlijk certificaat vereist een {label}.")
        if "@" not in self.email:
            raise InvalidRequest(f"Een persoonlijk certificaat vereist een e-mailadres, niet '{self.email}'.")


@dataclass(frozen=True)
class PersonalKey:
    """Where a personal signer's key lives: nowhere but in memory, for one signature."""

    person: Person
    serial: int


@dataclass
class SigningCa:
    """The loaded signing CA: its key, certificate, and the chain above it (without the root)."""

    certificate: x509.Certificate
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey = field(repr=False)
    chain: list[x509.Certificate]

    @property
    def subject(self) -> str:
        return self.certificate.subject.rfc4514_string()


_cas: dict[tuple[Path, float], SigningCa] = {}
_cas_lock = threading.Lock()


def load_signing_ca(source: Pkcs12Key) -> SigningCa:
    """The signing CA from its PKCS#12 file (opened once per file version)."""
    try:
        stamp = Path(source.path).stat().st_mtime
        data = Path(source.path).read_bytes()
    except OSError as exc:
        raise KeyUnavailable(
            f"Het bestand van de onderteken-CA {source.path} kan niet worden gelezen."
        ) from exc
    with _cas_lock:
        cached = _cas.get((Path(source.path), stamp))
        if cached is not None:
            return cached
        passphrase = source.passphrase.encode("utf-8") if source.passphrase is not None else None
        try:
            key, cert, extra = pkcs12.load_key_and_certificates(data, passphrase)
        except (ValueError, TypeError) as exc:
            raise KeyUnavailable(
                f"Het bestand van de onderteken-CA {source.path} kan niet worden geopend: "
                "wachtwoord onjuist of bestand beschadigd."
            ) from exc
        if not isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)) or cert is None:
            raise KeyUnavailable(
                f"Het bestand {source.path} bevat geen CA-sleutel (RSA of EC) met certificaat."
            )
        basic = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
        if not basic.ca:
            raise KeyUnavailable(f"Het certificaat in {source.path} is geen CA-certificaat.")
        ca = SigningCa(cert, key, [c for c in (extra or []) if c.subject != c.issuer])
        _cas[(Path(source.path), stamp)] = ca
        return ca


def _der(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def issue_personal_signer(
    ca: SigningCa, person: Person, *, evidence: str, now: datetime | None = None
) -> Signer:
    """A signer for one signature by ``person``: a new key and a certificate valid for ``VALIDITY``.

    ``evidence`` is the id of the recorded authentication evidence; it goes into the certificate's policy
    notice. Drop the returned signer after signing: the key exists nowhere else.
    """
    person.check()
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "NL"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, person.organisation[:64]),
            x509.NameAttribute(NameOID.TITLE, (person.function or "ondertekenaar")[:64]),
            x509.NameAttribute(NameOID.COMMON_NAME, person.name[:64]),
            x509.NameAttribute(NameOID.EMAIL_ADDRESS, person.email[:128]),
        ]
    )
    notice = (
        "Eenmalig ondertekencertificaat (convenant). Identiteit bevestigd met een eenmalige code per "
        f"e-mail; bewijs {evidence[:64]}."
    )[:200]
    serial = x509.random_serial_number()
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca.certificate.subject)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(now - timedelta(minutes=1))
        .not_valid_after(now + VALIDITY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectAlternativeName([x509.RFC822Name(person.email)]), critical=False)
        .add_extension(
            x509.CertificatePolicies(
                [x509.PolicyInformation(x509.ObjectIdentifier(POLICY_OID), [x509.UserNotice(None, notice)])]
            ),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False
        )
    )
    cert = builder.sign(ca.key, hashes.SHA256())
    store = SimpleCertificateStore()  # type: ignore[no-untyped-call]
    store.register_multiple([_der(c) for c in (ca.certificate, *ca.chain) if c.subject != c.issuer])
    key_info = asn1_keys.PrivateKeyInfo.load(
        key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    cms_signer = _LoadedKeySigner(key, signing_cert=_der(cert), signing_key=key_info, cert_registry=store)
    return Signer(cms_signer, PersonalKey(person, serial))


def certificate_policies(cert: asn1_x509.Certificate) -> list[str]:
    """The policy OIDs in a certificate (for reports and tests)."""
    ext = cert.certificate_policies_value
    return [p["policy_identifier"].dotted for p in ext] if ext is not None else []
