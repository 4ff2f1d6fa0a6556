"""The consistency check: each rule with a dossier that breaks exactly that rule, and the clean cases."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from templates.check import check_dossier
from templates.dossier.model import Dossier
from templates.errors import Problem
from tests.templates.factories import (
    dossier_data,
    make_dossier,
    party_data,
    privacy_articles,
    signatory_data,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def findings(data: dict) -> list[Problem]:
    return check_dossier(make_dossier(data))


def only(data: dict) -> Problem:
    """The single problem the dossier has (the test dossier breaks exactly one rule)."""
    problems = findings(data)
    assert len(problems) == 1, [p.as_dict() for p in problems]
    return problems[0]


def test_clean_dossier_has_no_problems() -> None:
    assert check_dossier(make_dossier()) == []


# --------------------------------------------------------------------------------------------- references
def test_unknown_reference_reports_the_path_of_the_text_field() -> None:
    data = dossier_data()
    privacy_articles(data)[1]["leden"][1]["text"] = (
        "Het contact zoals beschreven in [[ref:informeren-vooraaf]]."
    )
    p = only(data)
    assert (p.code, p.severity) == ("onbekende_verwijzing", "fout")
    assert p.path == "annexes.0.body.parts.0.articles.1.leden.1.text"
    assert "informeren-vooraaf" in p.message


def test_unknown_party_in_considerations_is_an_error() -> None:
    data = dossier_data()
    data["agreement"]["parts"][1]["considerations"]["items"][0] = "Dat [[partij:woonstichtng]] verhuurt;"
    p = only(data)
    assert (p.code, p.path) == ("onbekende_partij", "agreement.parts.1.considerations.items.0")
    assert "woonstichtng" in p.message


def test_unknown_footnote_is_an_error() -> None:
    data = dossier_data()
    privacy_articles(data)[0]["title"] = "Doel[[voetnoot:wbp]]"
    p = only(data)
    assert (p.code, p.path) == ("onbekende_voetnoot", "annexes.0.body.parts.0.articles.0.title")


# --------------------------------------------------------------------------------------------- keys
def test_duplicate_article_key_is_an_error() -> None:
    data = dossier_data()
    privacy_articles(data)[2]["key"] = "doel"
    p = only(data)
    assert (p.code, p.severity) == ("dubbele_sleutel", "fout")
    assert p.path == "annexes.0.body.parts.0.articles.2.key"
    assert "'doel'" in p.message


def test_duplicate_party_key_is_an_error() -> None:
    data = dossier_data()
    data["parties"].append(
        {
            **party_data(data, "woonstichting"),
            "key": "gemeente",
            "signatories": [
                {
                    "key": "directeur-2",
                    "name": "D. Smit",
                    "function": "Directeur-bestuurder",
                    "email": "d@example.nl",
                }
            ],
        }
    )
    p = only(data)
    assert (p.code, p.severity, p.path) == ("dubbele_sleutel", "fout", "parties.3.key")
    assert "parties.0.key" in p.message


def test_duplicate_signatory_key_is_an_error() -> None:
    data = dossier_data()
    signatory_data(data, "directeur-dak")["key"] = "burgemeester"
    p = only(data)
    assert (p.code, p.path) == ("dubbele_sleutel", "parties.2.signatories.0.key")


# --------------------------------------------------------------------------------------------- parties
def test_party_named_in_considerations_without_signatory_is_an_error() -> None:
    data = dossier_data()
    data["agreement"]["parts"][0]["blocks"] = [
        "Partijen:"
    ]  # no generated list: only the considerations name it
    data["besluit"]["recipients"] = ["gemeente"]
    party_data(data, "woonstichting")["signatories"] = []
    p = only(data)
    assert (p.code, p.severity, p.path) == ("partij_zonder_ondertekening", "fout", "parties.2.signatories")
    assert "Woonstichting Het Dak" in p.message
    assert "agreement.parts.1.considerations.items.0" in p.message


def test_besluit_recipient_without_signatory_is_an_error() -> None:
    data = dossier_data()
    data["agreement"]["parts"][0]["blocks"] = ["Partijen:"]
    data["agreement"]["parts"][1]["considerations"]["items"] = ["Dat de partners samenwerken."]
    party_data(data, "woonstichting")["signatories"] = []
    p = only(data)
    assert (p.code, p.path) == ("partij_zonder_ondertekening", "parties.2.signatories")
    assert "besluit.recipients.1" in p.message


def test_onderdeel_signed_for_by_its_parent_needs_no_own_signatory() -> None:
    data = dossier_data()
    data["parties"].append(
        {"key": "stadsdeel-noord", "name": "Stadsdeel Noord", "kind": "stadsdeel", "part_of": "gemeente"}
    )
    assert findings(data) == []


# --------------------------------------------------------------------------------------------- signatories
def test_signatory_under_mandate_without_mandate_is_an_error() -> None:
    data = dossier_data()
    del signatory_data(data, "teamchef")["mandate"]
    p = only(data)
    assert (p.code, p.path) == ("mandaat_ontbreekt", "parties.1.signatories.0.mandate")


def test_signatory_under_unknown_mandate_is_an_error() -> None:
    data = dossier_data()
    signatory_data(data, "teamchef")["mandate"] = "mandaat-korpschef"
    p = only(data)
    assert (p.code, p.path) == ("mandaat_onbekend", "parties.1.signatories.0.mandate")
    assert "mandaat-korpschef" in p.message


def test_mandate_that_does_not_cover_the_agreement_is_an_error() -> None:
    data = dossier_data()
    data["mandates"][0]["documents"] = ["besluit-art20"]
    p = only(data)
    assert (p.code, p.path) == ("mandaat_dekt_document_niet", "parties.1.signatories.0.mandate")


def test_mandate_given_to_someone_else_is_an_error() -> None:
    data = dossier_data()
    data["mandates"][0]["mandatary"]["name"] = "Dhr. K. Visser"
    p = only(data)
    assert (p.code, p.path) == ("mandaat_andere_gemachtigde", "parties.1.signatories.0.name")
    assert "K. Visser" in p.message and "B. de Vries" in p.message


def test_representative_whose_function_is_not_the_representative_role_is_warned() -> None:
    data = dossier_data()
    signatory_data(data, "directeur-dak")["function"] = "Manager Wonen"
    p = only(data)
    assert (p.code, p.severity, p.path) == (
        "rol_wijkt_af",
        "waarschuwing",
        "parties.2.signatories.0.function",
    )
    assert "de directeur-bestuurder" in p.message


def test_mandate_dated_after_the_signing_is_an_error() -> None:
    data = dossier_data()
    data["mandates"][0]["date"] = date(2019, 3, 2)
    p = only(data)
    assert (p.code, p.severity) == ("mandaat_na_ondertekening", "fout")
    assert "2 maart 2019" in p.message and "1 maart 2019" in p.message


def test_mandate_expired_on_the_signing_date_is_an_error() -> None:
    data = dossier_data()
    data["mandates"][0]["valid_until"] = date(2019, 2, 28)
    p = only(data)
    assert (p.code, p.path) == ("mandaat_verlopen", "parties.1.signatories.0.mandate")


def test_mandate_valid_through_the_signing_date_is_fine() -> None:
    data = dossier_data()
    data["mandates"][0]["valid_until"] = date(2019, 3, 1)
    assert findings(data) == []


def test_missing_email_is_a_warning() -> None:
    data = dossier_data()
    del signatory_data(data, "burgemeester")["email"]
    p = only(data)
    assert (p.code, p.severity, p.path) == (
        "email_ontbreekt",
        "waarschuwing",
        "parties.0.signatories.0.email",
    )


# --------------------------------------------------------------------------------------------- term
def test_end_before_start_is_an_error() -> None:
    data = dossier_data()
    data["term"] = {"start": date(2019, 3, 1), "end": date(2019, 2, 1)}
    p = only(data)
    assert (p.code, p.severity, p.path) == ("einddatum_voor_begin", "fout", "term.end")
    assert "1 februari 2019" in p.message and "1 maart 2019" in p.message


def test_start_before_signing_needs_retroactive() -> None:
    data = dossier_data()
    data["term"]["start"] = date(2019, 1, 1)
    p = only(data)
    assert (p.code, p.severity, p.path) == ("terugwerkende_kracht", "waarschuwing", "term.start")
    data["term"]["retroactive"] = True
    assert findings(data) == []


def test_duration_and_end_date_that_disagree_are_an_error() -> None:
    data = dossier_data()
    data["term"]["end"] = date(2021, 12, 31)  # three years from 1 maart 2019 is 1 maart 2022
    data["period_label"] = "2019 – 2021"
    p = only(data)
    assert (p.code, p.severity, p.path) == ("looptijd_tegenstrijdig", "fout", "term.end")
    assert "1 maart 2022" in p.message and "31 december 2021" in p.message


def test_period_on_the_cover_that_is_not_the_term_is_warned() -> None:
    data = dossier_data(period_label="2017 – 2020")
    p = only(data)
    assert (p.code, p.severity, p.path) == ("periode_wijkt_af", "waarschuwing", "period_label")


def test_date_typed_in_text_that_is_no_dossier_date_is_warned() -> None:
    data = dossier_data()
    data["besluit"]["body"]["parts"][0]["blocks"].append("Overeenkomst opgemaakt de dato 14 februari 2019.")
    p = only(data)
    assert (p.code, p.severity, p.path) == (
        "datum_los_getypt",
        "waarschuwing",
        "besluit.body.parts.0.blocks.2.p",
    )
    assert "14 februari 2019" in p.message and "[[waarde:datum_ondertekening]]" in p.message


def test_date_typed_in_text_that_is_the_signing_date_is_fine() -> None:
    data = dossier_data()
    # The besluit (1 februari) names the later signing date: allowed only because the author says so.
    data["legal"]["besluit"]["cites_later_dates"] = True
    data["besluit"]["body"]["parts"][0]["blocks"].append("Overeenkomst opgemaakt de dato 1 maart 2019.")
    assert findings(data) == []


def test_impossible_date_in_text_is_an_error() -> None:
    data = dossier_data()
    privacy_articles(data)[0]["blocks"].append("Vastgesteld op 30 februari 2019.")
    p = only(data)
    assert (p.code, p.path) == ("datum_ongeldig", "annexes.0.body.parts.0.articles.0.blocks.1.p")


# --------------------------------------------------------------------------------------------- budget
def test_budget_lines_exceeding_the_available_amount_are_reported() -> None:
    # Reported, not blocked: the amounts are the author's and are printed as written (issue 9, point 6).
    data = dossier_data()
    data["budget"]["groups"][1]["lines"].pop()  # no remainder line
    data["budget"]["groups"][0]["lines"][0]["amount"] = "1600.00"  # 1600 + 2 x 250 = 2100 > 2000
    p = only(data)
    assert (p.code, p.severity, p.path) == ("begroting_overschreden", "waarschuwing", "budget.groups")
    assert "€\u00a02.100,00" in p.message and "€\u00a02.000,00" in p.message and "€\u00a0100,00" in p.message


def test_negative_remainder_is_an_error() -> None:
    data = dossier_data()
    data["budget"]["groups"][1]["lines"][0]["quantity"] = 7  # 500 + 7 x 250 = 2250 > 2000
    p = only(data)
    assert (p.code, p.path) == ("restant_negatief", "budget.groups.1.lines.1")
    assert "-€\u00a0250,00" in p.message


# --------------------------------------------------------------------------------------------- laws
def test_wbp_in_laws_after_25_may_2018_is_warned_with_the_avg() -> None:
    data = dossier_data()
    data["laws"] = ["Wbp", "Wpg"]
    p = only(data)
    assert (p.code, p.severity, p.path) == ("wet_vervallen", "waarschuwing", "laws.0")
    assert "AVG" in p.message and "25 mei 2018" in p.message


def test_wbp_named_in_text_after_25_may_2018_is_warned() -> None:
    data = dossier_data()
    privacy_articles(data)[2]["leden"][0] = "Rechten zoals omschreven in de Wet bescherming persoonsgegevens."
    p = only(data)
    assert (p.code, p.path) == ("wet_vervallen", "annexes.0.body.parts.0.articles.2.leden.0.text")
    assert "Algemene verordening gegevensbescherming (AVG)" in p.message


def test_wbp_is_fine_for_an_agreement_before_25_may_2018() -> None:
    data = dossier_data(laws=["Wbp", "Wpg"], period_label="2018 – 2021")
    data["signing"]["date"] = data["term"]["start"] = date(2018, 3, 1)
    data["mandates"][0]["date"] = data["besluit"]["date"] = date(2018, 2, 1)
    privacy_articles(data)[2]["leden"][0] = "Rechten zoals omschreven in de Wbp."
    assert findings(data) == []


def test_besluit_text_speaks_on_the_besluit_date() -> None:
    data = dossier_data()
    data["besluit"]["date"] = date(2018, 3, 28)
    data["besluit"]["term_years"] = 5
    data["besluit"]["body"]["parts"][0]["blocks"].append(
        "Wet bescherming persoonsgegevens, vanaf 25 mei 2018 de AVG"
    )
    assert findings(data) == []


def test_wmo_2015_named_for_an_agreement_of_2014_is_not_yet_in_force() -> None:
    data = dossier_data(laws=["Wbp", "Wmo2015"], period_label="2014 – 2017")
    data["signing"]["date"] = data["term"]["start"] = date(2014, 9, 1)
    data["mandates"][0]["date"] = data["besluit"]["date"] = date(2014, 8, 1)
    p = only(data)
    assert (p.code, p.severity, p.path) == ("wet_nog_niet_van_toepassing", "waarschuwing", "laws.1")
    assert "Wet maatschappelijke ondersteuning 2015" in p.message and "1 januari 2015" in p.message


def test_old_wmo_named_in_a_text_of_2016_is_repealed_but_the_wmo_2015_is_not() -> None:
    data = dossier_data()
    privacy_articles(data)[2]["leden"][0] = "Volgens de Wet maatschappelijke ondersteuning 2015."
    assert findings(data) == []
    privacy_articles(data)[2]["leden"][0] = "Volgens de Wet maatschappelijke ondersteuning."
    p = only(data)
    assert (p.code, p.path) == ("wet_vervallen", "annexes.0.body.parts.0.articles.2.leden.0.text")
    assert (
        "per 1 januari 2015 vervallen" in p.message and "Wet maatschappelijke ondersteuning 2015" in p.message
    )


def test_wet_publieke_gezondheid_and_wet_politiegegevens_are_two_laws() -> None:
    from templates.laws import law_table

    table = law_table()
    assert table["Wpg"].name == "Wet politiegegevens" and table["Wpubg"].name == "Wet publieke gezondheid"
    assert findings(dossier_data(laws=["AVG", "Wpg", "Wpubg"])) == []
    data = dossier_data(laws=["AVG", "Wpubg"], period_label="2008 – 2011")
    data["signing"]["date"] = data["term"]["start"] = date(2008, 6, 1)
    data["mandates"][0]["date"] = data["besluit"]["date"] = date(2008, 5, 1)
    codes = {(p.path, p.code) for p in findings(data)}
    assert ("laws.0", "wet_nog_niet_van_toepassing") in codes  # the AVG, in 2008
    assert ("laws.1", "wet_nog_niet_van_toepassing") in codes  # the Wet publieke gezondheid: 1 December 2008


def test_unknown_law_is_an_error_and_an_own_law_is_checked_on_its_dates() -> None:
    p = only(dossier_data(laws=["AVG", "Wet-op-de-horoscoop"]))
    assert (p.code, p.severity, p.path) == ("wet_onbekend", "fout", "laws.1")
    assert "Wpubg" in p.message  # the keys one may choose from
    own = {
        "key": "Wgs2026",
        "name": "Wet gegevensdeling samenwerkingsverbanden",
        "in_force_from": date(2030, 1, 1),
    }
    p = only(dossier_data(laws=["AVG", own]))
    assert (p.code, p.path) == ("wet_nog_niet_van_toepassing", "laws.1")
    assert "Wet gegevensdeling samenwerkingsverbanden" in p.message


# --------------------------------------------------------------------------------------------- besluit
def test_besluit_recipient_that_is_not_a_party_is_an_error() -> None:
    data = dossier_data()
    data["besluit"]["recipients"].append("huisarts")
    p = only(data)
    assert (p.code, p.severity, p.path) == ("ontvanger_geen_partij", "fout", "besluit.recipients.2")


def test_besluit_ending_before_the_agreement_is_warned() -> None:
    data = dossier_data()
    data["besluit"]["term_years"] = 3  # 1 februari 2019 + 3 jaar < 1 maart 2022
    p = only(data)
    assert (p.code, p.severity, p.path) == ("besluit_eindigt_eerder", "waarschuwing", "besluit.term_years")
    # Both as last days: the besluit's three years from its own date, the agreement's three from signing.
    assert "tot en met 31 januari 2022" in p.message and "tot en met 28 februari 2022" in p.message


def test_besluit_dated_after_the_signing_is_fine() -> None:
    data = dossier_data()
    data["besluit"]["date"] = date(2019, 6, 1)
    assert findings(data) == []


@pytest.mark.parametrize(
    "field, code", [("categories", "besluit_zonder_categorieen"), ("uses", "besluit_zonder_gebruik")]
)
def test_besluit_without_categories_or_uses_is_an_error(field: str, code: str) -> None:
    data = dossier_data()
    data["besluit"][field] = []
    data["besluit"]["body"]["parts"][0]["blocks"] = ["Verstrekking in verband met [[ref:doel]]."]
    p = only(data)
    assert (p.code, p.severity, p.path) == (code, "fout", f"besluit.{field}")


def test_declaration_without_grounds_is_an_error() -> None:
    data = dossier_data()
    data["declaration"]["grounds"] = []
    p = only(data)
    assert (p.code, p.severity, p.path) == ("verklaring_zonder_grondslagen", "fout", "declaration.grounds")


# --------------------------------------------------------------------------------------------- examples
def test_zeist_example_has_no_errors_and_the_expected_warnings() -> None:
    dossier = Dossier.model_validate(yaml.safe_load((EXAMPLES / "zeist.yaml").read_text(encoding="utf-8")))
    problems = check_dossier(dossier)
    assert [p for p in problems if p.severity == "fout"] == []
    codes = sorted({p.code for p in problems})
    # The seed's own findings, deliberately kept visible: the burgemeester signs while the parties list names
    # the portefeuillehouder; the text still names the Wbp; the besluit of 28 maart 2018 names the agreement
    # "opgemaakt de dato" 14 juni 2018 (a later date); the covenant sets no retention period. The besluit's
    # three years run with the samenwerkingsverband (besluit §6, legal.besluit.runs_from), so it no longer
    # ends before the agreement.
    assert codes == [
        "begroting_overschreden",
        "bewaartermijn_ontbreekt",
        "datum_na_eigen_datum",
        "rol_wijkt_af",
        "totaal_wijkt_af",
        "wet_vervallen",
    ]
    assert all(not p.path.startswith("besluit.") for p in problems if p.code == "wet_vervallen")


@pytest.mark.parametrize(
    "line, amount",
    [("vaste-kosten", "154500.00"), ("wijkteambudget", "66900.00"), ("wijkprojecten", "168800.00")],
)
def test_zeist_budget_keeps_every_amount_the_author_wrote(line: str, amount: str) -> None:
    from decimal import Decimal

    from templates.budget import compute_budget

    dossier = Dossier.model_validate(yaml.safe_load((EXAMPLES / "zeist.yaml").read_text(encoding="utf-8")))
    assert dossier.budget is not None
    budget = compute_budget(dossier.budget)
    computed = budget.line(line)
    assert computed is not None and computed.amount == Decimal(amount)
    # The total is computed (never made to fit): 390.200; the stated 390.000 is reported as differing.
    assert budget.total == Decimal("390200.00") and budget.available == Decimal("390000.00")
    stated = [p for p in check_dossier(dossier) if p.code == "totaal_wijkt_af"]
    assert (
        len(stated) == 1
        and "€\u00a0390.000,00" in stated[0].message
        and "€\u00a0390.200,00" in stated[0].message
    )
