# ruff: noqa: F811  (pytest fixtures imported from accounts_support)
"""The editor: a privacy officer (or beheerder) makes a covenant with forms only — parties, signatories,
articles with a cross-reference, a term rule — and every save is a new version and an audit entry; check
messages are in words next to their field; Word import through the page; bad input named, nothing saved."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from accounts_support import app, csrf_from, https_client, login, make_staff  # noqa: F401
from editor_support import new, officer, ok, post, saved  # noqa: F401
from fastapi import FastAPI
from sqlmodel import Session, select

from registry.models import AuditEntry
from service.accounts.roles import Role
from service.dossiers.versions import DossierVersion
from templates import load_dossier
from templates.wordimport.samples import build_docx

pytestmark = pytest.mark.db
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_a_small_covenant_made_with_forms_only(app: FastAPI, officer) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import func

    with Session(app.state.engine) as db:
        start = int(db.exec(select(func.coalesce(func.max(AuditEntry.seq), 0))).one())
    did = new(officer)
    assert did == "convenant-buurtzorg-testdorp"
    # a party without a signatory is refused, in words, and nothing is saved
    r = post(officer, did, "partij-toevoegen", naam="Politie Midden", soort="politie")
    assert (
        r.status_code == 422
        and "Partij &#39;Politie Midden&#39;" in r.text
        and "geen ondertekenaar" in r.text
    )
    ok(
        post(
            officer,
            did,
            "partij-toevoegen",
            naam="Politie Midden",
            soort="politie",
            vertegenwoordiger="de teamchef",
            ondertekenaar="P. Agent",
            ondertekenaar_functie="teamchef",
            ondertekenaar_email="teamchef@politie.example",
        )
    )
    ok(
        post(
            officer,
            did,
            "partij-toevoegen",
            naam="Woonstichting Thuis",
            soort="woningcorporatie",
            ondertekenaar="W. Thuis",
            ondertekenaar_functie="directeur",
        )
    )
    data = saved(app, did)
    assert [p["name"] for p in data["parties"]] == [
        "Gemeente Testdorp",
        "Politie Midden",
        "Woonstichting Thuis",
    ]
    keys = [p["key"] for p in data["parties"]]
    ok(post(officer, did, "partij-omhoog", doel=keys[2]))
    assert [p["key"] for p in saved(app, did)["parties"]] == [keys[0], keys[2], keys[1]]
    sig = saved(app, did)["parties"][0]["signatories"][0]["key"]
    ok(
        post(
            officer,
            did,
            "ondertekenaar-wijzigen",
            doel=sig,
            partij=keys[0],
            naam="A. de Vries",
            functie="burgemeester",
            hoedanigheid="vertegenwoordiger",
        )
    )
    # a signatory without e-mail: the check says so in words, next to the party
    page = officer.get(f"/portaal/editor/{did}").text
    assert "Partij &#39;Woonstichting Thuis&#39;, ondertekenaar &#39;W. Thuis&#39;" in page
    for n, title in enumerate(["Begrippen", "Doel", "Uitwisseling", "Geheimhouding"], start=2):
        ok(post(officer, did, "artikel-toevoegen", titel=title, lid=f"Tekst van artikel {n} [verwijzing]."))
    data = saved(app, did)
    arts = data["agreement"]["parts"][1]["articles"]
    assert len(arts) == 5 and all(re.fullmatch(r"[a-z0-9][a-z0-9_.-]*", a["key"]) for a in arts)
    ok(
        post(
            officer, did, "lid-toevoegen", doel=arts[1]["key"], tekst="De partners delen alleen wat nodig is."
        )
    )
    second_lid = saved(app, did)["agreement"]["parts"][1]["articles"][1]["leden"][1]["key"]
    # the reference picker lists the target as the documents print it, with its first words
    page = officer.get(f"/portaal/editor/{did}").text
    assert "artikel 2, tweede lid — De partners delen alleen wat nodig is." in page
    ok(post(officer, did, "verwijzing", lid=arts[3]["leden"][0]["key"], naar=second_lid))
    text = saved(app, did)["agreement"]["parts"][1]["articles"][3]["leden"][0]["text"]
    assert text == f"Tekst van artikel 4 [[ref:{second_lid}]]."
    ok(
        post(
            officer,
            did,
            "algemeen",
            titel="Convenant Buurtzorg Testdorp",
            soort="convenant",
            gemeente="Testdorp",
            samenwerkingsverband="Buurtzorg Testdorp",
            datum_ondertekening="2026-03-01",
            looptijd_start="2026-03-01",
            looptijd_jaren="2",
            verlenging="stilzwijgend",
            verlenging_jaren="1",
            bezwaar="meerderheid",
        )
    )
    dossier = load_dossier((app.state.settings.data_dir / "dossiers" / f"{did}.yaml").read_bytes(), "x")
    assert dossier.legal.term.kind == "stilzwijgend" and dossier.term.duration_years == 2
    assert dossier.legal.term.objection == "meerderheid" and dossier.legal.term.source  # cites an article
    preview = officer.get(f"/portaal/editor/{did}/voorbeeld")
    assert preview.status_code == 200 and "artikel 2, tweede lid" in preview.text
    # every save is a version with its author, and an audit entry
    with Session(app.state.engine) as db:
        rows = db.exec(select(DossierVersion).where(DossierVersion.dossier_id == did)).all()
        audits = db.exec(
            select(AuditEntry).where(AuditEntry.entity == "dossier_version", AuditEntry.seq > start)
        ).all()
    assert len(rows) == 12 and all("privacyfunctionaris" in v.author for v in rows)
    assert len(audits) == 12


def test_bad_input_is_named_and_nothing_is_stored(app: FastAPI, officer) -> None:  # type: ignore[no-untyped-def]
    did = new(officer)
    before = saved(app, did)
    party = before["parties"][0]["key"]
    # "geen-adres", and addresses the old pattern (something@something.something) let through: refused at
    # the field as an invitation's are (email-validator)
    for bad in ("geen-adres", "b..bakker@zeist.nl", "b.bakker@zeist.nl.", "b.bakker@zeist..nl"):
        r = post(
            officer,
            did,
            "ondertekenaar-toevoegen",
            doel=party,
            naam="B. Bakker",
            functie="wethouder",
            email=bad,
        )
        assert r.status_code == 422, bad
        assert f"E-mailadres van B. Bakker: &#39;{bad}&#39; is geen e-mailadres." in r.text, bad
    r = post(officer, did, "artikel-verwijderen", doel=before["agreement"]["parts"][1]["articles"][0]["key"])
    assert r.status_code == 422 and "Het laatste artikel kan niet weg" in r.text
    assert saved(app, did) == before


def test_word_import_through_the_page_and_the_beheerder_may_edit(app: FastAPI) -> None:
    staff = make_staff(app)
    admin = login(https_client(app), staff[Role.BEHEERDER].email)
    amsterdam = load_dossier((EXAMPLES / "amsterdam.yaml").read_bytes(), "amsterdam.yaml")
    page = admin.get("/portaal/editor/nieuw")
    r = admin.post(
        "/portaal/editor/nieuw/word",
        data={"csrf_token": csrf_from(page.text)},
        files={"bestand": ("mzw.docx", build_docx(amsterdam, "gemengd"), "application/octet-stream")},
    )
    assert r.status_code == 200, r.text[:2000]
    assert "Het concept is opgeslagen als versie 1" in r.text and "31 partijen" in r.text
    did = re.search(r'href="/portaal/editor/([a-z0-9-]+)">Verder', r.text).group(1)  # type: ignore[union-attr]
    editor = admin.get(f"/portaal/editor/{did}")
    assert editor.status_code == 200 and "Artikel 33" in editor.text
    bad = admin.post(
        "/portaal/editor/nieuw/word",
        data={"csrf_token": csrf_from(page.text)},
        files={"bestand": ("x.docx", b"geen word", "application/octet-stream")},
    )
    assert bad.status_code == 422 and "Word-bestand: Dit is geen Word-document" in bad.text
    coordinator = login(https_client(app), staff[Role.COORDINATOR].email)
    assert coordinator.get("/portaal/editor/nieuw").status_code == 403


def test_a_region_instead_of_one_municipality(app: FastAPI, officer) -> None:  # type: ignore[no-untyped-def]
    did = new(officer, "Convenant Regio Zonneland")
    general = {
        "titel": "Convenant Regio Zonneland",
        "soort": "convenant",
        "samenwerkingsverband": "Zorg en veiligheid Zonneland",
        "datum_ondertekening": "2026-03-01",
        "looptijd_start": "2026-03-01",
        "looptijd_jaren": "3",
        "verlenging": "na_evaluatie",
    }
    r = post(officer, did, "algemeen", gemeente="", regio="", **general)
    assert r.status_code == 422 and "Gemeente of regio: vul de gemeente in" in r.text
    ok(
        post(
            officer,
            did,
            "algemeen",
            gemeente="",
            regio="Zonneland",
            regio_gemeenten="Zondorp, Maanstad",
            **general,
        )
    )
    data = saved(app, did)
    assert "municipality" not in data
    assert data["region"] == {"name": "Zonneland", "municipalities": ["Zondorp", "Maanstad"]}
    assert data["legal"]["term"]["kind"] == "verlenging_na_evaluatie"


def test_chapters_moves_across_them_and_points_removed(app: FastAPI, officer) -> None:  # type: ignore[no-untyped-def]
    page = officer.get("/portaal/dossiers")
    r = officer.post(
        "/portaal/dossiers",
        data={"csrf_token": csrf_from(page.text)},
        files={
            "bestand": ("amsterdam.yaml", (EXAMPLES / "amsterdam.yaml").read_bytes(), "application/x-yaml")
        },
    )
    assert r.status_code == 303
    did = new(officer, "Convenant MZW Noord", model="amsterdam-mzw")

    def chapters() -> list[list[str]]:
        part = next(p for p in saved(app, did)["agreement"]["parts"] if p.get("chapters"))
        return [[a["key"] for a in ch["articles"]] for ch in part["chapters"]]

    before = chapters()
    first_of_second = before[1][0]
    ok(post(officer, did, "artikel-omhoog", doel=first_of_second))  # into the end of chapter I
    after = chapters()
    assert after[0] == [*before[0], first_of_second] and after[1] == before[1][1:]
    page = officer.get(f"/portaal/editor/{did}").text
    assert (
        "Artikel 2 — Doelen van het Meldpunt Zorg en Woonoverlast" in page
        and "(hoofdstuk Algemene bepalingen)" in page
    )
    ok(
        post(
            officer,
            did,
            "hoofdstuk-toevoegen",
            hoofdstuk="Evaluatie",
            titel="Jaarlijkse evaluatie",
            lid="Partijen evalueren elk jaar.",
        )
    )
    assert len(chapters()) == len(before) + 1
    # a point (a, b, …) that nothing refers to can go; one that is referred to cannot
    data = saved(app, did)
    items = [
        (it["key"], lid["key"])
        for part in data["agreement"]["parts"]
        for ch in part.get("chapters") or []
        for a in ch["articles"]
        for lid in a.get("leden", [])
        for it in lid.get("items", [])
        if it.get("key")
    ]
    text = yaml.safe_dump(data)
    free = next(k for k, _ in items if f"[[ref:{k}]]" not in text)
    ok(post(officer, did, "onderdeel-verwijderen", doel=free))
    assert free not in yaml.safe_dump(saved(app, did))
    used = next((k for k, _ in items if f"[[ref:{k}]]" in text), None)
    if used is not None:
        r = post(officer, did, "onderdeel-verwijderen", doel=used)
        assert r.status_code == 422 and "verwijst ernaar" in r.text


def test_retention_in_the_legal_model_cites_a_chosen_provision(app: FastAPI, officer) -> None:  # type: ignore[no-untyped-def]
    did = new(officer, "Convenant Bewaren")
    article = saved(app, did)["agreement"]["parts"][1]["articles"][0]["key"]
    page = officer.get(f"/portaal/editor/{did}").text
    assert 'id="rechtsmodel"' in page and "Bewaartermijn in jaren" in page
    r = post(officer, did, "bewaartermijn", bewaartermijn="5", inzage_weken="4", bron="verzonnen-sleutel")
    assert r.status_code == 422 and "Bepaling: kies het artikel of lid" in r.text
    ok(post(officer, did, "bewaartermijn", bewaartermijn="5", inzage_weken="4", bron=article))
    retention = saved(app, did)["legal"]["retention"]
    assert retention == {"years": 5, "source": [article], "inzage_weeks": 4, "inzage_source": [article]}
