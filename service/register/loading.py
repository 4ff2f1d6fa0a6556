"""Bringing the database up to date and loading the example dossiers and people into the registry."""

from __future__ import annotations

import logging
from pathlib import Path

import yaml

from registry.database import make_engine, migrate
from registry.errors import RegistryError
from registry.session import unit_of_work
from registry.sync import load_people, sync_dossier
from service.settings import Settings
from templates.dossier.loading import load_dossier
from templates.errors import TemplatesError

log = logging.getLogger("convenant")


def migrate_database(settings: Settings) -> None:
    """Alembic ``upgrade head`` on the configured database (the only way the schema is made)."""
    migrate(settings.effective_database_url)


def sync_examples(settings: Settings, examples: Path, *, actor: str = "demo") -> dict[str, dict[str, int]]:
    """Sync ``examples/*.yaml`` into the registry, with ``examples/people/<name>.yaml``. Idempotent."""
    engine = make_engine(settings.effective_database_url)
    loaded: dict[str, dict[str, int]] = {}
    try:
        for path in sorted(examples.glob("*.yaml")):
            try:
                dossier = load_dossier(path.read_bytes(), path.name)
            except TemplatesError as exc:
                log.warning("voorbeelddossier %s niet in het register geladen: %s", path.name, exc.message)
                continue
            people_file = examples / "people" / path.name
            with unit_of_work(engine, actor=actor) as db:
                sync_dossier(db, dossier)
                counts: dict[str, int] = {}
                if people_file.is_file():
                    try:
                        counts = load_people(
                            db, yaml.safe_load(people_file.read_text("utf-8")) or {}, dossier.id
                        )
                    except RegistryError as exc:  # the dossier itself is still synced
                        log.warning("voorbeeldpersonen %s niet geladen: %s", people_file.name, exc.message)
            loaded[dossier.id] = counts
    finally:
        engine.dispose()
    return loaded
