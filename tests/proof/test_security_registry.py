"""Issue 10, replayed: the probe's attacks on the registry, each failing before its fix.

Item 1  a crafted declaration ``document`` path let the retention purge delete a signed agreement.
Item 4  cross-agreement tampering: an invitation overwrote another agreement's person; POST /meetings moved
        a meeting to another agreement.
Item 6  CSV injection in every CSV export.
Item 7  retention purged a declaration of a running, tacitly renewed agreement.
Item 9  the inzage export matched by substring; its files were world-readable.
Item 16 declarations registered with an invented ground and no document.
"""

from __future__ import annotations

import csv
import io
import stat
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from registry.csvsafe import FORMULA_START, neutralise
from service.retention import SubjectNotFound, inzage, purge
from service.settings import Settings
from tests.proof.api_support import ApiWorld, build_api_world
from tests.proof.registry_data import add_declaration, add_provision, build_world

ZEIST = "zeist-wijkgericht-werken-2018"
AMSTERDAM = "amsterdam-mzw"


def at(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time().replace(hour=3), tzinfo=UTC)


@pytest.fixture
def world(migrated_url: str, tmp_path: Path) -> Iterator[ApiWorld]:
    from service.bootstrap import EXAMPLES_DIR
    from service.register.loading import sync_examples

    w = build_api_world(tmp_path / "data", migrated_url, emails={"wijkagent": "r.hendriks@example.nl"})
    sync_examples(w.settings, EXAMPLES_DIR)  # agreements, parties, besluiten and the example people
    yield w
    w.app.state.engine.dispose()


def _h(w: ApiWorld, role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {w.tokens[role]}"}


def _db(w: ApiWorld) -> Session:
    from registry.session import AuditedSession

    return AuditedSession(w.app.state.engine, actor="proef", expire_on_commit=False)


# --- item 1 (and "signed documents are immutable") -------------------------------------------------------


def _signed_agreement(w: ApiWorld) -> tuple[str, str]:
    """Start the Zeist signing round and let its first signatory sign: a real signed PDF on disk with its
    signing record and audit sheet. Returns (relative path, SHA-256)."""
    from service.dossiers.service import get_dossier
    from service.invitations import codes
    from service.invitations.links import resolve
    from service.invitations.rounds import sign_agreement, start_round

    dossier = get_dossier(w.settings, ZEIST)
    from service.invitations.codes import new_code
    from service.invitations.models import SigningLink

    with _db(w) as db:
        issued = start_round(db, w.settings, dossier, actor="proef", on=dossier.signing.date)
        link = db.get(SigningLink, issued[0].link.id)
        assert link is not None
        code = new_code(db, link)  # the confirmation code the signatory receives by e-mail
        db.commit()
    with _db(w) as db:  # the signatory asks for her one-time code (it would be e-mailed)
        code = codes.new_code(db, resolve(db, issued[0].token, "192.0.2.7"))
        db.commit()
    with _db(w) as db:
        result = sign_agreement(
            db,
            w.settings,
            dossier,
            issued[0].token,
            ip="192.0.2.7",
            user_agent="Proefbrowser",
            today=dossier.signing.date,
            code=code,
        )
        db.commit()
    return result.event.file_path, result.event.sha256_after


def test_item1_a_declaration_cannot_name_a_signed_agreement(world):
    path, sha = _signed_agreement(world)
    pdf = world.settings.documents_dir / path
    sheet = pdf.with_suffix(".audit.json")
    assert pdf.exists() and sheet.exists()
    client = TestClient(world.app)

    # The probe: the coordinator registers a "declaration" whose document is the signed agreement.
    for document in (path, "./" + path, "../documents/" + path, str(pdf)):
        r = client.post(
            f"/agreements/{ZEIST}/declarations",
            headers=_h(world, "coordinator"),
            json={
                "persoon": "l.willems@example.nl",
                "grondslag": "toestemming",
                "ondertekend_op": "2018-10-01",
                "document": document,
                "sha256": sha,
            },
        )
        assert r.status_code == 422, (document, r.text)
        assert r.json()["fouten"][0]["pad"] == "document"


def test_item1_the_purge_never_deletes_a_signed_agreement_named_by_a_declaration(world):
    """Defence in depth: even a record that names the file (an old import, a hand-edited row) is only a
    reference; the purge, once the agreement has long ended, removes the record, never the agreement."""
    from registry.audit import verify_chain
    from registry.models import Agreement, DeclarationRecord, Person
    from service.invitations.models import SigningEvent, SigningRound
    from service.invitations.storage import current_pdf

    path, sha = _signed_agreement(world)
    pdf = world.settings.documents_dir / path
    sheet = pdf.with_suffix(".audit.json")
    with _db(world) as db:
        agreement = db.exec(select(Agreement).where(Agreement.key == ZEIST)).one()
        person = db.exec(select(Person).where(Person.email == "l.willems@example.nl")).one()
        db.add(
            DeclarationRecord(
                agreement_id=agreement.id,
                person_id=person.id,
                ground="toestemming",
                signed_on=date(2018, 10, 1),
                document_ref=path,
                document_sha256=sha,
            )
        )
        agreement.ended_on, agreement.status = date(2019, 1, 1), "beeindigd"
        db.commit()
    report = purge(world.settings, now=at(date(2040, 1, 1)))
    assert "geheimhoudingsverklaring" in [p.entity for p in report.purged]
    assert "ondertekeningsregel" not in [p.entity for p in report.purged]
    assert report.files_removed == []
    assert pdf.exists() and sheet.exists()
    with Session(world.app.state.engine) as db:
        rnd = db.exec(select(SigningRound)).one()
        assert current_pdf(world.settings, rnd)[:4] == b"%PDF"  # the download still works
        assert len(db.exec(select(SigningEvent)).all()) == 1
        chain = verify_chain(db.connection())
        assert chain.ok, chain.problems


# --- item 16 -----------------------------------------------------------------------------------------------


def test_item16_a_declaration_needs_a_ground_of_the_dossier_and_its_document(world):
    client = TestClient(world.app)
    base = {"persoon": "l.willems@example.nl", "ondertekend_op": "2018-10-01"}
    invented = client.post(
        f"/agreements/{ZEIST}/declarations",
        headers=_h(world, "coordinator"),
        json={**base, "grondslag": "verzonnen", "document": "zaak 12", "sha256": "ab" * 32},
    )
    assert invented.status_code == 422, invented.text
    assert invented.json()["fouten"][0]["pad"] == "grondslag" and "toestemming" in invented.text
    without = client.post(
        f"/agreements/{ZEIST}/declarations",
        headers=_h(world, "coordinator"),
        json={**base, "grondslag": "toestemming"},
    )
    assert without.status_code == 422
    assert {f["pad"] for f in without.json()["fouten"]} == {"document", "sha256"}
    ok = client.post(
        f"/agreements/{ZEIST}/declarations",
        headers=_h(world, "coordinator"),
        json={**base, "grondslag": "toestemming", "document": "zaak 2018-1001", "sha256": "ab" * 32},
    )
    assert ok.status_code == 201, ok.text
    # Amsterdam's dossier has no declaration text: nothing to choose a ground from, so nothing is stored.
    none = client.post(
        f"/agreements/{AMSTERDAM}/declarations",
        headers=_h(world, "coordinator"),
        json={**base, "grondslag": "toestemming", "document": "zaak 1", "sha256": "ab" * 32},
    )
    assert none.status_code == 422 and none.json()["fouten"][0]["pad"] == "grondslag"


# --- item 4 ------------------------------------------------------------------------------------------------


def test_item4_post_meetings_with_an_existing_key_does_not_move_the_meeting(world):
    client = TestClient(world.app)
    zeist_meeting = "wijkoverleg-centrum-2018-10-16"
    before = client.get(f"/meetings/{zeist_meeting}", headers=_h(world, "coordinator")).json()
    r = client.post(
        "/meetings",
        headers=_h(world, "coordinator"),
        json={"sleutel": zeist_meeting, "overeenkomst": AMSTERDAM, "datum": "2020-01-01", "deelnemers": []},
    )
    assert r.status_code == 409, r.text
    # the field that differs from the planned meeting (one planning service for page and API, issue 11)
    assert r.json()["fouten"][0]["pad"] == "overeenkomst"
    assert "verhuist niet naar een andere overeenkomst" in r.json()["fouten"][0]["melding"]
    after = client.get(f"/meetings/{zeist_meeting}", headers=_h(world, "coordinator")).json()
    assert after == before and after["overeenkomst"] == ZEIST and after["deelnemers"]


def test_item4_an_invitation_does_not_overwrite_a_person_of_another_agreement(world):
    from registry.models import Person
    from service.dossiers.service import get_dossier
    from service.invitations.declarations import Invitee, invite_agendadeelnemer
    from service.invitations.errors import RoundConflict

    dossier = get_dossier(world.settings, ZEIST)
    victim = "f.elidrissi@example.nl"  # the Amsterdam coordinator
    with _db(world) as db:
        with pytest.raises(RoundConflict, match="niet overschreven"):
            invite_agendadeelnemer(
                db,
                world.settings,
                dossier,
                "wijkoverleg-centrum-2018-10-16",
                Invitee("Iemand Anders", victim, "Nep B.V.", "indringer"),
                actor="proef",
            )
        db.rollback()
    with Session(world.app.state.engine) as db:
        person = db.exec(select(Person).where(Person.email == victim)).one()
        assert person.name == "Fatima el Idrissi" and person.organisation_id is not None
        assert person.function and "Coördinator" in person.function
    # The same human invited under her own name: designated for Zeist too, her record untouched.
    with _db(world) as db:
        invite_agendadeelnemer(
            db,
            world.settings,
            dossier,
            "wijkoverleg-centrum-2018-10-16",
            Invitee("Fatima el Idrissi", victim, "Stadsdeel Oost", "gast"),
            actor="proef",
        )
        db.commit()
    with Session(world.app.state.engine) as db:
        person = db.exec(select(Person).where(Person.email == victim)).one()
        assert person.function and "Coördinator" in person.function and person.organisation_id is not None


# --- item 6 ------------------------------------------------------------------------------------------------

HOSTILE = ['=HYPERLINK("http://127.0.0.1/x","klik")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR", " =1"]


def _cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";") for c in row]


def _assert_no_formula(text: str, expected: list[str]) -> None:
    cells = _cells(text)
    for cell in cells:
        assert cell.lstrip(" ")[:1] not in FORMULA_START, f"cel begint als formule: {cell!r}"
    for value in expected:  # still there, visibly, as text
        assert "'" + value in cells or any(("'" + value) in c for c in cells), value


def test_item6_every_csv_export_neutralises_formula_cells(world, tmp_path):
    from registry.models import Person

    client = TestClient(world.app)
    with _db(world) as db:
        for n, (person_email, hostile) in enumerate(
            [("y.amrani@example.nl", HOSTILE[0]), ("r.hendriks@example.nl", HOSTILE[3])]
        ):
            person = db.exec(select(Person).where(Person.email == person_email)).one()
            person.name = hostile
            person.function = HOSTILE[1 + n]
        db.commit()
    register = client.get(f"/agreements/{ZEIST}/register.csv", headers=_h(world, "privacyfunctionaris"))
    assert register.status_code == 200
    _assert_no_formula(register.content.decode("utf-8-sig"), [HOSTILE[0], HOSTILE[3], HOSTILE[1]])

    provision = client.post(
        "/provisions",
        headers=_h(world, "wijkagent"),
        json={
            "overeenkomst": ZEIST,
            "verstrekker": "wijkagent-centrum",
            "ontvanger": "sociaal-team-centrum",
            "datum": "2018-10-16",
            "reden": HOSTILE[2],
            "categorie": "a",
            "doel": "overlast",
            "inhoud": HOSTILE[5] + " " + HOSTILE[6],
        },
    )
    assert provision.status_code == 201, provision.text
    export = client.get(f"/provisions.csv?overeenkomst={ZEIST}", headers=_h(world, "privacyfunctionaris"))
    assert export.status_code == 200
    _assert_no_formula(export.content.decode("utf-8-sig"), [HOSTILE[0], HOSTILE[3], HOSTILE[2]])

    export, written = inzage(world.settings, "y.amrani@example.nl", out_dir=tmp_path / "inzage")
    text = (tmp_path / "inzage" / "inzage.csv").read_text("utf-8")
    _assert_no_formula(text, [HOSTILE[0]])


def test_item6_the_one_helper_leaves_plain_cells_and_numbers_alone():
    assert neutralise("Jan de Vries") == "Jan de Vries"
    assert neutralise(-5) == -5 and neutralise("") == ""
    assert [neutralise(h)[0] for h in HOSTILE] == ["'"] * len(HOSTILE)


# --- item 7 ------------------------------------------------------------------------------------------------


@pytest.fixture
def settings(migrated_url: str, tmp_path: Path) -> Settings:
    s = Settings(data_dir=tmp_path / "data", database_url=migrated_url, retention_interval_hours=0)
    s.documents_dir.mkdir(parents=True)
    return s


def _writing(settings: Settings):  # type: ignore[no-untyped-def]
    from registry.database import make_engine
    from registry.session import unit_of_work

    return unit_of_work(make_engine(settings.effective_database_url), actor="test")


def test_item7_retention_keeps_a_declaration_of_a_tacitly_renewed_running_agreement(settings):
    """Amsterdam: first term ended 2017-11-30, renewed tacitly every year since; a declaration of 2016."""
    from registry.models import Agreement, DeclarationRecord

    with _writing(settings) as s:
        world = build_world(s, term_end=date(2017, 11, 30))
        agreement = s.get(Agreement, world.agreement_id)
        from tests.proof.registry_data import _legal

        agreement.legal = _legal("stilzwijgend")  # the Amsterdam term rule: tacit, unless a majority objects
        decl = add_declaration(s, world, date(2016, 3, 1))
    report = purge(settings, now=at(date(2028, 6, 1)))  # renewed 11 times: still running
    assert "geheimhoudingsverklaring" not in [p.entity for p in report.purged]
    from sqlalchemy.orm import Session as OrmSession

    from registry.database import make_engine

    with OrmSession(make_engine(settings.effective_database_url)) as s:
        assert s.get(DeclarationRecord, decl) is not None
        agreement = s.get(Agreement, world.agreement_id)
        agreement.ended_on, agreement.status = date(2028, 12, 31), "beeindigd"  # ended: 5 years from then
        s.commit()
    assert "geheimhoudingsverklaring" not in [
        p.entity for p in purge(settings, now=at(date(2033, 12, 31))).purged
    ]
    assert "geheimhoudingsverklaring" in [p.entity for p in purge(settings, now=at(date(2034, 1, 1))).purged]


# --- item 9 ------------------------------------------------------------------------------------------------


def test_item9_inzage_matches_whole_persons_only_and_writes_private_files(settings, tmp_path):
    from registry.models import Person

    with _writing(settings) as s:
        world = build_world(s)
        add_provision(s, world, date(2024, 7, 1), content="Overlast door Bewoner Jan de Vries, Dorpsstraat 1")
        add_provision(s, world, date(2024, 7, 2), content="Zorgen over Marijan de Vriesema")
        s.add(Person(key="jan-jansen", name="Jan Jansen", email="jan.jansen@example.nl"))
    with pytest.raises(SubjectNotFound, match="volledige naam"):
        inzage(settings, "Jan")  # a part of a name: refused, not a substring search over everyone
    export, written = inzage(
        settings, "Jan de Vries", out_dir=tmp_path / "inzage", received_on=date(2025, 1, 6)
    )
    found = export.sections["verstrekkingen_waarin_genoemd"]
    assert [p["content_summary"] for p in found] == ["Overlast door Bewoner Jan de Vries, Dorpsstraat 1"]
    assert not any("Jan Jansen" in str(a["changes"]) for a in export.sections["auditregels"])
    for path in written:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert stat.S_IMODE((tmp_path / "inzage").stat().st_mode) == 0o700
    jansen, _ = inzage(settings, "jan.jansen@example.nl")
    assert jansen.sections["verstrekkingen_waarin_genoemd"] == []
    assert all("Jan Jansen" in str(a["changes"]) or a["entity_id"] for a in jansen.sections["auditregels"])
    assert not any("Vries" in str(a["changes"]) for a in jansen.sections["auditregels"])
