from datetime import date

import pytest

from registry.rules import may_sign_for
from templates.check import check_dossier
from templates.dossier.model import Signatory
from tests.registry.factories import barendse_mandate, bogerd, politie_party
from tests.templates.factories import dossier_data, make_dossier


def test_representative_may_sign_for_own_party() -> None:
    janssen = Signatory(key="janssen", name="Drs. J.J.L.M. Janssen", function="Burgemeester")
    party = politie_party([janssen])
    answer = may_sign_for(janssen, party, "overeenkomst", date(2018, 6, 14))
    assert answer.allowed
    assert "vertegenwoordiger" in answer.reason
    assert answer.article


def test_mandatary_may_sign_covered_document_after_mandate_date() -> None:
    signer = bogerd()
    answer = may_sign_for(
        signer, politie_party([signer]), "overeenkomst", date(2018, 6, 14), [barendse_mandate()]
    )
    assert answer.allowed
    assert answer.article.startswith("Mandaatbesluit van 11 april 2018")
    assert "10:1" in answer.article


def test_mandate_dated_after_signing_is_refused() -> None:
    signer = bogerd()
    answer = may_sign_for(
        signer, politie_party([signer]), "overeenkomst", date(2018, 4, 1), [barendse_mandate()]
    )
    assert not answer.allowed
    assert "pas genomen op 11 april 2018" in answer.reason
    assert answer.missing


def test_mandate_not_covering_document_is_refused() -> None:
    signer = bogerd()
    answer = may_sign_for(
        signer, politie_party([signer]), "besluit-art20", date(2018, 6, 14), [barendse_mandate()]
    )
    assert not answer.allowed
    assert "dekt het document 'besluit-art20' niet" in answer.reason


def test_expired_mandate_is_refused_and_valid_one_reports_until() -> None:
    signer = bogerd()
    party = politie_party([signer])
    expired = barendse_mandate(until=date(2018, 5, 1))
    assert not may_sign_for(signer, party, "overeenkomst", date(2018, 6, 14), [expired]).allowed
    valid = barendse_mandate(until=date(2019, 1, 1))
    answer = may_sign_for(signer, party, "overeenkomst", date(2018, 6, 14), [valid])
    assert answer.allowed and answer.until == date(2019, 1, 1)


def test_stranger_without_mandate_is_refused_with_what_is_missing() -> None:
    stranger = Signatory(key="x", name="A. Nders", function="Medewerker")
    answer = may_sign_for(stranger, politie_party(), "overeenkomst", date(2018, 6, 14), [barendse_mandate()])
    assert not answer.allowed
    assert "geen mandaatbesluit" in answer.reason
    assert answer.missing == ("vertegenwoordigingsbevoegdheid of mandaatbesluit",)


def test_unknown_mandate_key_is_refused() -> None:
    signer = bogerd(mandate="bestaat-niet")
    answer = may_sign_for(
        signer, politie_party([signer]), "overeenkomst", date(2018, 6, 14), [barendse_mandate()]
    )
    assert not answer.allowed
    assert "niet bekend" in answer.reason


def test_a_named_mandate_granted_to_someone_else_is_refused() -> None:
    signer = Signatory(
        key="visser", name="K. Visser", function="Teamchef", capacity="mandaat", mandate="mandaat-bogerd"
    )
    answer = may_sign_for(
        signer, politie_party([signer]), "overeenkomst", date(2018, 6, 14), [barendse_mandate()]
    )
    assert not answer.allowed
    assert "verleent het mandaat aan J.D. Bogerd" in answer.reason


@pytest.mark.parametrize(
    ("mandatary", "same"),
    [
        ({"name": "De heer mr. B. de Vries"}, True),  # titles in front of the name
        (
            {"name": "Bert de Vries", "email": "TEAMCHEF@politie.example.nl"},
            True,
        ),  # another spelling, same e-mail
        ({"name": "Dhr. B. Vries"}, False),  # "de" in a surname is part of it
        ({"name": "K. Visser", "email": "k.visser@politie.example.nl"}, False),
    ],
)
def test_the_check_and_the_rule_agree_on_who_holds_a_mandate(mandatary: dict[str, str], same: bool) -> None:
    data = dossier_data()
    data["mandates"][0]["mandatary"].update(mandatary)
    dossier = make_dossier(data)
    party = dossier.parties[1]
    signatory = party.signatories[0]
    check_codes = {p.code for p in check_dossier(dossier)}
    answer = may_sign_for(signatory, party, "overeenkomst", dossier.signing.date, dossier.mandates)
    assert ("mandaat_andere_gemachtigde" not in check_codes) is same
    assert answer.allowed is same
