"""Retention and inzage per agreement, from its dossier's legal model (here the Amsterdam model: art. 13
lid 2, five years; art. 15 lid 1, four weeks): real database, controlled clock."""

from __future__ import annotations

import json
import subprocess
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.retention import SubjectNotFound, inzage, purge, retention_answer, retention_rule
from service.settings import Settings
from tests.proof.registry_data import add_declaration, add_meeting, add_provision, build_world
from tests.registry.factories import example_legal


def at(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time().replace(hour=3), tzinfo=UTC)


@pytest.fixture
def settings(migrated_url: str, tmp_path: Path) -> Settings:
    s = Settings(data_dir=tmp_path / "data", database_url=migrated_url, retention_interval_hours=0)
    s.documents_dir.mkdir(parents=True)
    return s


def session_for(settings: Settings) -> Session:
    from registry.database import make_engine

    return Session(make_engine(settings.effective_database_url))


def writing(settings: Settings):  # type: ignore[no-untyped-def]
    """A unit of work as the service writes: every insert is logged in the audit chain."""
    from registry.database import make_engine
    from registry.session import unit_of_work

    return unit_of_work(make_engine(settings.effective_database_url), actor="test")


def audit_rows(settings: Settings) -> list:
    from registry.models import AuditEntry

    with session_for(settings) as s:
        return list(s.scalars(select(AuditEntry).order_by(AuditEntry.seq)))


def verify_chain(settings: Settings) -> None:
    from registry.audit import verify_chain as verify

    with session_for(settings) as s:
        report = verify(s.connection())
    assert report.ok, report.problems


def test_retention_rule_counts_five_calendar_years_from_last_processing():
    rule = retention_rule(example_legal("amsterdam").as_json())
    assert rule.years == 5 and rule.article == "artikel 13, tweede lid"
    last = date(2020, 2, 29)
    assert not retention_answer(last, date(2025, 2, 28), rule).due
    answer = retention_answer(last, date(2025, 3, 1), rule)
    assert answer.due and answer.article == "artikel 13, tweede lid"
    assert "2020-02-29" in answer.reason
    assert not retention_answer(None, date(2099, 1, 1), rule).due  # still in use


def test_retention_is_read_from_each_agreements_model_not_a_constant():
    data = example_legal("amsterdam").as_json()
    data["model"]["retention"]["years"] = 2
    rule = retention_rule(data)
    assert rule.years == 2 and retention_answer(date(2020, 1, 1), date(2022, 1, 2), rule).due
    # A model without retention: the configured years, and the answer says the covenant names none.
    del data["model"]["retention"]
    fallback = retention_rule(data, default_years=7)
    assert fallback.years == 7 and "noemt er geen" in fallback.article


def test_provision_is_kept_five_years_and_purged_the_day_after_with_an_audit_entry(settings):
    from registry.models import Provision

    with writing(settings) as s:
        world = build_world(s)
        old = add_provision(s, world, date(2019, 3, 1))
        recent = add_provision(s, world, date(2021, 6, 1))
        s.commit()

    report = purge(settings, now=at(date(2024, 3, 1)))  # exactly five years: still kept
    assert report.purged == []
    report = purge(settings, now=at(date(2024, 3, 2)))
    assert [(p.entity, p.entity_id) for p in report.purged] == [("verstrekking", old)]

    with session_for(settings) as s:
        remaining = {p.id for p in s.scalars(select(Provision))}
    assert remaining == {recent}
    entries = [e for e in audit_rows(settings) if e.entity == "verstrekking" and e.entity_id == str(old)]
    assert len(entries) == 1 and entries[0].action == "verwijderd"
    changes = json.loads(entries[0].changes)
    assert "artikel 13, tweede lid" in json.dumps(changes)
    assert "Melding over bewoner" not in entries[0].changes  # the purged content is not copied into the log
    # ... and the copy the log made when the provision was recorded is blanked too; the recent one stays.
    logged = {e.entity_id: e.changes for e in audit_rows(settings) if e.entity == "reg_provision"}
    assert "Melding over bewoner" not in logged[str(old)]
    assert "Melding over bewoner" in logged[str(recent)]
    verify_chain(settings)


def test_declaration_stays_while_the_agreement_runs_and_goes_five_years_after_the_end(settings):
    from registry.models import Agreement, DeclarationRecord

    pdf = settings.documents_dir / "verklaringen" / "dirk.pdf"
    pdf.parent.mkdir(parents=True)
    pdf.write_bytes(b"%PDF-1.7 signed declaration")
    with writing(settings) as s:
        world = build_world(s, term_end=date(2030, 12, 31))
        decl = add_declaration(s, world, date(2018, 6, 14), "verklaringen/dirk.pdf")
        add_meeting(s, world, date(2019, 5, 1), [world.deelnemer_id, world.professional_id])
        s.commit()

    # Signed in 2018, agreement still running in 2026: the declaration is in use and stays.
    assert all(
        p.entity != "geheimhoudingsverklaring" for p in purge(settings, now=at(date(2026, 1, 1))).purged
    )
    assert pdf.exists()

    with session_for(settings) as s:  # the agreement ends on 2027-01-31
        agreement = s.get(Agreement, world.agreement_id)
        agreement.ended_on = date(2027, 1, 31)
        agreement.status = "beeindigd"
        s.commit()
    assert all(
        p.entity != "geheimhoudingsverklaring" for p in purge(settings, now=at(date(2032, 1, 31))).purged
    )
    report = purge(settings, now=at(date(2032, 2, 1)))
    assert ("geheimhoudingsverklaring", decl) in [(p.entity, p.entity_id) for p in report.purged]
    # The record named this file by hand (no signing record of the service): a reference is never a licence
    # to delete a stored file (issue 10, item 1). The PDF of an online-signed declaration does go: see
    # test_an_online_signed_declaration_goes_with_its_signing_trail_link_and_files.
    assert pdf.exists() and report.files_removed == []
    with session_for(settings) as s:
        assert s.get(DeclarationRecord, decl) is None
    verify_chain(settings)


def test_a_person_goes_only_when_nothing_refers_to_them_any_more(settings):
    from registry.models import Designation, Person

    with writing(settings) as s:
        world = build_world(s)
        add_declaration(s, world, date(2017, 3, 1))
        add_meeting(s, world, date(2017, 4, 1), [world.deelnemer_id])
        add_provision(s, world, date(2017, 5, 1))
        s.add(
            Designation(
                agreement_id=world.agreement_id,
                person_id=world.professional_id,
                role="professional",
                designated_from=date(2017, 1, 1),
            )
        )
        s.commit()

    report = purge(settings, now=at(date(2026, 1, 1)))
    purged_people = {p.entity_id for p in report.purged if p.entity == "persoon"}
    # The participant and the wijkagent have nothing left; the professional is still designated.
    assert purged_people == {world.deelnemer_id, world.wijkagent_id}
    with session_for(settings) as s:
        assert s.get(Person, world.deelnemer_id) is None
        assert s.get(Person, world.professional_id) is not None
    assert {p.entity for p in report.purged} >= {
        "verstrekking",
        "geheimhoudingsverklaring",
        "deelname aan overleg",
    }
    verify_chain(settings)


def test_a_dry_run_reports_but_removes_nothing(settings):
    from registry.models import Provision

    with writing(settings) as s:
        world = build_world(s)
        add_provision(s, world, date(2015, 1, 1))
        s.commit()
    before = len(audit_rows(settings))
    report = purge(settings, now=at(date(2025, 1, 1)), dry_run=True)
    assert [p.entity for p in report.purged] == ["verstrekking", "persoon", "persoon"]
    with session_for(settings) as s:
        assert len(list(s.scalars(select(Provision)))) == 1
    assert len(audit_rows(settings)) == before


def test_the_running_service_purges_on_its_own_schedule(settings):
    from registry.models import Provision
    from service.app import create_app
    from service.retention import schedule as schedule_module

    with writing(settings) as s:
        world = build_world(s)
        add_provision(s, world, date(2015, 1, 1))
        s.commit()
    periodic = settings.model_copy(update={"retention_interval_hours": 1 / 3600})  # every second
    app = create_app(periodic)  # the service starts the schedule itself
    original = schedule_module.FIRST_RUN_DELAY_SECONDS
    schedule_module.FIRST_RUN_DELAY_SECONDS = 0.1
    try:
        with TestClient(app):
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                with session_for(settings) as s:
                    if not list(s.scalars(select(Provision))):
                        break
                time.sleep(0.2)
    finally:
        schedule_module.FIRST_RUN_DELAY_SECONDS = original
    with session_for(settings) as s:
        assert list(s.scalars(select(Provision))) == []
    assert any(e.actor.startswith("bewaartermijn") for e in audit_rows(settings))


def test_inzage_exports_everything_held_about_a_person_as_json_csv_and_pdf(settings, tmp_path):
    from registry.models import Person

    pdf = settings.documents_dir / "verklaringen" / "dirk.pdf"
    pdf.parent.mkdir(parents=True)
    pdf.write_bytes(b"%PDF-1.7 signed declaration of Dirk")
    with writing(settings) as s:
        world = build_world(s, term_end=date(2030, 1, 1))
        add_declaration(s, world, date(2024, 6, 14), "verklaringen/dirk.pdf")
        add_meeting(s, world, date(2024, 7, 1), [world.deelnemer_id])
        add_provision(s, world, date(2024, 7, 1), content="Dirk Deelnemer meldde zorgen over de buren")
        add_provision(s, world, date(2024, 8, 1), content="Over iemand anders")
        email = s.get(Person, world.deelnemer_id).email
        s.commit()

    out = tmp_path / "inzage"
    export, written = inzage(settings, email, out_dir=out, received_on=date(2025, 3, 3))
    assert export.answer_before == date(2025, 3, 31)
    data = json.loads((out / "inzage.json").read_text())
    assert data["persoon"]["name"] == "Dirk Deelnemer"
    assert len(data["geheimhoudingsverklaringen"]) == 1
    assert data["geheimhoudingsverklaringen"][0]["convenant"].startswith("Samenwerkingsovereenkomst")
    assert [m["held_on"] for m in data["overleggen"]] == ["2024-07-01"]
    mentioned = data["verstrekkingen_waarin_genoemd"]
    assert [m["content_summary"] for m in mentioned] == ["Dirk Deelnemer meldde zorgen over de buren"]
    assert [m["purposes"] for m in mentioned] == ["zorg"]  # what the data was provided for (art. 15 AVG)
    assert data["verstrekkingen_als_verstrekker_of_ontvanger"] == []
    assert (out / "documenten" / "dirk.pdf").read_bytes() == pdf.read_bytes()
    csv_text = (out / "inzage.csv").read_text()
    assert "Dirk Deelnemer" in csv_text and "2025-03-31" in csv_text
    text = subprocess.run(
        ["pdftotext", str(out / "inzage.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Inzage in vastgelegde gegevens" in text and "Dirk Deelnemer" in text and "2025-03-31" in text
    assert len(written) == 4


def test_inzage_for_a_resident_finds_the_provisions_naming_them(settings):
    with writing(settings) as s:
        world = build_world(s)
        add_provision(s, world, date(2024, 7, 1), content="Overlast door <b>Rita Bewoner</b>, Dorpsstraat 1")
        s.commit()
    export, _ = inzage(settings, "Rita Bewoner", received_on=date(2025, 1, 6))
    assert export.person is None
    assert len(export.sections["verstrekkingen_waarin_genoemd"]) == 1


def test_inzage_for_someone_unknown_says_so_in_dutch(settings):
    with session_for(settings) as s:
        build_world(s)
        s.commit()
    with pytest.raises(SubjectNotFound, match="niets vastgelegd"):
        inzage(settings, "Niemand Bekend")


def test_an_online_signed_declaration_goes_with_its_signing_trail_link_and_files(database_url, tmp_path):
    import os

    from bench.load import prepare as prepare_installation
    from registry.models import Agreement, DeclarationRecord
    from service.dossiers.service import get_dossier
    from service.invitations.declarations import sign_declaration
    from service.invitations.models import SigningEvent, SigningLink

    inst = prepare_installation(tmp_path / "data", database_url, 2)
    settings = Settings(
        data_dir=inst.data_dir,
        database_url=inst.database_url,
        retention_interval_hours=0,
        declaration_personal_certificate=False,  # signed in-process without the e-mailed code
    )
    dossier = get_dossier(settings, "zeist-wijkgericht-werken-2018")
    with writing(settings) as s:
        result = sign_declaration(
            s,
            settings,
            dossier,
            inst.invitations[0].token,
            inst.ground,
            ip="192.0.2.1",
            user_agent="Proefbrowser/1.0",
            today=date(2025, 1, 6),
        )
        signed_rel = result.event.file_path
        # Its archive-timestamped copy (service.archive): personal data too, kept and removed with it.
        from service.invitations.models import ArchiveVersion

        archive_copy = (settings.documents_dir / signed_rel).with_name(
            "verklaring-1-archief-0123456789abcdef.pdf"
        )
        archive_copy.write_bytes((settings.documents_dir / signed_rel).read_bytes() + b"\n% archief")
        s.add(
            ArchiveVersion(
                event_id=result.event.id or 0,
                file_path=archive_copy.relative_to(settings.documents_dir).as_posix(),
                sha256="ab" * 32,
                created_at=at(date(2025, 1, 7)),
            )
        )
    signed = settings.documents_dir / signed_rel
    assert signed.exists() and signed.with_suffix(".audit.json").exists()
    os.utime(archive_copy, (0, 0))  # old enough for the orphan sweep, but referenced: kept
    orphan = signed.with_name("verklaring-999-deadbeefdeadbeef.pdf")
    orphan.write_bytes(b"%PDF-1.7 signed, but its transaction never committed")
    stale = signed.with_name(".verklaring-998.pdf.4242.tmp")
    stale.write_bytes(b"%PDF-1.7 half written")
    for path in (orphan, stale):
        os.utime(path, (0, 0))
    with writing(settings) as s:
        for agreement in s.scalars(select(Agreement)):
            agreement.ended_on, agreement.status = date(2026, 1, 1), "beeindigd"

    # The participant's meeting is next week (the invitation's), so the last processing is then: kept in 2031.
    early = purge(settings, now=at(date(2031, 6, 1)))
    assert [p.entity for p in early.purged if p.entity != "persoon"] == []
    assert signed.exists() and archive_copy.exists()
    removed = {Path(p).name for p in early.orphans_removed}
    assert {
        orphan.name,
        stale.name,
    } <= removed  # the unsigned concept of 2025 goes too; the signed file stays
    assert removed - {orphan.name, stale.name} <= {
        f"concept-{inst.invitations[0].link_id}-{inst.ground}-2025-01-06.pdf"
    }

    report = purge(settings, now=at(date(2032, 1, 1)))
    kinds = [p.entity for p in report.purged]
    assert kinds.count("geheimhoudingsverklaring") == 1
    assert kinds.count("ondertekeningsregel") == 1
    assert (
        kinds.count("ondertekeningslink") == 2
    )  # the used one with its trail; the unused one, expired 5 years
    assert not signed.exists() and not signed.with_suffix(".audit.json").exists()
    assert kinds.count("archiefkopie") == 1 and not archive_copy.exists()
    with session_for(settings) as s:
        assert list(s.scalars(select(ArchiveVersion))) == []
        assert list(s.scalars(select(DeclarationRecord))) == []
        assert list(s.scalars(select(SigningEvent))) == []
        assert list(s.scalars(select(SigningLink))) == []
    verify_chain(settings)


def test_inzage_includes_the_online_signing_trail(database_url, tmp_path):
    from bench.load import prepare as prepare_installation
    from service.dossiers.service import get_dossier
    from service.invitations.declarations import sign_declaration

    inst = prepare_installation(tmp_path / "data", database_url, 1)
    settings = Settings(
        data_dir=inst.data_dir,
        database_url=inst.database_url,
        retention_interval_hours=0,
        declaration_personal_certificate=False,  # signed in-process without the e-mailed code
    )
    dossier = get_dossier(settings, "zeist-wijkgericht-werken-2018")
    with writing(settings) as s:
        sign_declaration(
            s,
            settings,
            dossier,
            inst.invitations[0].token,
            inst.ground,
            ip="192.0.2.1",
            user_agent="Proefbrowser/1.0",
            today=date(2025, 1, 6),
        )
    export, written = inzage(settings, inst.invitations[0].email, out_dir=tmp_path / "inzage")
    trail = export.sections["ondertekeningen_online"]
    assert (
        len(trail) == 1
        and trail[0]["ip_address"] == "192.0.2.1"
        and trail[0]["user_agent"] == "Proefbrowser/1.0"
    )
    assert len(export.sections["ondertekeningslinks"]) == 1
    assert len(export.sections["geheimhoudingsverklaringen"]) == 1
    copied = tmp_path / "inzage" / "documenten"
    assert [p.suffix for p in copied.iterdir()] == [".pdf"]
    assert (
        any(e["entity"] == "sign_event" for e in export.sections["auditregels"])
        or export.sections["auditregels"]
    )
