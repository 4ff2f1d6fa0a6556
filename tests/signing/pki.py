"""A complete test PKI on loopback: root, intermediate, signer, TSA, OCSP responder and CRLs.

Certomancer issues the certificates and answers OCSP, CRL and RFC 3161 requests; werkzeug serves it
on 127.0.0.1 from a thread. Every request is counted, so tests can prove that validation fetched nothing.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from asn1crypto import x509
from certomancer.integrations.animator import Animator, AnimatorArchStore
from certomancer.registry import CertomancerConfig
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from werkzeug.serving import BaseWSGIServer, make_server

ARCH = "convenant-test"
KEY_LABELS = ("root", "interm", "interm-ocsp", "tsa", "tsa-nieuw", "signer", "signer-revoked")
PASSPHRASE = "test-wachtwoord"


def _ku(*usages: str) -> dict[str, Any]:
    return {
        "id": "key_usage",
        "critical": True,
        "smart-value": {"schema": "key-usage", "params": list(usages)},
    }


def _crl(repo: str) -> dict[str, Any]:
    return {
        "id": "crl_distribution_points",
        "smart-value": {"schema": "crl-dist-url", "params": {"crl-repo-names": [repo]}},
    }


def _config(key_dir: Path, url_prefix: str) -> dict[str, Any]:
    now = datetime.now(UTC)
    fmt = "%Y-%m-%dT%H:%M:%S+0000"
    start, ca_end, leaf_end = (
        (now - timedelta(days=30)).strftime(fmt),
        (now + timedelta(days=3650)).strftime(fmt),
        (now + timedelta(days=730)).strftime(fmt),
    )
    ca_validity = {"valid-from": start, "valid-to": ca_end}
    leaf_validity = {"valid-from": start, "valid-to": leaf_end}
    signer_exts = [
        _ku("digital_signature", "non_repudiation"),
        _crl("interm"),
        {
            "id": "authority_information_access",
            "smart-value": {"schema": "aia-urls", "params": {"ocsp-responder-names": ["interm"]}},
        },
    ]
    return {
        "external-url-prefix": url_prefix,
        "keysets": {
            "test": {
                "path-prefix": str(key_dir),
                "keys": {label: {"path": f"{label}.key.pem"} for label in KEY_LABELS},
            }
        },
        "pki-architectures": {
            ARCH: {
                "keyset": "test",
                "entity-defaults": {"country-name": "NL", "organization-name": "Test-PKI convenant"},
                "entities": {
                    "root": {"common-name": "Test Root CA"},
                    "interm": {"common-name": "Test Intermediate CA"},
                    "interm-ocsp": {"common-name": "Test OCSP Responder"},
                    "tsa": {"common-name": "Test Tijdstempeldienst"},
                    "tsa-nieuw": {"common-name": "Test Tijdstempeldienst (nieuw certificaat)"},
                    "signer": {"common-name": "Test Ondertekenaar"},
                    "signer-revoked": {"common-name": "Ingetrokken Ondertekenaar"},
                },
                "certs": {
                    "root": {
                        "subject": "root",
                        "issuer": "root",
                        "validity": ca_validity,
                        "extensions": [
                            {"id": "basic_constraints", "critical": True, "value": {"ca": True}},
                            _ku("digital_signature", "key_cert_sign", "crl_sign"),
                        ],
                    },
                    "interm": {
                        "issuer": "root",
                        "validity": ca_validity,
                        "extensions": [
                            {
                                "id": "basic_constraints",
                                "critical": True,
                                "value": {"ca": True, "path-len-constraint": 0},
                            },
                            _ku("digital_signature", "key_cert_sign", "crl_sign"),
                            _crl("root"),
                        ],
                    },
                    "interm-ocsp": {
                        "issuer": "interm",
                        "validity": leaf_validity,
                        "extensions": [
                            _ku("digital_signature"),
                            {"id": "extended_key_usage", "critical": True, "value": ["ocsp_signing"]},
                            {"id": "ocsp_no_check"},
                        ],
                    },
                    "tsa": {
                        "issuer": "root",
                        "validity": leaf_validity,
                        "extensions": [
                            _ku("digital_signature"),
                            {"id": "extended_key_usage", "critical": True, "value": ["time_stamping"]},
                            _crl("root"),
                        ],
                    },
                    "tsa-nieuw": {
                        "issuer": "root",
                        "validity": ca_validity,
                        "extensions": [
                            _ku("digital_signature"),
                            {"id": "extended_key_usage", "critical": True, "value": ["time_stamping"]},
                            _crl("root"),
                        ],
                    },
                    "signer": {"issuer": "interm", "validity": leaf_validity, "extensions": signer_exts},
                    "signer-revoked": {
                        "issuer": "interm",
                        "validity": leaf_validity,
                        "extensions": signer_exts,
                        "revocation": {
                            "revoked-since": (now - timedelta(days=1)).strftime(fmt),
                            "reason": "key_compromise",
                        },
                    },
                },
                "services": {
                    "ocsp": {
                        "interm": {
                            "for-issuer": "interm",
                            "responder-cert": "interm-ocsp",
                            "signing-key": "interm-ocsp",
                        }
                    },
                    "crl-repo": {
                        "root": {
                            "for-issuer": "root",
                            "signing-key": "root",
                            "simulated-update-schedule": "P90D",
                        },
                        "interm": {
                            "for-issuer": "interm",
                            "signing-key": "interm",
                            "simulated-update-schedule": "P30D",
                        },
                    },
                    "time-stamping": {
                        "tsa": {"signing-key": "tsa", "signing-cert": "tsa"},
                        "tsa-nieuw": {"signing-key": "tsa-nieuw", "signing-cert": "tsa-nieuw"},
                    },
                },
            }
        },
    }


class _CountingApp:
    """WSGI wrapper that records every request path (to prove that validation fetched nothing)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.requests: list[str] = []
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        with self._lock:
            self.requests.append(str(environ.get("PATH_INFO", "")))
        return self.app(environ, start_response)


@dataclass
class TestPki:
    directory: Path
    url_prefix: str
    root_path: Path
    intermediate_path: Path
    signer_p12: Path
    revoked_p12: Path
    passphrase: str
    server: BaseWSGIServer
    app: _CountingApp
    certs: dict[str, x509.Certificate] = field(default_factory=dict)
    keys_pem: dict[str, bytes] = field(default_factory=dict)
    signing_ca_p12: Path | None = None  # the intermediate CA with its key: issues signatory certificates
    _thread: threading.Thread | None = None

    __test__ = False  # not a test class

    @property
    def tsa_url(self) -> str:
        return f"{self.url_prefix}/{ARCH}/tsa/tsa"

    @property
    def renewed_tsa_url(self) -> str:
        """A TSA whose certificate runs for ten years (a TSA that renewed its certificate)."""
        return f"{self.url_prefix}/{ARCH}/tsa/tsa-nieuw"

    @property
    def request_count(self) -> int:
        return len(self.app.requests)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def start_test_pki(directory: Path) -> TestPki:
    key_dir = directory / "keys"
    key_dir.mkdir(parents=True, exist_ok=True)
    keys_pem: dict[str, bytes] = {}
    for label in KEY_LABELS:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        (key_dir / f"{label}.key.pem").write_bytes(pem)
        keys_pem[label] = pem

    server = make_server("127.0.0.1", 0, lambda e, s: [], threaded=True)
    url_prefix = f"http://127.0.0.1:{server.port}"
    config = CertomancerConfig(_config(key_dir, url_prefix), key_search_dir=str(directory))
    arch = config.get_pki_arch(ARCH)  # type: ignore[arg-type]
    app = _CountingApp(Animator(AnimatorArchStore(config.pki_archs), with_web_ui=False))
    server.app = app  # type: ignore[assignment]

    certs = {label: arch.get_cert(label) for label in ("root", "interm", "tsa", "signer", "signer-revoked")}
    root_path = directory / "root.pem"
    root_path.write_bytes(_pem(certs["root"]))
    intermediate_path = directory / "interm.pem"
    intermediate_path.write_bytes(_pem(certs["interm"]))
    signer_p12 = directory / "signer.p12"
    signer_p12.write_bytes(arch.package_pkcs12("signer", password=PASSPHRASE.encode()))
    revoked_p12 = directory / "signer-revoked.p12"
    revoked_p12.write_bytes(arch.package_pkcs12("signer-revoked", password=PASSPHRASE.encode()))
    signing_ca_p12 = directory / "interm.p12"
    signing_ca_p12.write_bytes(arch.package_pkcs12("interm", password=PASSPHRASE.encode()))

    pki = TestPki(
        directory=directory,
        url_prefix=url_prefix,
        root_path=root_path,
        intermediate_path=intermediate_path,
        signer_p12=signer_p12,
        revoked_p12=revoked_p12,
        passphrase=PASSPHRASE,
        server=server,
        app=app,
        certs=certs,
        keys_pem=keys_pem,
        signing_ca_p12=signing_ca_p12,
    )
    thread = threading.Thread(target=server.serve_forever, name="test-pki", daemon=True)
    thread.start()
    pki._thread = thread
    return pki


def _pem(cert: x509.Certificate) -> bytes:
    from asn1crypto import pem

    return pem.armor("CERTIFICATE", cert.dump())
