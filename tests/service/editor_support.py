"""What the editor tests share: a signed-in privacy officer, posting an editor action, a new dossier (empty,
from a model, from an example file), and reading back what was saved."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from accounts_support import csrf_from, https_client, login, make_staff
from fastapi import FastAPI
from links_support import clean_invitation_tables
from sqlmodel import Session, select

from service.accounts.roles import Role
from service.dossiers.versions import DossierVersion

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture()
def officer(app: FastAPI, test_database_url: str):  # type: ignore[no-untyped-def]
    """A client signed in as the privacy officer (staff made in ``app``), on a database without a signing
    round: a round left by an earlier module would freeze the example dossiers the editor tests change."""
    clean_invitation_tables(test_database_url)
    staff = make_staff(app)
    return login(https_client(app), staff[Role.PRIVACYFUNCTIONARIS].email)


def post(client, dossier_id: str, action: str, **fields: str):  # type: ignore[no-untyped-def]
    """Post one editor form (``actie``) with the CSRF token of the editor page."""
    page = client.get(f"/portaal/editor/{dossier_id}")
    assert page.status_code == 200, page.text[:500]
    return client.post(
        f"/portaal/editor/{dossier_id}", data={"csrf_token": csrf_from(page.text), "actie": action, **fields}
    )


def ok(r) -> None:  # type: ignore[no-untyped-def]
    """The form was accepted (post/redirect/get)."""
    assert r.status_code == 303, r.text[:3000]


def _new(client, data: dict[str, str]) -> str:  # type: ignore[no-untyped-def]
    page = client.get("/portaal/editor/nieuw")
    r = client.post("/portaal/editor/nieuw", data={"csrf_token": csrf_from(page.text), **data})
    ok(r)
    return str(r.headers["location"].split("?")[0].rsplit("/", 1)[1])


def new(client, title: str = "Convenant Buurtzorg Testdorp", model: str = "") -> str:  # type: ignore[no-untyped-def]
    """A new dossier, empty (municipality Testdorp) or from the saved dossier ``model``; returns its id."""
    return _new(client, {"titel": title, "gemeente": "Testdorp", "model": model})


def from_example(client, example: str, example_id: str, title: str) -> str:  # type: ignore[no-untyped-def]
    """Upload ``examples/<example>.yaml`` and make a new dossier with it as the model; returns its id."""
    page = client.get("/portaal/dossiers")
    r = client.post(
        "/portaal/dossiers",
        data={"csrf_token": csrf_from(page.text)},
        files={
            "bestand": (f"{example}.yaml", (EXAMPLES / f"{example}.yaml").read_bytes(), "application/x-yaml")
        },
    )
    assert r.status_code == 303
    return new(client, title, model=example_id)


def saved(app: FastAPI, dossier_id: str) -> dict:  # type: ignore[type-arg]
    """The dossier as saved (its YAML file)."""
    return yaml.safe_load(
        (app.state.settings.data_dir / "dossiers" / f"{dossier_id}.yaml").read_text("utf-8")
    )


def versions(app: FastAPI, dossier_id: str) -> int:
    with Session(app.state.engine) as db:
        return len(db.exec(select(DossierVersion).where(DossierVersion.dossier_id == dossier_id)).all())
