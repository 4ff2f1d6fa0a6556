"""Issue 14 item 2: the demo wijkagent account acts as a registry person (the one with its e-mail address, the
only link between an account and a person), so the demo's provision form has a provider."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from registry.database import make_engine
from service.accounts import tenancy
from service.accounts.demo import DEMO_DOMAIN
from service.bootstrap import prepare
from service.settings import Settings


def test_the_demo_wijkagent_account_has_a_person_in_the_register(
    tmp_path: Path, test_database_url: str
) -> None:
    settings = Settings(data_dir=tmp_path, database_url=test_database_url)  # type: ignore[call-arg]
    prepare(settings, demo=True)
    engine = make_engine(test_database_url)
    try:
        with Session(engine) as db:
            person = tenancy.own_person_by_email(db, f"wijkagent@{DEMO_DOMAIN}")
            assert person is not None
            assert person.email == f"wijkagent@{DEMO_DOMAIN}"
            # and nobody else's account resolves to that person
            assert tenancy.own_person_by_email(db, f"coordinator@{DEMO_DOMAIN}") != person
    finally:
        engine.dispose()
