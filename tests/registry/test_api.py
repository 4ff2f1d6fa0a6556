"""The registry through HTTP: meeting check, provisions, register, audit — each answer names the article."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from registry.session import unit_of_work
from registry.sync import load_people, sync_dossier
from service.accounts.roles import Role
from service.clock import Clock
from templates.dossier.model import Dossier
from tests.registry.conftest import ZEIST_PEOPLE, _clear
from tests.service.accounts_support import Staff, https_client, login, make_app, make_staff

MEETING = "wijkoverleg-2019-05-01"


@pytest.fixture()
def app(tmp_path: Path, test_database_url: str, zeist_dossier: Dossier) -> Iterator[FastAPI]:
    application = make_app(tmp_path, test_database_url)
    _clear(application.state.engine)
    from service.dossiers.service import store_for
    from tests.registry.conftest import ROOT

    # The dossier itself is stored too: declarations are checked against its grounds (bijlage 1.a).
    store_for(application.state.settings).save(
        zeist_dossier.id, (ROOT / "examples" / "zeist.yaml").read_text("utf-8")
    )
    with unit_of_work(application.state.engine, actor="test") as db:
        sync_dossier(db, zeist_dossier)
        load_people(db, ZEIST_PEOPLE, zeist_dossier.id)
    yield application
    _clear(application.state.engine)
    application.state.engine.dispose()


@pytest.fixture()
def staff(app: FastAPI) -> dict[Role, Staff]:
    # The wijkagent's account is the registry's wijkagent (by e-mail): she records her own provisions.
    return make_staff(app, emails={Role.WIJKAGENT: "w.agent@example.nl"})


@pytest.fixture()
def client(app: FastAPI) -> TestClient:
    return TestClient(app)


def _h(staff: dict[Role, Staff], role: Role) -> dict[str, str]:
    return {"Authorization": f"Bearer {staff[role].token}"}


def test_meeting_check_answers_every_attendee_with_article(
    client: TestClient, staff: dict[Role, Staff]
) -> None:
    r = client.post(f"/meetings/{MEETING}/check", headers=_h(staff, Role.COORDINATOR))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["datum"] == "2019-05-01" and len(body["deelnemers"]) == 8
    for d in body["deelnemers"]:
        assert d["politiegegevens"]["artikel"] and d["persoonsgegevens"]["artikel"]
    rows = {d["opgegeven_als"]: d for d in body["deelnemers"]}
    assert rows["woongoed"]["politiegegevens"]["toegestaan"] is True
    assert rows["woongoed"]["politiegegevens"]["tot_en_met"] == "2019-05-20"
    assert rows["ib"]["persoonsgegevens"]["toegestaan"] is False
    assert "ondertekende geheimhoudingsverklaring" in rows["ib"]["ontbreekt"]
    assert set(body["onbekende_deelnemers"]) == {"Onbekende Gast", "gast@example.org"}
    assert body["besluit"]["artikel"]


def test_meeting_check_with_extra_attendee_and_pdf(client: TestClient, staff: dict[Role, Staff]) -> None:
    r = client.post(
        f"/meetings/{MEETING}/check",
        headers=_h(staff, Role.COORDINATOR),
        json={"extra_deelnemers": ["nieuw@example.nl"]},
    )
    assert "nieuw@example.nl" in r.json()["onbekende_deelnemers"]
    pdf = client.get(f"/meetings/{MEETING}/check.pdf", headers=_h(staff, Role.COORDINATOR))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    from io import BytesIO

    from pdfminer.high_level import extract_text

    text = extract_text(BytesIO(pdf.content))
    assert "Deelnemerstoets wijkoverleg" in text and "Wendy Woongoed" in text
    flat = " ".join(text.split())
    assert "onbekend in het register" in flat and "artikel 11, tweede lid, van bijlage 1" in flat


def test_unknown_meeting_is_404_in_dutch(client: TestClient, staff: dict[Role, Staff]) -> None:
    r = client.post("/meetings/bestaat-niet/check", headers=_h(staff, Role.COORDINATOR))
    assert r.status_code == 404 and "niet bekend" in r.json()["melding"]


def test_coordinator_plans_a_meeting_with_unknown_attendee(
    client: TestClient, staff: dict[Role, Staff], zeist_dossier: Dossier
) -> None:
    r = client.post(
        "/meetings",
        headers=_h(staff, Role.COORDINATOR),
        json={
            "sleutel": "extra-overleg",
            "overeenkomst": zeist_dossier.id,
            "datum": "2019-06-01",
            "coordinator": "coord",
            "deelnemers": ["woongoed", "Iemand Anders"],
        },
    )
    assert r.status_code == 201, r.text
    check = client.post("/meetings/extra-overleg/check", headers=_h(staff, Role.COORDINATOR)).json()
    assert check["onbekende_deelnemers"] == ["Iemand Anders"]


def test_the_capacity_of_an_attendee_is_recorded_per_meeting(
    client: TestClient, staff: dict[Role, Staff], zeist_dossier: Dossier
) -> None:
    """A professional of woongoed attending as agendadeelnemer receives no police data at that meeting."""
    base = {"overeenkomst": zeist_dossier.id, "datum": "2019-05-01", "deelnemers": ["woongoed"]}
    as_pro = {"deelnemer": "woongoed", "rol": "professional", "partij": "woongoed"}
    as_guest = {"deelnemer": "woongoed", "rol": "agendadeelnemer"}
    h = _h(staff, Role.COORDINATOR)
    for key, capacity in (("als-pro", as_pro), ("als-gast", as_guest)):
        r = client.post("/meetings", headers=h, json={**base, "sleutel": key, "hoedanigheden": [capacity]})
        assert r.status_code == 201, r.text
    pro = client.post("/meetings/als-pro/check", headers=h).json()["deelnemers"][0]
    guest = client.post("/meetings/als-gast/check", headers=h).json()["deelnemers"][0]
    assert pro["politiegegevens"]["toegestaan"] is True
    assert (
        guest["politiegegevens"]["toegestaan"] is False
        and "niet zo aangewezen" in guest["politiegegevens"]["reden"]
    )
    bad = client.post(
        "/meetings",
        headers=h,
        json={**base, "sleutel": "fout", "hoedanigheden": [{"deelnemer": "woongoed", "rol": "gastspreker"}]},
    )
    assert bad.status_code == 422 and "gastspreker" in bad.text


def _provision(**kw: object) -> dict[str, object]:
    body: dict[str, object] = {
        "overeenkomst": "zeist-wijkgericht-werken-2018",
        "verstrekker": "wijkagent",
        "ontvanger": "woongoed",
        "datum": "2019-05-01",
        "reden": "ernstige overlast",
        "categorie": "d",
        "doel": "overlast",
        "inhoud": "twee incidenten",
    }
    body.update(kw)
    return body


def test_wijkagent_records_provision_and_privacy_officer_exports_csv(
    client: TestClient, staff: dict[Role, Staff]
) -> None:
    r = client.post("/provisions", headers=_h(staff, Role.WIJKAGENT), json=_provision())
    assert r.status_code == 201, r.text
    assert (
        r.json()["artikel"] == "artikel 3 van het besluit"
        and r.json()["vastgelegd_door"] == staff[Role.WIJKAGENT].email
    )
    from sqlmodel import Session, col, select

    from registry.models import AuditEntry

    with Session(client.app.state.engine) as db:  # type: ignore[attr-defined]
        last = db.exec(select(AuditEntry).order_by(col(AuditEntry.seq).desc())).first()
    assert last is not None and last.entity == "reg_provision" and last.action == "aangemaakt"
    assert last.actor == staff[Role.WIJKAGENT].email and "ernstige overlast" in last.changes
    listed = client.get(
        "/provisions",
        params={"overeenkomst": "zeist-wijkgericht-werken-2018"},
        headers=_h(staff, Role.PRIVACYFUNCTIONARIS),
    )
    assert [p["id"] for p in listed.json()] == [r.json()["id"]]
    csv_resp = client.get(
        "/provisions.csv",
        params={"overeenkomst": "zeist-wijkgericht-werken-2018"},
        headers=_h(staff, Role.PRIVACYFUNCTIONARIS),
    )
    assert csv_resp.status_code == 200 and "Wendy Woongoed" in csv_resp.content.decode("utf-8-sig")


def test_refused_provision_is_422_with_article_and_stores_nothing(
    client: TestClient, staff: dict[Role, Staff]
) -> None:
    r = client.post(
        "/provisions", headers=_h(staff, Role.WIJKAGENT), json=_provision(ontvanger="huisarts", categorie="z")
    )
    assert r.status_code == 422
    body = r.json()
    assert body["melding"].startswith("Verstrekking geweigerd")
    assert {f["pad"] for f in body["fouten"]} == {"recipient", "category"}
    assert "artikel 11, eerste lid, van bijlage 1; artikel 4 van het besluit" in body["artikel"]
    listed = client.get(
        "/provisions",
        params={"overeenkomst": "zeist-wijkgericht-werken-2018"},
        headers=_h(staff, Role.PRIVACYFUNCTIONARIS),
    )
    assert listed.json() == []


def test_a_provision_for_several_purposes_through_the_api(
    client: TestClient, staff: dict[Role, Staff]
) -> None:
    # Issue 14, item 2: "doelen" takes a list; the older single "doel" is still accepted and counts too.
    h = _h(staff, Role.WIJKAGENT)
    r = client.post("/provisions", headers=h, json=_provision(doel=None, doelen=["zorg", "overlast"]))
    assert r.status_code == 201, r.text
    assert r.json()["doelen"] == ["zorg", "overlast"] and r.json()["doel"] == "zorg,overlast"
    old = client.post("/provisions", headers=h, json=_provision())  # only the older field "doel"
    assert old.status_code == 201 and old.json()["doelen"] == ["overlast"]
    refused = client.post(
        "/provisions",
        headers=h,
        json=_provision(doel=None, doelen=["overlast", "buurtfeest"], reden="geweigerd"),
    )
    assert refused.status_code == 422
    errors = [f for f in refused.json()["fouten"] if f["pad"] == "purpose"]
    assert len(errors) == 1 and "'buurtfeest'" in errors[0]["melding"]
    assert errors[0]["artikel"] == "artikel 3 van het besluit"
    params = {"overeenkomst": "zeist-wijkgericht-werken-2018"}
    officer = _h(staff, Role.PRIVACYFUNCTIONARIS)
    listed = client.get("/provisions", params=params, headers=officer).json()
    assert [p["doelen"] for p in listed] == [
        ["zorg", "overlast"],
        ["overlast"],
    ]  # the refused one is not stored
    text = client.get("/provisions.csv", params=params, headers=officer).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert [row["doelen"] for row in rows] == ["zorg,overlast", "overlast"]


def test_missing_field_is_named_in_dutch(client: TestClient, staff: dict[Role, Staff]) -> None:
    body = _provision()
    del body["reden"]
    r = client.post("/provisions", headers=_h(staff, Role.WIJKAGENT), json=body)
    assert r.status_code == 422 and "reden" in r.json()["melding"]


def test_coordinator_may_not_record_provisions(client: TestClient, staff: dict[Role, Staff]) -> None:
    r = client.post("/provisions", headers=_h(staff, Role.COORDINATOR), json=_provision())
    assert r.status_code == 403


def test_register_json_csv_pdf(client: TestClient, staff: dict[Role, Staff]) -> None:
    h = _h(staff, Role.PRIVACYFUNCTIONARIS)
    key = "zeist-wijkgericht-werken-2018"
    reg = client.get(f"/agreements/{key}/register", params={"peildatum": "2019-05-01"}, headers=h)
    assert reg.status_code == 200 and reg.json()["artikel"] == "artikel 3 van het besluit"
    assert all(r["politiegegevens"]["artikel"] for r in reg.json()["regels"])
    csv_resp = client.get(f"/agreements/{key}/register.csv", params={"peildatum": "2019-05-01"}, headers=h)
    assert "Wendy Woongoed" in csv_resp.content.decode("utf-8-sig")
    pdf = client.get(f"/agreements/{key}/register.pdf", params={"peildatum": "2019-05-01"}, headers=h)
    assert pdf.content.startswith(b"%PDF")
    warnings = client.get(f"/agreements/{key}/warnings", params={"peildatum": "2019-05-01"}, headers=h).json()
    assert [w["eindigt_op"] for w in warnings] == ["2019-05-20"] and warnings[0]["artikel"]


def test_renewal_refused_then_revocation_and_audit_verifies(
    client: TestClient, staff: dict[Role, Staff]
) -> None:
    h = _h(staff, Role.PRIVACYFUNCTIONARIS)
    key = "zeist-wijkgericht-werken-2018"
    r = client.post(f"/agreements/{key}/renewal", headers=h, json={"datum": "2021-05-01"})
    assert (
        r.status_code == 422
        and "schriftelijke evaluatie" in r.json()["melding"]
        and "artikel 6 van het besluit" in r.json()["artikel"]
    )
    r = client.post(
        f"/agreements/{key}/besluiten/besluit-art20/revocation",
        headers=h,
        json={"ingetrokken_per": "2019-04-01", "reden": "belang vervallen"},
    )
    assert r.status_code == 201 and "artikel 6 van het besluit" in r.json()["artikel"]
    check = client.post(f"/meetings/{MEETING}/check", headers=_h(staff, Role.COORDINATOR)).json()
    assert not any(d["politiegegevens"]["toegestaan"] for d in check["deelnemers"])
    audit = client.get("/audit/verify", headers=h).json()
    assert audit["in_orde"] is True and audit["aantal"] > 0


def test_declaration_makes_agendadeelnemer_eligible(client: TestClient, staff: dict[Role, Staff]) -> None:
    key = "zeist-wijkgericht-werken-2018"
    r = client.post(
        f"/agreements/{key}/declarations",
        headers=_h(staff, Role.COORDINATOR),
        json={
            "persoon": "i.intern@example.nl",
            "grondslag": "toestemming",
            "ondertekend_op": date(2019, 4, 20).isoformat(),
            "document": "zaak 2019-0420 (papieren verklaring, gescand)",
            "sha256": "ab" * 32,
        },
    )
    assert r.status_code == 201, r.text
    check = client.post(f"/meetings/{MEETING}/check", headers=_h(staff, Role.COORDINATOR)).json()
    row = next(d for d in check["deelnemers"] if d["opgegeven_als"] == "ib")
    assert row["persoonsgegevens"]["toegestaan"] and not row["politiegegevens"]["toegestaan"]


def test_partner_withdrawal_ends_its_professionals_access(
    client: TestClient, staff: dict[Role, Staff]
) -> None:
    key = "zeist-wijkgericht-werken-2018"
    r = client.post(
        f"/agreements/{key}/withdrawals",
        headers=_h(staff, Role.PRIVACYFUNCTIONARIS),
        json={"partij": "woongoed", "datum": "2019-04-01"},
    )
    assert r.status_code == 201, r.text
    check = client.post(f"/meetings/{MEETING}/check", headers=_h(staff, Role.COORDINATOR)).json()
    row = next(d for d in check["deelnemers"] if d["opgegeven_als"] == "woongoed")
    assert not row["persoonsgegevens"]["toegestaan"] and not row["politiegegevens"]["toegestaan"]
    assert "uit de samenwerking getreden" in row["persoonsgegevens"]["reden"]


def test_register_without_peildatum_is_for_today_in_amsterdam(
    app: FastAPI, client: TestClient, staff: dict[Role, Staff]
) -> None:
    # 22:30 UTC on 19 May 2019 is 00:30 on 20 May in Amsterdam (CEST): the register (JSON and CSV) is
    # for the Amsterdam day.
    app.state.clock = Clock.fixed(datetime(2019, 5, 19, 22, 30, tzinfo=UTC))
    h = _h(staff, Role.PRIVACYFUNCTIONARIS)
    key = "zeist-wijkgericht-werken-2018"
    assert client.get(f"/agreements/{key}/register", headers=h).json()["peildatum"] == "2019-05-20"
    csv_resp = client.get(f"/agreements/{key}/register.csv", headers=h)
    assert f"autorisatieregister-{key}-2019-05-20.csv" in csv_resp.headers["content-disposition"]


def test_register_page_without_peildatum_is_for_the_apps_clock(
    app: FastAPI, staff: dict[Role, Staff]
) -> None:
    # the page reads the injected clock too (not the machine's): 00:30 on 20 May in Amsterdam
    officer = staff[Role.PRIVACYFUNCTIONARIS]
    client = login(https_client(app), officer.email, officer.password, officer.totp_secret)
    app.state.clock = Clock.fixed(datetime(2019, 5, 19, 22, 30, tzinfo=UTC))
    key = "zeist-wijkgericht-werken-2018"
    page = client.get(f"/portaal/register?overeenkomst={key}")
    assert page.status_code == 200, page.text
    assert 'name="peildatum" type="date" value="2019-05-20"' in page.text
    assert "Peildatum 20 mei 2019" in page.text
