"""The one settings object. Read from ``CONVENANT_*`` environment variables and an optional file.

Created once (``get_settings``) at the edge — the app factory, the CLI — and passed inwards.
Nothing below ``service`` reads the environment.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

SignatureLevel = Literal["B-B", "B-T", "B-LT", "B-LTA"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="CONVENANT_",
        env_file=os.environ.get("CONVENANT_SETTINGS_FILE"),
        env_file_encoding="utf-8",
        extra="ignore",
    )

    # Storage
    data_dir: Path = Field(default=Path("data"), description="Map voor database, documenten en sleutels.")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy-URL; standaard SQLite in data_dir."
    )

    # HTTP
    host: str = "127.0.0.1"
    port: int = 8000
    worker_healthcheck_seconds: int = Field(
        default=30,
        ge=1,
        description="Hoe lang een werkproces mag doen over antwoord op de controle van uvicorn (--workers).",
    )
    base_url: str | None = Field(default=None, description="Publiek adres voor links in e-mails.")
    secret_key: SecretStr | None = Field(
        default=None, description="Sleutel voor sessies en CSRF; standaard in data_dir."
    )
    max_upload_bytes: int = 2_000_000
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description="Adressen of netwerken (CIDR) van de eigen reverse proxy's. Alleen van deze afzenders "
        "wordt het clientadres uit client_ip_header overgenomen; standaard van niemand.",
    )
    client_ip_header: str = Field(
        default="X-Forwarded-For",
        pattern=r"^[A-Za-z0-9-]{1,64}$",
        description="Kop waarin de vertrouwde proxy het clientadres meegeeft (X-Forwarded-For of X-Real-IP).",
    )
    # Bounded request bodies (service/limits.py), enforced before authentication.
    max_request_bytes: int = Field(default=1_000_000, ge=1024, description="Elk verzoek behalve uploads.")
    max_form_fields: int = Field(default=100, ge=1, description="Velden per formulier.")
    max_form_part_bytes: int = Field(default=64 * 1024, ge=1024, description="Eén formulierveld.")
    max_form_files: int = Field(default=1, ge=0, description="Bestanden per upload-formulier.")

    # Signing keys: a PKCS#12 file (default: a development key created in data_dir) or a PKCS#11 token.
    signing_backend: Literal["pkcs12", "pkcs11"] = "pkcs12"
    pkcs12_path: Path | None = None
    pkcs12_passphrase: SecretStr | None = None
    pkcs11_module: Path | None = None
    pkcs11_token_label: str | None = None
    pkcs11_pin: SecretStr | None = None
    pkcs11_key_label: str | None = None
    pkcs11_cert_label: str | None = None
    signing_ca_pkcs12_path: Path | None = Field(
        default=None,
        description="PKCS#12-bestand met de sleutel van de CA die elke ondertekenaar een eenmalig "
        "certificaat geeft (standaard: de ontwikkel-onderteken-CA, NIET VERTROUWD).",
    )
    signing_ca_pkcs12_passphrase: SecretStr | None = None
    signing_ca_backend: Literal["pkcs12", "pkcs11"] = Field(
        default="pkcs12",
        description="Waar de sleutel van de onderteken-CA staat: een PKCS#12-bestand of een PKCS#11-token.",
    )
    signing_ca_pkcs11_module: Path | None = Field(
        default=None, description="PKCS#11-module (.so) van het token."
    )
    signing_ca_pkcs11_token_label: str | None = None
    signing_ca_pkcs11_pin: SecretStr | None = None
    signing_ca_pkcs11_key_label: str | None = None
    signing_ca_pkcs11_key_id: str | None = Field(
        default=None,
        description="CKA_ID van de CA-sleutel in hexadecimalen (naast of in plaats van het label).",
    )
    signing_ca_pkcs11_cert_label: str | None = Field(
        default=None, description="Label van het CA-certificaat op het token (standaard dat van de sleutel)."
    )
    signature_level: SignatureLevel = "B-B"
    tsa_url: str | None = None
    trust_roots: list[Path] = Field(
        default_factory=list, description="PEM/DER-bestanden met vertrouwde wortels."
    )
    trust_development_ca: bool = Field(
        default=False, description="Vertrouw de ontwikkel-CA (alleen voor demo's)."
    )
    validation_allow_fetching: bool = Field(
        default=False,
        description="Haal bij het valideren van geüploade PDF's OCSP/CRL op via het netwerk (standaard uit: "
        "alleen de validatiegegevens in het document zelf).",
    )

    validation_max_signature_fields: int = Field(
        default=250, ge=1, description="Weiger bij valideren een PDF met meer handtekeningvelden."
    )
    validation_max_revisions: int = Field(
        default=500, ge=1, description="Weiger bij valideren een PDF met meer revisies."
    )
    validation_time_budget_seconds: float = Field(
        default=120.0, gt=0, description="Breek het valideren van één PDF af na zoveel seconden."
    )

    # E-mail
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_starttls: bool = False
    smtp_ssl: bool = False
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    mail_from: str = "convenant@localhost"
    demo: bool = Field(
        default=False,
        description="Demostand (convenant serve --demo): zonder smtp_host worden e-mails in de console "
        "getoond. Buiten de demo wordt zonder smtp_host niets verstuurd en blijft elke link 'nog niet "
        "verstuurd'.",
    )

    # Signing links
    link_ttl_days: int = 7
    declaration_personal_certificate: bool = Field(
        default=True,
        description="Agendadeelnemers ondertekenen de geheimhoudingsverklaring na een eenmalige code per "
        "e-mail met een eenmalig certificaat op hun naam (zoals ondertekenaars van de overeenkomst); uit: "
        "met het zegel van de organisatie en het bewijs van de link.",
    )
    signatory_second_factor_domains: list[str] = Field(
        default_factory=list,
        description="E-maildomeinen van organisaties die bij ondertekenen met een code ook een tweede factor "
        "eisen: de code uit de authenticator-app (TOTP) van het eigen account bij deze dienst. Zonder zo'n "
        "account ondertekent de ondertekenaar met een eigen certificaat.",
    )
    receipt_ttl_days: int = Field(
        default=7, ge=1, le=90, description="Dagen dat de link naar het ondertekeningsbewijs geldig blijft."
    )

    # Retention for agreements whose legal model declares none (each model's legal.retention applies first):
    # purge personal data this many years after the last processing,
    # checked by a periodic task in the service every `retention_interval_hours` (0: only by command).
    retention_years: int = Field(default=5, ge=1)
    retention_interval_hours: float = Field(default=24.0, ge=0)
    # Archive timestamps (PAdES-LTA): renew when the newest timestamp's TSA certificate expires within the
    # margin; checked by a periodic task every `archive_renewal_interval_hours` (0: only by command).
    archive_renewal_margin_days: int = Field(default=180, ge=1)
    archive_renewal_interval_hours: float = Field(default=24.0, ge=0)
    # Audit checkpoints: once a day the head of the audit chain is signed (and timestamped with tsa_url)
    # into data_dir/audit (0: only by `convenant audit controlepunt`).
    audit_checkpoint_interval_hours: float = Field(default=24.0, ge=0)

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'convenant.db').resolve()}"

    @property
    def documents_dir(self) -> Path:
        return self.data_dir / "documents"

    @property
    def keys_dir(self) -> Path:
        return self.data_dir / "keys"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
