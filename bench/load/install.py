"""A fresh installation to load: the Zeist dossier, its agreement in the registry, wijkoverleggen, and one
agendadeelnemer invited per signing, each with their own signing link (service.invitations)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from registry.database import make_engine, migrate
from registry.session import AuditedSession
from registry.sync import save_meeting, sync_dossier
from service.bootstrap import load_example_dossiers
from service.bootstrap import prepare as prepare_folder
from service.clock import today
from service.dossiers.service import get_dossier
from service.invitations.declarations import Invitee, invite_agendadeelnemer
from service.settings import Settings

ROOT = Path(__file__).resolve().parent.parent.parent
DOSSIER_ID = "zeist-wijkgericht-werken-2018"
PER_MEETING = 50


@dataclass(frozen=True)
class Invitation:
    token: str
    link_id: int
    person_key: str
    email: str


@dataclass
class Installation:
    data_dir: Path
    database_url: str
    invitations: list[Invitation]
    ground: str

    def env(self) -> dict[str, str]:
        """The environment of ``convenant serve`` on this installation (no CONVENANT_* of the caller's)."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("CONVENANT_")}
        env.update(
            {
                "CONVENANT_DATA_DIR": str(self.data_dir),
                "CONVENANT_DATABASE_URL": self.database_url,
                "CONVENANT_RETENTION_INTERVAL_HOURS": "0",
                "CONVENANT_AUDIT_CHECKPOINT_INTERVAL_HOURS": "0",  # no background signing while measuring
                # The load clients have no mailbox for the e-mailed code: declarations are signed with the
                # organisation's seal, as before personal certificates (the signing work is comparable).
                "CONVENANT_DECLARATION_PERSONAL_CERTIFICATE": "false",
                "PYTHONUNBUFFERED": "1",
            }
        )
        return env

    def settings(self) -> Settings:
        return settings_for(self.data_dir, self.database_url)


def settings_for(data_dir: Path, database_url: str, port: int | None = None) -> Settings:
    base = f"http://127.0.0.1:{port}" if port else None
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        retention_interval_hours=0,
        audit_checkpoint_interval_hours=0,
        base_url=base,
        declaration_personal_certificate=False,  # as env(): no mailbox for the code
    )


def prepare(data_dir: Path, database_url: str | None, signings: int) -> Installation:
    """A fresh installation with ``signings`` invited agendadeelnemers (one signing link each)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    url = database_url or f"sqlite:///{data_dir / 'convenant.db'}"
    settings = settings_for(data_dir, url)
    migrate(url)
    prepare_folder(settings)
    load_example_dossiers(settings)
    dossier = get_dossier(settings, DOSSIER_ID)
    assert dossier.declaration is not None
    ground = dossier.declaration.grounds[0].key
    engine = make_engine(url)
    invitations: list[Invitation] = []
    try:
        with AuditedSession(engine, actor="loadtest", expire_on_commit=False) as db:
            agreement = sync_dossier(db, dossier)
            db.commit()
            for start in range(0, signings, PER_MEETING):
                key = f"belasting-overleg-{start // PER_MEETING + 1}"
                save_meeting(
                    db, agreement, key, today() + timedelta(days=7), [], title="Wijkoverleg (belasting)"
                )
                for n in range(start, min(start + PER_MEETING, signings)):
                    email = f"deelnemer{n:05d}@belasting.example"
                    issued = invite_agendadeelnemer(
                        db,
                        settings,
                        dossier,
                        key,
                        Invitee(f"Deelnemer {n:05d}", email, "Basisschool De Linde", "intern begeleider"),
                        actor="loadtest",
                    )
                    invitations.append(
                        Invitation(issued.token, issued.link.id or 0, str(issued.link.person_key), email)
                    )
                db.commit()
    finally:
        engine.dispose()
    return Installation(data_dir, url, invitations, ground)
