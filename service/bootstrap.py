"""Preparing a data folder before the service starts: folders, database schema, demo content."""

from __future__ import annotations

import logging
from pathlib import Path

from service.accounts.demo import create_demo_accounts, print_demo_accounts
from service.accounts.wiring import seal_plain_totp_secrets
from service.dossiers.service import upload
from service.register.loading import migrate_database, sync_examples
from service.settings import Settings
from signing import ensure_development_pki
from templates import TemplatesError

log = logging.getLogger("convenant")


def make_data_dir(settings: Settings) -> None:
    """The data folder (owner only when new) and its documents folder. Idempotent."""
    settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    settings.documents_dir.mkdir(parents=True, exist_ok=True)


def prepare(settings: Settings, *, demo: bool = False) -> None:
    """Create the data folder (and, with ``demo``, load the example dossiers). Idempotent."""
    make_data_dir(settings)
    migrate_database(settings)  # Alembic upgrade head: the only schema path
    seal_plain_totp_secrets(settings)  # secrets of an older version: encrypted at rest from now on
    if settings.signing_backend == "pkcs12" and settings.pkcs12_path is None:
        # No key configured: create (once) the development CA and signing key, logged as untrusted.
        ensure_development_pki(settings.keys_dir)
    if demo:
        load_example_dossiers(settings)
        sync_examples(settings, EXAMPLES_DIR)  # agreements, parties, besluit, mandates, example people
        print_demo_accounts(create_demo_accounts(settings), settings)  # one account per role


EXAMPLES_DIR = Path(__file__).resolve().parents[1] / "examples"


def load_example_dossiers(settings: Settings, examples: Path = EXAMPLES_DIR) -> list[str]:
    """Store examples/*.yaml in the dossier store (validated and checked like an upload)."""
    loaded = []
    for path in sorted(examples.glob("*.yaml")):
        try:
            loaded.append(upload(settings, path.read_bytes(), path.name).dossier.id)
        except TemplatesError as exc:
            log.warning("voorbeelddossier %s niet geladen: %s", path.name, exc.message)
    return loaded
