"""From settings to the signing package's objects: the configured key and the trust configuration."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from service.settings import Settings
from signing import (
    KeyUnavailable,
    Pkcs11Key,
    Pkcs12Key,
    Signer,
    TrustConfig,
    ensure_development_pki,
    open_signer,
)
from signing.keys import TokenProblem
from signing.personal import SigningCa, load_signing_ca


def key_from_settings(settings: Settings) -> Pkcs12Key | Pkcs11Key:
    if settings.signing_backend == "pkcs11":
        missing = [
            name
            for name, value in (
                ("CONVENANT_PKCS11_MODULE", settings.pkcs11_module),
                ("CONVENANT_PKCS11_TOKEN_LABEL", settings.pkcs11_token_label),
                ("CONVENANT_PKCS11_PIN", settings.pkcs11_pin),
                ("CONVENANT_PKCS11_KEY_LABEL", settings.pkcs11_key_label),
            )
            if not value
        ]
        if missing:
            raise KeyUnavailable(
                "Ondertekenen met een PKCS#11-token vereist de instellingen " + ", ".join(missing) + "."
            )
        assert settings.pkcs11_module and settings.pkcs11_token_label and settings.pkcs11_pin
        assert settings.pkcs11_key_label
        return Pkcs11Key(
            module=settings.pkcs11_module,
            token_label=settings.pkcs11_token_label,
            pin=settings.pkcs11_pin.get_secret_value(),
            key_label=settings.pkcs11_key_label,
            cert_label=settings.pkcs11_cert_label,
        )
    if settings.pkcs12_path is not None:
        passphrase = settings.pkcs12_passphrase.get_secret_value() if settings.pkcs12_passphrase else None
        return Pkcs12Key(settings.pkcs12_path, passphrase)
    return ensure_development_pki(settings.keys_dir).key


_CA_SETTING_FOR_PART = {
    "module": "CONVENANT_SIGNING_CA_PKCS11_MODULE",
    "token": "CONVENANT_SIGNING_CA_PKCS11_TOKEN_LABEL",
    "pin": "CONVENANT_SIGNING_CA_PKCS11_PIN",
    "key": "CONVENANT_SIGNING_CA_PKCS11_KEY_LABEL / CONVENANT_SIGNING_CA_PKCS11_KEY_ID",
}


def _ca_setting_error(setting: str, message: str) -> KeyUnavailable:
    return KeyUnavailable(f"Instelling {setting} (onderteken-CA): {message}")


def signing_ca_token(settings: Settings) -> Pkcs11Key:
    """The signing CA's key on a PKCS#11 token, from the ``signing_ca_pkcs11_*`` settings."""
    missing = [
        name
        for name, value in (
            ("CONVENANT_SIGNING_CA_PKCS11_MODULE", settings.signing_ca_pkcs11_module),
            ("CONVENANT_SIGNING_CA_PKCS11_TOKEN_LABEL", settings.signing_ca_pkcs11_token_label),
            ("CONVENANT_SIGNING_CA_PKCS11_PIN", settings.signing_ca_pkcs11_pin),
        )
        if not value
    ]
    if not (settings.signing_ca_pkcs11_key_label or settings.signing_ca_pkcs11_key_id):
        missing.append("CONVENANT_SIGNING_CA_PKCS11_KEY_LABEL of CONVENANT_SIGNING_CA_PKCS11_KEY_ID")
    if missing:
        raise KeyUnavailable(
            "Een onderteken-CA op een PKCS#11-token (CONVENANT_SIGNING_CA_BACKEND=pkcs11) vereist de "
            "instellingen " + ", ".join(missing) + "."
        )
    key_id = None
    if settings.signing_ca_pkcs11_key_id:
        try:
            key_id = bytes.fromhex(settings.signing_ca_pkcs11_key_id.replace(":", ""))
        except ValueError as exc:
            raise _ca_setting_error(
                "CONVENANT_SIGNING_CA_PKCS11_KEY_ID",
                f"'{settings.signing_ca_pkcs11_key_id}' is geen hexadecimale waarde (bijvoorbeeld 0a1b).",
            ) from exc
    assert settings.signing_ca_pkcs11_module and settings.signing_ca_pkcs11_token_label
    assert settings.signing_ca_pkcs11_pin
    return Pkcs11Key(
        module=settings.signing_ca_pkcs11_module,
        token_label=settings.signing_ca_pkcs11_token_label,
        pin=settings.signing_ca_pkcs11_pin.get_secret_value(),
        key_label=settings.signing_ca_pkcs11_key_label,
        cert_label=settings.signing_ca_pkcs11_cert_label,
        key_id=key_id,
    )


def signing_ca_from_settings(settings: Settings) -> SigningCa:
    """The CA that issues each signatory's one-time certificate (the development one by default)."""
    if settings.signing_ca_backend == "pkcs11":
        try:
            return load_signing_ca(signing_ca_token(settings))
        except TokenProblem as exc:
            raise _ca_setting_error(_CA_SETTING_FOR_PART[exc.part], exc.message) from exc
        except KeyUnavailable as exc:
            if exc.message.startswith(("Een onderteken-CA", "Instelling")):
                raise
            raise _ca_setting_error("CONVENANT_SIGNING_CA_PKCS11_KEY_LABEL", exc.message) from exc
    if settings.signing_ca_pkcs12_path is not None:
        secret = settings.signing_ca_pkcs12_passphrase
        return load_signing_ca(
            Pkcs12Key(settings.signing_ca_pkcs12_path, secret.get_secret_value() if secret else None)
        )
    return load_signing_ca(ensure_development_pki(settings.keys_dir).signing_ca)


def signer_from_settings(settings: Settings) -> Signer:
    """The configured signer, opened once per process (``open_signer`` caches it)."""
    return open_signer(key_from_settings(settings))


def trust_roots(settings: Settings) -> list[Path]:
    roots = list(settings.trust_roots)
    if settings.trust_development_ca:
        roots.append(ensure_development_pki(settings.keys_dir).ca_cert_path)
    return roots


@lru_cache(maxsize=8)
def _trust(roots: tuple[Path, ...], allow_fetching: bool) -> TrustConfig:
    return TrustConfig(roots=roots, allow_fetching=allow_fetching)  # parses its roots once, then reused


def _uses_development_key(settings: Settings) -> bool:
    dev_seal = settings.signing_backend == "pkcs12" and settings.pkcs12_path is None
    dev_ca = settings.signing_ca_backend == "pkcs12" and settings.signing_ca_pkcs12_path is None
    return dev_seal or dev_ca  # the development key or signing CA


def trust_for_signing(settings: Settings) -> TrustConfig:
    """Collecting validation data for B-LT/B-LTA needs the network (OCSP/CRL of our own certificates).

    The chain of our own signing key must be buildable for that, so the development CA is an anchor here
    whenever the development key signs — this does not make validation trust it.
    """
    roots = trust_roots(settings)
    if _uses_development_key(settings):
        dev_ca = ensure_development_pki(settings.keys_dir).ca_cert_path
        if dev_ca not in roots:
            roots.append(dev_ca)
    return _trust(tuple(roots), True)


def trust_for_validation(settings: Settings) -> TrustConfig:
    """Validating uploads: fetching is off unless configured, so an uploaded certificate cannot make the
    server call arbitrary addresses (its OCSP/CRL/AIA URLs are chosen by whoever made the file)."""
    return _trust(tuple(trust_roots(settings)), settings.validation_allow_fetching)
