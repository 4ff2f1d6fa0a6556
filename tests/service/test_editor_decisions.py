# ruff: noqa: F811  (pytest fixtures imported from accounts_support)
"""Budget lines, the artikel 20-besluit (recipients, categories, uses) and new mandaatbesluiten in the
editor's forms, on a real covenant (the Zeist example as model): amounts in Dutch notation, errors at the
field, nothing saved on bad input, and what is still used (a line the text names, a category a flow names,
a mandate a signatory signs by) cannot be removed — the refusal names the user."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from accounts_support import app  # noqa: F401
from editor_support import from_example, officer, ok, post, saved, versions  # noqa: F401
from fastapi import FastAPI

from service.editor.data import articles

pytestmark = pytest.mark.db


@pytest.fixture()
def zeist(app: FastAPI, officer) -> str:  # type: ignore[no-untyped-def]
    return from_example(
        officer, "zeist", "zeist-wijkgericht-werken-2018", "Overeenkomst Wijkgericht Werken Testdorp"
    )


def _lines(app: FastAPI, did: str) -> list[list[dict]]:  # type: ignore[type-arg]
    return [g["lines"] for g in saved(app, did)["budget"]["groups"]]


def test_budget_groups_and_lines(app: FastAPI, officer, zeist: str) -> None:  # type: ignore[no-untyped-def]
    did = zeist
    page = officer.get(f"/portaal/editor/{did}").text
    assert "Wijkteambudget: € 66.900,00" in page.replace(
        "\xa0", " "
    )  # the computed amount (5 x 13.380,00), not typed
    ok(
        post(
            officer,
            did,
            "begroting-regel-toevoegen",
            doel="1",
            omschrijving="Buurtfeest",
            wijze="bedrag",
            bedrag="1.250,00",
        )
    )
    line = _lines(app, did)[1][-1]
    assert (
        line["label"] == "Buurtfeest" and Decimal(str(line["amount"])) == Decimal("1250.00") and line["key"]
    )

    ok(
        post(
            officer,
            did,
            "begroting-regel-wijzigen",
            doel="0.0",
            omschrijving="Vaste kosten",
            wijze="aantal",
            aantal="2",
            bedrag_per_stuk="77.250,00",
            toelichting_regels="huur\nonderhoud",
        )
    )
    first = _lines(app, did)[0][0]
    assert first["quantity"] == 2 and Decimal(str(first["unit_amount"])) == Decimal("77250.00")
    assert "amount" not in first and first["details"] == ["huur", "onderhoud"]

    # a bad amount: refused at its field, in words, nothing saved
    before = versions(app, did)
    r = post(
        officer,
        did,
        "begroting-regel-toevoegen",
        doel="1",
        omschrijving="Drukwerk",
        wijze="bedrag",
        bedrag="veel",
    )
    assert r.status_code == 422
    assert "Regel &#39;Drukwerk&#39;, bedrag: geef een bedrag, bijvoorbeeld 13.380,00." in r.text
    assert re.search(
        r'id="nieuwe-regel-1-bedrag" name="bedrag" type="text" value="veel"\s*aria-invalid="true"', r.text
    )
    assert versions(app, did) == before and len(_lines(app, did)[1]) == 3

    # a remainder needs room: with 2 x 200.000 available the lines leave 8.550 over
    ok(post(officer, did, "begroting", per_jaar="200.000,00", jaren="2"))
    ok(
        post(
            officer,
            did,
            "begroting-groep-toevoegen",
            groep="COMMUNICATIE",
            omschrijving="Nog te verdelen",
            wijze="rest",
        )
    )
    assert saved(app, did)["budget"]["groups"][2]["label"] == "COMMUNICATIE"
    assert _lines(app, did)[2][0]["remainder"] is True
    assert "Nog te verdelen: € 8.550,00" in officer.get(f"/portaal/editor/{did}").text.replace("\xa0", " ")
    r = post(officer, did, "begroting-regel-toevoegen", doel="2", omschrijving="Ook rest", wijze="rest")
    assert r.status_code == 422 and "heeft al een restantregel (&#39;Nog te verdelen&#39;)" in r.text
    ok(post(officer, did, "begroting-groep-wijzigen", doel="2", groep="Communicatie en drukwerk"))
    assert saved(app, did)["budget"]["groups"][2]["label"] == "Communicatie en drukwerk"

    # a line whose amount the text names cannot go: the refusal names the article
    ok(
        post(
            officer,
            did,
            "artikel-toevoegen",
            titel="Financiering",
            lid="Voor wijkprojecten is [[waarde:begroting.regel.wijkprojecten]] beschikbaar.",
        )
    )
    assert len(articles(saved(app, did))) == 1
    r = post(officer, did, "begroting-regel-verwijderen", doel="1.1")
    assert r.status_code == 422
    assert (
        "De regel &#39;Wijkprojecten&#39; kan niet weg: artikel 1, eerste lid noemt het bedrag ervan."
        in r.text
    )
    ok(post(officer, did, "begroting-regel-verwijderen", doel="1.2"))  # the Buurtfeest line
    assert [ln["label"] for ln in _lines(app, did)[1]] == ["Wijkteambudget", "Wijkprojecten"]
    ok(post(officer, did, "begroting-groep-verwijderen", doel="2"))
    assert len(_lines(app, did)) == 2


def test_besluit_recipients_categories_and_uses(app: FastAPI, officer, zeist: str) -> None:  # type: ignore[no-untyped-def]
    did = zeist
    ok(post(officer, did, "besluit-ontvangers", ontvangers=["gemeente", "woongoed"]))
    assert saved(app, did)["besluit"]["recipients"] == ["gemeente", "woongoed"]
    r = post(officer, did, "besluit-ontvangers")
    assert r.status_code == 422 and "Ontvangers: kies ten minste één partij" in r.text
    assert re.search(r'name="ontvangers" value="gemeente"[^>]*aria-invalid="true"', r.text)

    ok(post(officer, did, "categorie-toevoegen", tekst="Gegevens over het gezin"))
    categories = saved(app, did)["besluit"]["categories"]
    new = categories[-1]
    assert new["text"] == "Gegevens over het gezin" and new["key"] not in {c["key"] for c in categories[:-1]}
    # a category a data flow names cannot go: the refusal names the flow
    r = post(officer, did, "categorie-verwijderen", doel="a")
    assert r.status_code == 422
    assert "kan niet weg: gegevensstroom &#39;politiegegevens van" in r.text
    ok(post(officer, did, "categorie-verwijderen", doel=new["key"]))
    assert [c["key"] for c in saved(app, did)["besluit"]["categories"]] == [c["key"] for c in categories[:-1]]

    ok(post(officer, did, "gebruik-wijzigen", doel="zorg", tekst="het aanbieden van zorg en ondersteuning;"))
    uses = {u["key"]: u["text"] for u in saved(app, did)["besluit"]["uses"]}
    assert uses["zorg"] == "het aanbieden van zorg en ondersteuning;"
    r = post(officer, did, "gebruik-verwijderen", doel="zorg")
    assert r.status_code == 422 and "gegevensstroom" in r.text


def test_a_new_mandate_and_one_a_signatory_signs_by(app: FastAPI, officer, zeist: str) -> None:  # type: ignore[no-untyped-def]
    did = zeist
    r = post(
        officer,
        did,
        "mandaat-toevoegen",
        titel="Mandaatbesluit wethouder",
        mandaatgever="De burgemeester",
        mandaatgever_functie="burgemeester",
        gemandateerde="P. de Vries",
        gemandateerde_functie="wethouder",
        documenten="overeenkomst",
        datum="31-12-2017",
        plaats="Zeist",
    )
    assert r.status_code == 422 and "Datum van het mandaatbesluit: geef een datum als jjjj-mm-dd" in r.text
    assert 'id="nieuw-mandaat-datum-fout"' in r.text
    ok(
        post(
            officer,
            did,
            "mandaat-toevoegen",
            titel="Mandaatbesluit wethouder",
            mandaatgever="De burgemeester",
            mandaatgever_functie="burgemeester",
            gemandateerde="P. de Vries",
            gemandateerde_functie="wethouder",
            documenten="overeenkomst",
            datum="2017-12-31",
            plaats="Zeist",
        )
    )
    mandate = saved(app, did)["mandates"][-1]
    assert mandate["mandatary"] == {"name": "P. de Vries", "function": "wethouder"}
    assert mandate["documents"] == ["overeenkomst"] and str(mandate["date"]) == "2017-12-31"
    page = officer.get(f"/portaal/editor/{did}").text
    assert f'<option value="{mandate["key"]}"' in page  # a signatory can now sign by it

    r = post(officer, did, "mandaat-verwijderen", doel="teamchef-zblw")
    assert r.status_code == 422
    assert "kan niet weg: ondertekenaar &#39;J.D. Bogerd&#39; van" in r.text
    ok(post(officer, did, "mandaat-verwijderen", doel=mandate["key"]))
    assert [m["key"] for m in saved(app, did)["mandates"]] == ["teamchef-zblw"]

    # the existing mandate: every field of the form, the documents it covers chosen with checkboxes
    page = officer.get(f"/portaal/editor/{did}").text
    assert 'id="m-doc-teamchef-zblw-overeenkomst" name="documenten" value="overeenkomst" checked' in page
    ok(
        post(
            officer,
            did,
            "mandaat",
            doel="teamchef-zblw",
            gemandateerde="J.D. Bogerd",
            datum="2018-04-11",
            gemandateerde_functie="teamchef",
            mandaatgever="M.H.C. Barendse",
            mandaatgever_functie="politiechef",
            titel="Mandaatbesluit Wijkgericht Werken",
            plaats="Utrecht",
            documenten_formulier="ja",
            documenten=["overeenkomst", "besluit-art20"],
        )
    )
    m = saved(app, did)["mandates"][0]
    assert m["mandatary"]["function"] == "teamchef" and m["mandator"]["name"] == "M.H.C. Barendse"
    assert (
        m["documents"] == ["overeenkomst", "besluit-art20"]
        and m["document_title"] == "Mandaatbesluit Wijkgericht Werken"
    )
    r = post(
        officer,
        did,
        "mandaat",
        doel="teamchef-zblw",
        gemandateerde="J.D. Bogerd",
        datum="2018-04-11",
        documenten_formulier="ja",
    )
    assert r.status_code == 422 and "Waarvoor: kies ten minste één document" in r.text
