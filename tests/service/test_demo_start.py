"""``convenant serve --demo`` on a fresh folder: every example loads and the demo wijkagent is designated
in the covenant's own police role (a covenant need not call it 'wijkagent')."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session, select

from registry.database import make_engine
from registry.models import Agreement, Designation, Person
from service.bootstrap import prepare
from service.settings import Settings


def test_demo_start_designates_the_wijkagent_in_each_covenants_own_police_role(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", retention_interval_hours=0)
    prepare(settings, demo=True)
    engine = make_engine(settings.effective_database_url)
    with Session(engine) as db:
        rows = db.exec(
            select(Agreement.key, Designation.role)
            .join(Designation, Designation.agreement_id == Agreement.id)
            .join(Person, Person.id == Designation.person_id)
            .where(Person.email == "wijkagent@demo.convenant.example")
        ).all()
    engine.dispose()
    roles = dict(rows)
    assert len(roles) >= 3, roles
    assert "politie-deelnemer" in roles.values() and "wijkagent" in roles.values()
