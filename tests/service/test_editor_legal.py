# ruff: noqa: F811  (pytest fixtures imported from accounts_support)
"""The legal model in the editor's forms: a privacy officer adds roles (with their definition), legal grounds,
conditions, a data flow and a prohibition, each citing a provision of this dossier chosen from the list; bad
input is refused at its field (aria-invalid, Dutch words), nothing saved; removing what something else
uses is refused with a message naming that thing and its article; every save is a new version."""

from __future__ import annotations

import re

import pytest
from accounts_support import app, csrf_from  # noqa: F401
from editor_support import new, officer, ok, post, saved, versions  # noqa: F401
from fastapi import FastAPI
from sqlmodel import Session, select

from service.dossiers.versions import DossierVersion

pytestmark = pytest.mark.db


def _articles(app: FastAPI, did: str) -> list[dict]:  # type: ignore[type-arg]
    return [a for p in saved(app, did)["agreement"]["parts"] for a in p.get("articles") or []]


def test_roles_grounds_conditions_flows_and_prohibitions_in_forms(app: FastAPI, officer) -> None:  # type: ignore[no-untyped-def]
    did = new(officer, "Convenant Rechtsmodel Testdorp")
    ok(
        post(
            officer,
            did,
            "artikel-toevoegen",
            titel="Begrippen",
            lid="In dit convenant wordt verstaan onder wijkagent: de politieambtenaar van de wijk.",
        )
    )
    ok(
        post(
            officer,
            did,
            "artikel-toevoegen",
            titel="Verstrekking",
            lid="De wijkagent verstrekt politiegegevens aan de partnerprofessional.",
        )
    )
    begrippen, verstrekking = _articles(app, did)[1:3]
    lid_begrippen = begrippen["leden"][0]["key"]
    lid_verstrekking = verstrekking["leden"][0]["key"]

    # a role: the key is made from the name; the source is chosen from the list
    ok(
        post(
            officer,
            did,
            "rol-toevoegen",
            label="Wijkagent",
            definitie="De politieambtenaar van de wijk.",
            partij="ja",
            bron=lid_begrippen,
        )
    )
    ok(post(officer, did, "rol-toevoegen", label="Partnerprofessional", partij="ja", bron=lid_begrippen))
    roles = {r["label"]: r for r in saved(app, did)["legal"]["roles"]}
    assert roles["Wijkagent"]["key"] == "wijkagent" and roles["Wijkagent"]["source"] == [lid_begrippen]
    assert roles["Wijkagent"]["definition"] == "De politieambtenaar van de wijk."

    # a role without a provision: refused at the field, in words, nothing saved
    before = versions(app, did)
    r = post(officer, did, "rol-toevoegen", label="Agendadeelnemer", partij="ja")
    assert r.status_code == 422
    assert "Rol &#39;Agendadeelnemer&#39;: kies de bepaling van het convenant die dit vastlegt" in r.text
    assert re.search(r'name="bron"[^>]*aria-invalid="true" aria-describedby="rol-nieuw-bron-fout"', r.text)
    assert 'id="rol-nieuw-bron-fout"' in r.text
    assert 'value="Agendadeelnemer"' in r.text  # what she typed is shown again
    assert versions(app, did) == before and len(saved(app, did)["legal"]["roles"]) == 3

    ok(
        post(
            officer,
            did,
            "grond-toevoegen",
            soort="wpg",
            label="artikel 20 Wpg (besluit van de politiechef)",
            bron=lid_verstrekking,
        )
    )
    ok(
        post(
            officer,
            did,
            "voorwaarde-toevoegen",
            soort="aanwijzing",
            tekst="De partnerprofessional is aangewezen door zijn organisatie.",
            rollen="partnerprofessional",
            bron=lid_verstrekking,
        )
    )
    legal = saved(app, did)["legal"]
    ground, condition = legal["grounds"][0]["key"], legal["conditions"][0]["key"]

    # a flow without a ground: refused, the field says why
    r = post(
        officer,
        did,
        "stroom-toevoegen",
        gegevens="politiegegevens",
        van="wijkagent",
        naar="partnerprofessional",
        bron=lid_verstrekking,
    )
    assert r.status_code == 422 and "kies ten minste één grondslag" in r.text
    assert re.search(r'name="gronden"[^>]*aria-invalid="true"', r.text)
    assert "flows" not in saved(app, did)["legal"]

    # the flow, to two roles (checkboxes chosen twice arrive as a list)
    ok(
        post(
            officer,
            did,
            "stroom-toevoegen",
            gegevens="politiegegevens",
            van="wijkagent",
            naar=["partnerprofessional", "deelnemer"],
            gronden=ground,
            voorwaarden=condition,
            ontvangende_partijen="alle",
            bron=lid_verstrekking,
        )
    )
    flow = saved(app, did)["legal"]["flows"][0]
    assert flow["from_roles"] == ["wijkagent"] and flow["to_roles"] == ["partnerprofessional", "deelnemer"]
    assert (
        flow["grounds"] == [ground]
        and flow["conditions"] == [condition]
        and flow["source"] == [lid_verstrekking]
    )
    page = officer.get(f"/portaal/editor/{did}").text
    assert "politiegegevens van Wijkagent aan Partnerprofessional, deelnemer" in page
    assert "Vastgelegd in: artikel 3, eerste lid" in page  # the citation in the dossier's own numbering

    ok(
        post(
            officer,
            did,
            "verbod-toevoegen",
            gegevens="politiegegevens",
            rollen="deelnemer",
            tekst="Deelnemers ontvangen nooit politiegegevens.",
            bron=lid_verstrekking,
        )
    )
    assert saved(app, did)["legal"]["prohibitions"][0]["roles"] == ["deelnemer"]

    # change the flow: its form opens on its own; the saved flow follows
    key = flow["key"]
    edit = officer.get(f"/portaal/editor/{did}?bewerk=stroom:{key}").text
    assert 'aria-label="Gegevensstroom wijzigen"' in edit
    ok(
        post(
            officer,
            did,
            "stroom-wijzigen",
            doel=key,
            gegevens="persoonsgegevens",
            van="wijkagent",
            naar="partnerprofessional",
            gronden=ground,
            ontvangende_partijen="alle",
            tot="2027-12-31",
            bron=[lid_verstrekking, lid_begrippen],
        )
    )
    flow = saved(app, did)["legal"]["flows"][0]
    assert flow["data"] == "persoonsgegevens" and flow["to_roles"] == ["partnerprofessional"]
    assert flow.get("conditions", []) == [] and str(flow["until"]) == "2027-12-31"
    assert flow["source"] == [lid_verstrekking, lid_begrippen]

    # what is used cannot go: the refusal names the user and its article
    r = post(officer, did, "rol-verwijderen", doel="wijkagent")
    assert r.status_code == 422
    assert (
        "De rol &#39;Wijkagent&#39; kan niet weg: gegevensstroom &#39;persoonsgegevens van Wijkagent aan "
        "Partnerprofessional&#39; (artikel 3, eerste lid, artikel 2, eerste lid) gebruikt haar" in r.text
    )
    r = post(officer, did, "grond-verwijderen", doel=ground)
    assert r.status_code == 422 and "kan niet weg: gegevensstroom" in r.text
    r = post(officer, did, "artikel-verwijderen", doel=verstrekking["key"])
    assert r.status_code == 422
    assert "Artikel 3 kan niet weg: het rechtsmodel (grondslag &#39;artikel 20 Wpg" in r.text
    # an unused condition goes; then the flow, then the role
    ok(post(officer, did, "voorwaarde-verwijderen", doel=condition))
    ok(post(officer, did, "stroom-verwijderen", doel=key))
    ok(post(officer, did, "rol-verwijderen", doel="wijkagent"))
    legal = saved(app, did)["legal"]
    assert [r["key"] for r in legal["roles"]] == ["deelnemer", "partnerprofessional"]
    assert legal.get("flows", []) == [] and legal.get("conditions", []) == []

    with Session(app.state.engine) as db:
        comments = [
            v.comment for v in db.exec(select(DossierVersion).where(DossierVersion.dossier_id == did))
        ]
    assert "rechtsmodel: gegevensstroom toegevoegd" in comments
    assert "rechtsmodel: rol verwijderd" in comments


def test_a_flow_is_listed_in_words_and_its_check_message_sits_at_it(app: FastAPI, officer) -> None:  # type: ignore[no-untyped-def]
    did = new(officer, "Convenant Stroom Zonder Grond")
    lid = _articles(app, did)[0]["leden"][0]["key"]
    ok(
        post(
            officer, did, "grond-toevoegen", soort="avg", label="AVG artikel 6, eerste lid, onder e", bron=lid
        )
    )
    ground = saved(app, did)["legal"]["grounds"][0]["key"]
    ok(
        post(
            officer,
            did,
            "voorwaarde-toevoegen",
            soort="besluit",
            tekst="Het besluit is van kracht.",
            bron=lid,
        )
    )
    condition = saved(app, did)["legal"]["conditions"][0]["key"]
    ok(
        post(
            officer,
            did,
            "stroom-toevoegen",
            gegevens="persoonsgegevens",
            van="deelnemer",
            naar="deelnemer",
            gronden=ground,
            voorwaarden=condition,
            bron=lid,
        )
    )
    page = officer.get(f"/portaal/editor/{did}").text
    flow = saved(app, did)["legal"]["flows"][0]["key"]
    # the item is listed in words, with a change link and a remove button
    assert f'id="stroom-{flow}"' in page and f"?bewerk=stroom:{flow}" in page
    assert "persoonsgegevens van deelnemer aan deelnemer" in page
    # the check's warning (a flow that needs a besluit the dossier lacks) is in words, at the flow itself
    item = page[page.index(f'id="stroom-{flow}"') :]
    item = item[: item.index("</li>")]
    assert "Het rechtsmodel, gegevensstroom &#39;persoonsgegevens van deelnemer aan deelnemer&#39;: " in item
    assert "vraagt een besluit" in item


def test_changing_a_flow_of_a_real_covenant_keeps_what_the_form_does_not_show(app: FastAPI, officer) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    examples = Path(__file__).resolve().parents[2] / "examples"
    page = officer.get("/portaal/dossiers")
    r = officer.post(
        "/portaal/dossiers",
        data={"csrf_token": csrf_from(page.text)},
        files={"bestand": ("zeist.yaml", (examples / "zeist.yaml").read_bytes(), "application/x-yaml")},
    )
    assert r.status_code == 303
    did = new(officer, "Convenant Wijkaanpak Test", "zeist-wijkgericht-werken-2018")
    before = saved(app, did)["legal"]["flows"][0]
    assert before["to_parties"] == "besluit" and before["categories"]
    page = officer.get(f"/portaal/editor/{did}?bewerk=stroom:{before['key']}")
    assert page.status_code == 200 and 'aria-label="Gegevensstroom wijzigen"' in page.text
    # the form shows the saved choices: its roles, grounds and the besluit's recipients are checked/selected
    form = page.text[page.text.index('aria-label="Gegevensstroom wijzigen"') :]
    form = form[: form.index("</form>")]
    for role in before["from_roles"]:
        assert re.search(rf'name="van" value="{role}" checked', form)
    assert re.search(r'<option value="besluit" selected', form)
    # the provisions it rests on are in bijlage 1 and in the besluit: the picker lists and selects them
    for src in before["source"]:
        assert re.search(rf'<option value="{src}" selected>[^<]* van (bijlage 1|het besluit) — ', form)
    ok(
        post(
            officer,
            did,
            "stroom-wijzigen",
            doel=before["key"],
            gegevens=before["data"],
            van=before["from_roles"],
            naar=before["to_roles"],
            gronden=before["grounds"],
            voorwaarden=before.get("conditions", []),
            doelen=before.get("purposes", []),
            ontvangende_partijen="besluit",
            bron=before["source"],
        )
    )
    after = saved(app, did)["legal"]["flows"][0]
    assert after == before  # categories and the besluit's recipients kept


def test_purposes_and_the_duties_of_register_logging_and_designation(app: FastAPI, officer) -> None:  # type: ignore[no-untyped-def]
    did = new(officer, "Convenant Doelen Testdorp")
    lid = _articles(app, did)[0]["leden"][0]["key"]
    ok(post(officer, did, "gebruiksdoel-toevoegen", tekst="het voorkomen van woonoverlast", bron=lid))
    purpose = saved(app, did)["legal"]["purposes"][0]
    assert purpose["text"] == "het voorkomen van woonoverlast" and purpose["source"] == [lid]
    ok(
        post(
            officer, did, "grond-toevoegen", soort="avg", label="AVG artikel 6, eerste lid, onder e", bron=lid
        )
    )
    ground = saved(app, did)["legal"]["grounds"][0]["key"]
    page = officer.get(f"/portaal/editor/{did}").text
    assert f'id="stroom-nieuw-doelen-{purpose["key"]}"' in page  # a flow can now name the purpose
    ok(
        post(
            officer,
            did,
            "stroom-toevoegen",
            gegevens="persoonsgegevens",
            van="deelnemer",
            naar="deelnemer",
            gronden=ground,
            doelen=purpose["key"],
            bron=lid,
        )
    )
    assert saved(app, did)["legal"]["flows"][0]["purposes"] == [purpose["key"]]
    r = post(officer, did, "gebruiksdoel-verwijderen", doel=purpose["key"])
    assert r.status_code == 422
    assert (
        "Het doel &#39;het voorkomen van woonoverlast&#39; kan niet weg: gegevensstroom "
        "&#39;persoonsgegevens van deelnemer aan deelnemer&#39; (artikel 1, eerste lid) gebruikt het."
        in r.text
    )

    ok(post(officer, did, "plichten", autorisatieregister=lid, logging=lid))
    legal = saved(app, did)["legal"]
    assert (
        legal["authorisation_register"] == [lid] and legal["logging"] == [lid] and "designation" not in legal
    )
    r = post(officer, did, "plichten", autorisatieregister="verzonnen")
    assert (
        r.status_code == 422 and "Plicht tot een autorisatieregister: kies de bepaling uit de lijst" in r.text
    )
    assert re.search(
        r'id="plicht-autorisatieregister" name="autorisatieregister" multiple size="4" aria-invalid="true"',
        r.text,
    )
