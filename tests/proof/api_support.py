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


def build_api_world(
    data_dir: Path,
    database_url: str | None = None,
    *,
    emails: dict[str, str] | None = None,
    **overrides: Any,
) -> ApiWorld:
    """``emails``: role value -> account e-mail (a wijkagent's account is her registry person by e-mail).
    Every account is in one organisation and granted every example agreement."""
    from registry.database import migrate
    from service.accounts import service as accounts
    from service.accounts import tenancy
    from service.accounts.roles import Role
    from service.app import create_app
    from service.bootstrap import load_example_dossiers, prepare
    from service.settings import Settings

    url = database_url or f"sqlite:///{data_dir / 'convenant.db'}"
    data_dir.mkdir(parents=True, exist_ok=True)
    migrate(url)
    settings = Settings(data_dir=data_dir, database_url=url, retention_interval_hours=0, **overrides)
    prepare(settings)
    keys = load_example_dossiers(settings)
    app = create_app(settings)
    tokens: dict[str, str] = {}
    with Session(app.state.engine) as db:
        org = tenancy.organisation(db, "proef", "Proeforganisatie")
        for role in Role:
            user = accounts.create_user(
                db,
                email=(emails or {}).get(role.value, f"{role.value}@proef.example"),
                name=f"Proef {role.value}",
                role=role,
                password=PASSWORD,
            )
            tenancy.set_organisation(db, user.id, org)  # type: ignore[arg-type]
            for key in keys:
                tenancy.grant(db, user.id, key, by="proef")  # type: ignore[arg-type]
            _, token = accounts.create_api_token(db, user.id, "proef")  # type: ignore[arg-type]
            tokens[role.value] = token
        db.commit()
    return ApiWorld(app, tokens, settings)


def build_two_municipalities(data_dir: Path, database_url: str | None = None, **kwargs: Any) -> ApiWorld:
    """Zeist and Amsterdam in one instance, their registries synced from the examples; the test accounts
    (organisation "proef") hold both. ``kwargs`` go to ``build_api_world``."""
    from service.bootstrap import EXAMPLES_DIR
    from service.register.loading import sync_examples

    world = build_api_world(data_dir, database_url, **kwargs)
    sync_examples(world.settings, EXAMPLES_DIR)
    return world


def add_account(world: ApiWorld, email: str, role: str, org: str, keys: tuple[str, ...]) -> str:
    """An account of organisation ``org`` granted ``keys``; returns its API token."""
    from service.accounts import service as accounts
    from service.accounts import tenancy

    with Session(world.app.state.engine) as db:
        user = accounts.create_user(db, email=email, name=email.split("@")[0], role=role, password=PASSWORD)
        assert user.id is not None
        tenancy.set_organisation(db, user.id, tenancy.organisation(db, org))
        for key in keys:
            tenancy.grant(db, user.id, key, by="proef")
        _, token = accounts.create_api_token(db, user.id, "proef")
        db.commit()
    return token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
