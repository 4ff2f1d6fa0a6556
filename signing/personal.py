"""A certificate per signatory: a short-lived certificate for one person, from the operator's signing CA.

The signing CA's key is a PKCS#12 file or a key on a PKCS#11 token the operator configures (the development
signing CA, marked NIET VERTROUWD, by default). With a token the certificate is assembled here and only its
to-be-signed part goes to the token, which signs it with the CA key; the key never leaves the token.

For each signature a fresh EC P-256 key is generated, a certificate naming the person (name,
organisation, function, e-mail) is issued for a few minutes under our certificate policy,
and the key is dropped when the signature is made: nothing stores it, and the certificate expires before
it could be reused. The certificate's policy notice names the authentication evidence (an id the service
records in its audit), so the signature itself points at how the signatory was identified.

What this is: an electronic signature with a certificate that names the signatory, issued after she proved
control of her e-mail address. It is not a qualified signature (no qualified certificate, no QSCD).
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from asn1crypto import algos as asn1_algos  # type: ignore[import-untyped]
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko_certvalidator.registry import SimpleCertificateStore

from signing.certificates import signing_certificate_builder
from signing.errors import InvalidRequest, KeyUnavailable
from signing.keys import Pkcs11Key, Pkcs12Key, Signer, _LoadedKeySigner, open_signer

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


# The certificate signature algorithm for a token key's signing mechanism (SHA-256 throughout).
_TOKEN_ALGORITHMS = {"rsassa_pkcs1v15": "sha256_rsa", "ecdsa": "sha256_ecdsa"}


@dataclass
class SigningCa:
    """The loaded signing CA: its certificate, the chain above it (without the root), and its key — in
    memory (``key``, from a PKCS#12 file) or on a PKCS#11 token (``token``)."""

    certificate: x509.Certificate
    chain: list[x509.Certificate]
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | None = field(default=None, repr=False)
    token: Signer | None = field(default=None, repr=False)

    @property
    def subject(self) -> str:
        return self.certificate.subject.rfc4514_string()

    def sign(
        self, builder: x509.CertificateBuilder, stand_in: ec.EllipticCurvePrivateKey
    ) -> x509.Certificate:
        """Sign the certificate ``builder`` describes with the CA key.

        For a token key, cryptography first builds the certificate signed by ``stand_in`` (any key: only
        its to-be-signed part is used), the signature algorithm in that part is set to the token key's, and
        the token signs it. The result is checked against the CA certificate before it is returned.
        """
        if self.key is not None:
            return builder.sign(self.key, hashes.SHA256())
        assert self.token is not None
        cms_signer = self.token.cms_signer
        mechanism = cms_signer.get_signature_mechanism_for_digest("sha256").signature_algo
        algorithm = _TOKEN_ALGORITHMS.get(mechanism)
        if algorithm is None:
            raise KeyUnavailable(
                f"De sleutel van de onderteken-CA op het token gebruikt {mechanism}; "
                "ondersteund zijn RSA (PKCS#1 v1.5) en ECDSA."
            )
        tbs = asn1_x509.TbsCertificate.load(builder.sign(stand_in, hashes.SHA256()).tbs_certificate_bytes)
        tbs["signature"] = asn1_algos.SignedDigestAlgorithm({"algorithm": algorithm})
        to_sign = tbs.dump(force=True)
        with self.token.lock:
            signature = asyncio.run(cms_signer.async_sign_raw(to_sign, "sha256"))
        der = asn1_x509.Certificate(
            {
                "tbs_certificate": asn1_x509.TbsCertificate.load(to_sign),
                "signature_algorithm": {"algorithm": algorithm},
                "signature_value": signature,
            }
        ).dump()
        cert = x509.load_der_x509_certificate(der)
        try:
            cert.verify_directly_issued_by(self.certificate)
        except (ValueError, TypeError, InvalidSignature) as exc:
            raise KeyUnavailable(
                "De sleutel op het token hoort niet bij het certificaat van de onderteken-CA: "
                "het uitgegeven certificaat is niet geldig ondertekend."
            ) from exc
        return cert


_cas: dict[tuple[Pkcs12Key | Pkcs11Key, float], SigningCa] = {}
_cas_lock = threading.Lock()


def _check_ca(cert: x509.Certificate, where: str) -> None:
    try:
        basic = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
    except x509.ExtensionNotFound:
        basic = None
    if basic is None or not basic.ca:
        raise KeyUnavailable(f"Het certificaat {where} is geen CA-certificaat.")


def load_signing_ca(source: Pkcs12Key | Pkcs11Key) -> SigningCa:
    """The signing CA from its PKCS#12 file (opened once per file version) or its PKCS#11 token."""
    if isinstance(source, Pkcs11Key):
        return _load_token_ca(source)
    try:
        stamp = Path(source.path).stat().st_mtime
        data = Path(source.path).read_bytes()
    except OSError as exc:
        raise KeyUnavailable(
            f"Het bestand van de onderteken-CA {source.path} kan niet worden gelezen."
        ) from exc
    with _cas_lock:
        cached = _cas.get((source, stamp))
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
        _check_ca(cert, f"in {source.path}")
        ca = SigningCa(cert, [c for c in (extra or []) if c.subject != c.issuer], key=key)
        _cas[(source, stamp)] = ca
        return ca


def _load_token_ca(source: Pkcs11Key) -> SigningCa:
    token = open_signer(source)  # one session per token key, shared with every later call
    with _cas_lock:
        cached = _cas.get((source, 0.0))
        if cached is not None and cached.token is token:
            return cached
        cert = x509.load_der_x509_certificate(token.certificate.dump())
        _check_ca(cert, f"bij de sleutel op het PKCS#11-token '{source.token_label}'")
        registry = token.cms_signer.cert_registry
        chain = [
            x509.load_der_x509_certificate(c.dump())
            for c in (registry or [])
            if c.subject != c.issuer and c.dump() != token.certificate.dump()
        ]
        ca = SigningCa(cert, chain, token=token)
        _cas[(source, 0.0)] = ca
        return ca


def _der(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def issue_personal_signer(
    ca: SigningCa,
    person: Person,
    *,
    evidence: str,
    now: datetime | None = None,
    confirmed_with: str = "een eenmalige code per e-mail",
) -> Signer:
    """A signer for one signature by ``person``: a new key and a certificate valid for ``VALIDITY``.

    ``evidence`` is the id of the recorded authentication evidence; it goes into the certificate's policy
    notice, with ``confirmed_with`` (how the signatory was identified). Drop the returned signer after
    signing: the key exists nowhere else.
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
        f"Eenmalig ondertekencertificaat (convenant). Identiteit bevestigd met {confirmed_with}; "
        f"bewijs {evidence[:64]}."
    )[:200]
    serial = x509.random_serial_number()
    builder = (
        signing_certificate_builder(
            subject,
            key.public_key(),
            ca.certificate,
            not_before=now - timedelta(minutes=1),
            not_after=now + VALIDITY,
            serial=serial,
        )
        .add_extension(x509.SubjectAlternativeName([x509.RFC822Name(person.email)]), critical=False)
        .add_extension(
            x509.CertificatePolicies(
                [x509.PolicyInformation(x509.ObjectIdentifier(POLICY_OID), [x509.UserNotice(None, notice)])]
            ),
            critical=False,
        )
    )
    cert = ca.sign(builder, key)
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
