"""A real app for the HTTP proof tests: migrated SQLite database, example dossiers, one API token per role."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import Session

PASSWORD = "correct-paard-batterij-niet"


@dataclass
class ApiWorld:
    app: Any
    tokens: dict[str, str]  # role value -> API token
    settings: Any


def build_api_world(data_dir: Path, database_url: str | None = None, **overrides: Any) -> ApiWorld:
    from registry.database import migrate
    from service.accounts import service as accounts
    from service.accounts.roles import Role
    from service.app import create_app
    from service.bootstrap import load_example_dossiers, prepare
    from service.settings import Settings

    url = database_url or f"sqlite:///{data_dir / 'convenant.db'}"
    data_dir.mkdir(parents=True, exist_ok=True)
    migrate(url)
    settings = Settings(data_dir=data_dir, database_url=url, retention_interval_hours=0, **overrides)
    prepare(settings)
    load_example_dossiers(settings)
    app = create_app(settings)
    tokens: dict[str, str] = {}
    with Session(app.state.engine) as db:
        for role in Role:
            user = accounts.create_user(
                db,
                email=f"{role.value}@proef.example",
                name=f"Proef {role.value}",
                role=role,
                password=PASSWORD,
            )
            _, token = accounts.create_api_token(db, user.id, "proef")  # type: ignore[arg-type]
            tokens[role.value] = token
        db.commit()
    return ApiWorld(app, tokens, settings)
