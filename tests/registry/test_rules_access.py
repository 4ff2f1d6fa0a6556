from datetime import date

from registry.rules import (
    DeclarationFacts,
    PersonFacts,
    may_provide_police_data,
    may_receive_personal_data,
    may_receive_police_data,
)
from tests.registry.factories import amsterdam_agreement, person, zeist_agreement, zeist_besluit

ON = date(2019, 5, 1)


def test_designated_professional_of_recipient_partner_receives_police_data_until_earliest_end() -> None:
    p = person("Els Woongoed", "professional", "woongoed", until=date(2020, 1, 31))
    answer = may_receive_police_data(p, zeist_agreement(), zeist_besluit(), ON)
    assert answer.allowed
    assert answer.until == date(2020, 1, 31)  # designation ends before besluit and agreement
    assert "artikel 3 van het besluit" in answer.article
    assert "artikel 7, tweede lid, van bijlage 1" in answer.article


def test_until_is_besluit_end_when_that_comes_first() -> None:
    p = person("Els Woongoed", "professional", "woongoed")
    answer = may_receive_police_data(
        p, zeist_agreement(), zeist_besluit(in_force_until=date(2021, 3, 27)), ON
    )
    assert answer.allowed and answer.until == date(2021, 3, 27)


def test_agendadeelnemer_never_receives_police_data_even_with_declaration() -> None:
    guest = person(
        "Ina Intern",
        "agendadeelnemer",
        None,
        declarations=(DeclarationFacts("gerechtvaardigd_belang", date(2019, 1, 1)),),
    )
    answer = may_receive_police_data(guest, zeist_agreement(), zeist_besluit(), ON)
    assert not answer.allowed
    assert answer.article == "artikel 11, eerste lid, van bijlage 1; artikel 4 van het besluit"


def test_designation_ended_refuses_both_kinds_of_data() -> None:
    p = person("Oud Medewerker", "professional", "woongoed", until=date(2019, 4, 30))
    police = may_receive_police_data(p, zeist_agreement(), zeist_besluit(), ON)
    personal = may_receive_personal_data(p, zeist_agreement(), ON)
    assert not police.allowed and not personal.allowed
    assert "geëindigd op 30 april 2019" in police.reason
    assert police.missing == ("een geldige aanwijzing",)


def test_besluit_revoked_mid_term_ends_police_data_at_once_but_not_personal_data() -> None:
    p = person("Els Woongoed", "professional", "woongoed")
    besluit = zeist_besluit(revoked_on=date(2019, 4, 15))
    before = may_receive_police_data(p, zeist_agreement(), besluit, date(2019, 4, 1))
    assert before.allowed and before.until == date(2019, 4, 14)
    after = may_receive_police_data(p, zeist_agreement(), besluit, ON)
    assert not after.allowed
    assert "ingetrokken" in after.reason
    assert after.article == "artikel 6 van het besluit; artikel 14, vierde lid, van bijlage 1"
    assert may_receive_personal_data(p, zeist_agreement(), ON).allowed


def test_partner_not_named_as_recipient_gets_no_police_data() -> None:
    p = person("Sam Sport", "professional", "sportclub")
    answer = may_receive_police_data(p, zeist_agreement(), zeist_besluit(), ON)
    assert not answer.allowed and "hoort niet bij de ontvangers in het besluit" in answer.reason


def test_agreement_expired_refuses_everything() -> None:
    p = person("Els Woongoed", "professional", "woongoed")
    later = date(2021, 7, 1)
    assert not may_receive_police_data(
        p, zeist_agreement(), zeist_besluit(in_force_until=date(2022, 1, 1)), later
    ).allowed
    answer = may_receive_personal_data(p, zeist_agreement(), later)
    assert not answer.allowed and "verlopen op 13 juni 2021" in answer.reason


def test_agendadeelnemer_without_declaration_gets_no_personal_data_and_is_told_what_to_do() -> None:
    guest = person("Ina Intern", "agendadeelnemer", None)
    answer = may_receive_personal_data(guest, zeist_agreement(), ON)
    assert not answer.allowed
    assert answer.missing == ("ondertekende geheimhoudingsverklaring",)
    assert answer.actions[0].startswith("Laat de geheimhoudingsverklaring ondertekenen")
    assert answer.article == "artikel 11, tweede lid, van bijlage 1; bijlage 1.a"


def test_agendadeelnemer_with_signed_declaration_gets_personal_data() -> None:
    guest = person(
        "Ina Intern",
        "agendadeelnemer",
        None,
        until=date(2019, 5, 20),
        declarations=(DeclarationFacts("gerechtvaardigd_belang", date(2019, 4, 1)),),
    )
    answer = may_receive_personal_data(guest, zeist_agreement(), ON)
    assert answer.allowed and answer.until == date(2019, 5, 20)
    assert answer.warnings  # the invitation ends within 30 days


def test_declaration_signed_after_the_meeting_does_not_count() -> None:
    guest = person(
        "Ina Intern",
        "agendadeelnemer",
        None,
        declarations=(DeclarationFacts("toestemming", date(2019, 6, 1)),),
    )
    assert not may_receive_personal_data(guest, zeist_agreement(), ON).allowed


def test_amsterdam_answers_cite_the_convenant() -> None:
    p = person("Jan Ymere", "professional", "ymere", start=date(2015, 12, 1))
    answer = may_receive_personal_data(p, amsterdam_agreement(), date(2016, 3, 1))
    assert answer.allowed
    assert (
        answer.article == "artikel 25, eerste lid; artikel 25, tweede lid; artikel 23; artikel 25, derde lid"
    )


def test_wijkagent_may_provide_police_data() -> None:
    agent = person("W. Agent", "wijkagent", "politie")
    answer = may_provide_police_data(agent, zeist_agreement(), zeist_besluit(), ON)
    assert answer.allowed
    assert "artikel 3 van het besluit" in answer.article
    assert "artikel 7, zevende lid, van bijlage 1" in answer.article


def test_substitute_designated_by_basisteamleiding_may_provide() -> None:
    sub = person("V. Vervanger", "vervanger", "politie", designated_by="basisteamleiding ZBLW")
    answer = may_provide_police_data(sub, zeist_agreement(), zeist_besluit(), ON)
    assert answer.allowed and "basisteamleiding" in answer.reason


def test_provider_who_is_not_the_wijkagent_is_refused() -> None:
    other = person("Els Woongoed", "professional", "woongoed")
    answer = may_provide_police_data(other, zeist_agreement(), zeist_besluit(), ON)
    assert not answer.allowed and "is geen wijkagent of vervanger van de wijkagent" in answer.reason


def test_wijkagent_cannot_provide_under_revoked_besluit() -> None:
    agent = person("W. Agent", "wijkagent", "politie")
    answer = may_provide_police_data(agent, zeist_agreement(), zeist_besluit(revoked_on=date(2019, 1, 1)), ON)
    assert not answer.allowed and "ingetrokken" in answer.reason


def test_unknown_person_without_designations_is_refused() -> None:
    nobody = PersonFacts("Onbekend")
    assert not may_receive_personal_data(nobody, zeist_agreement(), ON).allowed
    assert not may_receive_police_data(nobody, zeist_agreement(), zeist_besluit(), ON).allowed


def test_partner_that_left_the_cooperation_ends_its_designations() -> None:
    from registry.rules import TermEventFacts

    p = person("Jan Ymere", "professional", "ymere", start=date(2015, 12, 1))
    left = [TermEventFacts("uittreding", date(2016, 6, 1), party_key="ymere")]
    before = may_receive_personal_data(p, amsterdam_agreement(), date(2016, 5, 1), left)
    assert before.allowed and before.until == date(2016, 5, 31)
    after = may_receive_personal_data(p, amsterdam_agreement(), date(2016, 6, 1), left)
    assert not after.allowed and "uit de samenwerking getreden" in after.reason
    assert after.article == "artikel 32, tweede lid"
