from datetime import date

from sqlalchemy import Engine, inspect
from sqlmodel import select

from registry.audit import verify_chain
from registry.database import current_revision
from registry.models import Agreement, AgreementParty, AuditEntry, BesluitRecord, MandateRecord
from registry.session import AuditedSession
from registry.sync import load_people, sync_dossier
from templates.dossier.model import Dossier


def test_migration_creates_the_registry_tables(engine: Engine) -> None:
    tables = set(inspect(engine).get_table_names())
    assert {"reg_person", "reg_agreement", "reg_besluit", "reg_provision", "reg_audit"} <= tables
    assert current_revision(engine) is not None


def test_sync_dossier_creates_agreement_parties_besluit_and_mandates(
    db_session: AuditedSession, zeist_dossier: Dossier
) -> None:
    agreement = sync_dossier(db_session, zeist_dossier)
    db_session.commit()
    assert agreement.term_start == date(2018, 6, 14) and agreement.term_end == date(2021, 6, 13)
    parties = db_session.exec(select(AgreementParty).where(AgreementParty.agreement_id == agreement.id)).all()
    assert {p.key for p in parties} == {p.key for p in zeist_dossier.parties}
    besluit = db_session.exec(select(BesluitRecord)).one()
    assert besluit.in_force_from == date(2018, 3, 28)
    assert besluit.in_force_until == date(2021, 6, 13)  # three years with the cooperation (Besluit §6)
    assert besluit.categories == ["a", "b", "c", "d", "e"]
    mandate = db_session.exec(select(MandateRecord)).one()
    assert mandate.documents == ["overeenkomst"]


def test_sync_dossier_is_idempotent_and_audits_only_real_changes(
    db_session: AuditedSession, zeist_dossier: Dossier
) -> None:
    sync_dossier(db_session, zeist_dossier)
    db_session.commit()
    entries = len(db_session.exec(select(AuditEntry)).all())
    assert entries > 0
    sync_dossier(db_session, zeist_dossier)
    db_session.commit()
    assert len(db_session.exec(select(AuditEntry)).all()) == entries
    assert len(db_session.exec(select(Agreement)).all()) == 1
    changed = zeist_dossier.model_copy(update={"title": "Gewijzigde titel"})
    sync_dossier(db_session, changed)
    db_session.commit()
    last = db_session.exec(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()  # type: ignore[attr-defined]
    assert last is not None and last.action == "gewijzigd" and "Gewijzigde titel" in last.changes
    assert last.actor == "test"
    report = verify_chain(db_session.connection())
    assert report.ok, report.problems


def test_load_people_is_idempotent(db_session: AuditedSession, zeist_dossier: Dossier) -> None:
    sync_dossier(db_session, zeist_dossier)
    data = {
        "people": [
            {
                "key": "wa",
                "name": "W. Agent",
                "email": "W.Agent@Example.nl",
                "function": "wijkagent",
                "organisation": "politie",
                "role": "wijkagent",
                "designated_from": "2018-06-14",
            },
        ],
        "meetings": [
            {"key": "m1", "date": "2019-05-01", "coordinator": "wa", "attendees": ["wa", "x@example.nl"]}
        ],
    }
    first = load_people(db_session, data, zeist_dossier.id)
    db_session.commit()
    count = len(db_session.exec(select(AuditEntry)).all())
    assert load_people(db_session, data, zeist_dossier.id) == first
    db_session.commit()
    assert len(db_session.exec(select(AuditEntry)).all()) == count


def test_resync_never_undoes_a_revocation(db_session: AuditedSession, zeist_dossier: Dossier) -> None:
    from registry.agreements import revoke_besluit

    sync_dossier(db_session, zeist_dossier)
    revoke_besluit(db_session, zeist_dossier.id, "besluit-art20", date(2019, 1, 1), "belang vervallen")
    db_session.commit()
    sync_dossier(db_session, zeist_dossier)
    db_session.commit()
    besluit = db_session.exec(select(BesluitRecord)).one()
    assert besluit.revoked_on == date(2019, 1, 1) and besluit.revocation_reason == "belang vervallen"


def test_migrations_downgrade_to_empty_and_upgrade_again(engine: Engine) -> None:
    from alembic import command

    from registry.database import alembic_config, migrate, writer

    cfg = alembic_config(str(engine.url))
    with writer(engine).begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    assert not {t for t in inspect(engine).get_table_names() if t.startswith("reg_")}
    migrate(engine)
    assert "reg_audit" in inspect(engine).get_table_names()
