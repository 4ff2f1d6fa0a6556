"""Signing keys: where they live (PKCS#12 file, PKCS#11 token) and the loaded, reusable signer.

Opening a key is expensive — a PKCS#12 file is decrypted with a deliberately slow KDF, the private
key is parsed and checked, the certificate chain is read and indexed; a PKCS#11 token needs a session
and a login. ``open_signer`` does that once per key and hands out the same ``Signer`` afterwards.
"""

from __future__ import annotations

import logging
import threading
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from asn1crypto import keys as asn1_keys  # type: ignore[import-untyped]
from asn1crypto import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from pkcs11 import exceptions as p11_errors
from pyhanko.config.pkcs11 import TokenCriteria
from pyhanko.keys import load_certs_from_pemder
from pyhanko.sign import signers
from pyhanko.sign.general import get_pyca_cryptography_hash  # type: ignore[attr-defined]
from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session
from pyhanko_certvalidator.registry import SimpleCertificateStore

from signing.errors import KeyUnavailable

log = logging.getLogger("convenant.signing")


@dataclass(frozen=True)
class Pkcs12Key:
    """A key and certificate chain in a PKCS#12 (.p12/.pfx) file."""

    path: Path
    passphrase: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Pkcs11Key:
    """A key on a PKCS#11 token (an HSM, a smart card, SoftHSM2)."""

    module: Path
    token_label: str
    pin: str = field(repr=False)
    key_label: str | None
    cert_label: str | None = None
    extra_certs: tuple[Path, ...] = ()  # chain certificates not stored on the token
    key_id: bytes | None = None  # CKA_ID of the key (and of its certificate), with or instead of the label


KeySource = Pkcs12Key | Pkcs11Key


class _LoadedKeySigner(signers.SimpleSigner):
    """pyHanko's SimpleSigner re-parses (and re-checks) the private key on every signature; this one
    keeps the parsed key object."""

    def __init__(self, pyca_key: object, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._pyca_key = pyca_key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        algo = mechanism.signature_algo
        key = self._pyca_key
        if algo == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPrivateKey):
            return key.sign(data, padding.PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
        if algo == "ecdsa" and isinstance(key, ec.EllipticCurvePrivateKey):
            return key.sign(data, ec.ECDSA(get_pyca_cryptography_hash(digest_algorithm)))
        return super().sign_raw(data, digest_algorithm)


class Signer:
    """A loaded key with its certificate chain. Thread-safe; reuse it for every signature."""

    def __init__(self, cms_signer: signers.Signer, source: object) -> None:
        """``source``: a ``KeySource``, or ``signing.personal.PersonalKey`` for a one-signature key."""
        self.cms_signer = cms_signer
        self.source = source
        # A PKCS#11 session is not safe for concurrent use: signatures with a token key take turns. An
        # in-memory key signs concurrently (a slow TSA then holds up only its own request).
        self.lock: AbstractContextManager[object] = (
            threading.Lock() if isinstance(source, Pkcs11Key) else nullcontext()
        )
        # Signature sizes measured once per level, so pyHanko need not do a dry-run signature per document.
        self.reserved_bytes: dict[str, int] = {}

    @property
    def certificate(self) -> x509.Certificate:
        cert = self.cms_signer.signing_cert
        assert cert is not None
        return cert

    @property
    def subject(self) -> str:
        return str(self.certificate.subject.human_friendly)

    def __repr__(self) -> str:
        return f"Signer({self.subject!r})"


def _load_pkcs12(key: Pkcs12Key) -> Signer:
    try:
        data = Path(key.path).read_bytes()
    except OSError as exc:
        raise KeyUnavailable(
            f"Het sleutelbestand {key.path} kan niet worden gelezen ({exc.strerror})."
        ) from exc
    passphrase = key.passphrase.encode("utf-8") if key.passphrase is not None else None
    try:
        pyca_key, pyca_cert, extra = pkcs12.load_key_and_certificates(data, passphrase)
    except (ValueError, TypeError) as exc:
        raise KeyUnavailable(
            f"Het sleutelbestand {key.path} kan niet worden geopend: "
            "wachtwoord onjuist of bestand beschadigd."
        ) from exc
    if pyca_key is None or pyca_cert is None:
        raise KeyUnavailable(f"Het sleutelbestand {key.path} bevat geen sleutel met certificaat.")
    cert = x509.Certificate.load(pyca_cert.public_bytes(serialization.Encoding.DER))
    kinfo = asn1_keys.PrivateKeyInfo.load(
        pyca_key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    store = SimpleCertificateStore()  # type: ignore[no-untyped-call]
    # The chain goes into every signature, except self-signed roots: a validator takes those from its own
    # trust store, never from the signature (saves ~1.5 KB per signature).
    store.register_multiple(
        x509.Certificate.load(c.public_bytes(serialization.Encoding.DER))
        for c in (extra or [])
        if c.subject != c.issuer
    )
    cms_signer = _LoadedKeySigner(pyca_key, signing_cert=cert, signing_key=kinfo, cert_registry=store)
    return Signer(cms_signer, key)


class TokenProblem(KeyUnavailable):
    """A PKCS#11 key that could not be opened; ``part`` says what was wrong: "module", "token", "pin" or
    "key" (so the caller can name its own setting)."""

    def __init__(self, message: str, part: str) -> None:
        super().__init__(message)
        self.part = part


def _key_name(key: Pkcs11Key) -> str:
    names = [f"'{key.key_label}'"] if key.key_label else []
    if key.key_id is not None:
        names.append(f"met id {key.key_id.hex()}")
    return " ".join(names) or "(zonder label of id)"


def _load_pkcs11(key: Pkcs11Key) -> Signer:
    if not Path(key.module).is_file():
        raise TokenProblem(f"De PKCS#11-module {key.module} bestaat niet.", "module")
    if key.key_label is None and key.key_id is None:
        raise TokenProblem("Voor een PKCS#11-sleutel is een label of een id nodig.", "key")
    criteria = TokenCriteria(label=key.token_label)
    try:
        try:
            session = open_pkcs11_session(str(key.module), token_criteria=criteria, user_pin=key.pin)
        except p11_errors.UserAlreadyLoggedIn:
            # PKCS#11 logins are per application: another key on this token is already open.
            session = open_pkcs11_session(str(key.module), token_criteria=criteria, user_pin=None)
    except p11_errors.PinIncorrect as exc:
        raise TokenProblem(
            f"Het PKCS#11-token '{key.token_label}' kan niet worden geopend: de pincode is onjuist.", "pin"
        ) from exc
    except p11_errors.PKCS11Error as exc:
        if "No token" in str(exc):
            raise TokenProblem(
                f"Er is geen PKCS#11-token met het label '{key.token_label}' gevonden in {key.module}.",
                "token",
            ) from exc
        raise TokenProblem(
            f"Het PKCS#11-token '{key.token_label}' kan niet worden geopend ({type(exc).__name__}); "
            "controleer module, tokenlabel en pincode.",
            "token",
        ) from exc
    except Exception as exc:  # python-pkcs11 raises a zoo of exception types (a bad module: RuntimeError)
        raise TokenProblem(
            f"Het PKCS#11-token '{key.token_label}' kan niet worden geopend ({type(exc).__name__}); "
            "controleer module, tokenlabel en pincode.",
            "module",
        ) from exc
    try:
        extra = (
            list(load_certs_from_pemder([str(p) for p in key.extra_certs]))  # type: ignore[no-untyped-call]
            if key.extra_certs
            else None
        )
        cms_signer = PKCS11Signer(
            session,
            key_label=key.key_label,
            key_id=key.key_id,
            cert_label=key.cert_label or key.key_label,
            cert_id=key.key_id if key.cert_label is None else None,
            other_certs_to_pull=None,  # pull the chain stored on the token
            ca_chain=extra,
        )
        _ = cms_signer.signing_cert  # forces the certificate lookup now, not at the first signature
    except Exception as exc:
        session.close()
        raise TokenProblem(
            f"Op het PKCS#11-token '{key.token_label}' is geen sleutel {_key_name(key)} "
            "met certificaat gevonden.",
            "key",
        ) from exc
    return Signer(cms_signer, key)


_cache: dict[tuple[KeySource, float], Signer] = {}
_cache_lock = threading.Lock()


def open_signer(key: KeySource) -> Signer:
    """Load the key once and return the same ``Signer`` on later calls (reloaded if the file changed)."""
    stamp = 0.0
    if isinstance(key, Pkcs12Key):
        try:
            stamp = Path(key.path).stat().st_mtime
        except OSError as exc:
            raise KeyUnavailable(f"Het sleutelbestand {key.path} bestaat niet.") from exc
    with _cache_lock:
        cached = _cache.get((key, stamp))
        if cached is not None:
            return cached
        signer = _load_pkcs12(key) if isinstance(key, Pkcs12Key) else _load_pkcs11(key)
        for old in [k for k in _cache if k[0] == key]:
            del _cache[old]
        _cache[(key, stamp)] = signer
        return signer


def close_signers() -> None:
    """Forget every cached signer (closing PKCS#11 sessions). For shutdown and tests."""
    with _cache_lock:
        for signer in _cache.values():
            session = getattr(signer.cms_signer, "pkcs11_session", None)
            if session is not None:
                try:
                    session.close()
                except Exception:  # noqa: BLE001 - closing is best effort at shutdown
                    log.debug("PKCS#11-sessie sluiten mislukt", exc_info=True)
        _cache.clear()
