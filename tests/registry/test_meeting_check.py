from datetime import date

from registry.agreements import revoke_besluit
from registry.meetings import check_meeting
from registry.session import AuditedSession
from templates.dossier.model import Dossier

MEETING = "wijkoverleg-2019-05-01"


def _by_given(check):  # type: ignore[no-untyped-def]
    return {a.given_as: a for a in check.attendees}


def test_every_attendee_is_answered_with_articles(zeist_registry: AuditedSession) -> None:
    check = check_meeting(zeist_registry, MEETING)
    assert len(check.attendees) == 8
    for a in check.attendees:
        assert a.police.article and a.personal.article


def test_partner_professional_gets_police_and_personal_data_until_designation_end(
    zeist_registry: AuditedSession,
) -> None:
    row = _by_given(check_meeting(zeist_registry, MEETING))["woongoed"]
    assert row.role == "professional"
    assert row.police.allowed and row.police.until == date(2019, 5, 20)
    assert row.personal.allowed and row.personal.until == date(2019, 5, 20)
    assert any("20 mei 2019" in w for w in row.warnings)  # ends within 30 days


def test_designation_ended_means_nothing(zeist_registry: AuditedSession) -> None:
    row = _by_given(check_meeting(zeist_registry, MEETING))["meander"]
    assert not row.police.allowed and not row.personal.allowed
    assert "geëindigd op 31 januari 2019" in row.personal.reason


def test_wijkagent_found_by_email(zeist_registry: AuditedSession) -> None:
    row = _by_given(check_meeting(zeist_registry, MEETING))["w.agent@example.nl"]
    assert row.known and row.role == "wijkagent" and row.police.allowed


def test_agendadeelnemer_with_declaration_personal_only(zeist_registry: AuditedSession) -> None:
    row = _by_given(check_meeting(zeist_registry, MEETING))["huisarts"]
    assert row.role == "agendadeelnemer"
    assert row.personal.allowed and not row.police.allowed
    assert row.police.article == "artikel 11, eerste lid, van bijlage 1; artikel 4 van het besluit"


def test_agendadeelnemer_without_declaration_is_told_to_sign(zeist_registry: AuditedSession) -> None:
    row = _by_given(check_meeting(zeist_registry, MEETING))["ib"]
    assert not row.personal.allowed and not row.police.allowed
    assert "ondertekende geheimhoudingsverklaring" in row.missing
    assert any(a.startswith("Laat de geheimhoudingsverklaring ondertekenen") for a in row.actions)


def test_unknown_attendees_are_reported_never_allowed(zeist_registry: AuditedSession) -> None:
    check = check_meeting(zeist_registry, MEETING)
    assert {a.given_as for a in check.unknown} == {"Onbekende Gast", "gast@example.org"}
    for a in check.unknown:
        assert (
            not a.police.allowed
            and not a.personal.allowed
            and "niet bekend in het register" in a.police.reason
        )
    assert any("onbekend in het register" in w for w in check.warnings)


def test_besluit_revoked_mid_term_ends_police_data_for_everyone(
    zeist_registry: AuditedSession, zeist_dossier: Dossier
) -> None:
    revoke_besluit(
        zeist_registry, zeist_dossier.id, "besluit-art20", date(2019, 4, 1), "geen zwaarwegend belang meer"
    )
    zeist_registry.commit()
    check = check_meeting(zeist_registry, MEETING)
    assert not check.besluit.allowed
    assert all(not a.police.allowed for a in check.attendees)
    assert _by_given(check)["woongoed"].personal.allowed  # personal data is not under the besluit
    assert "artikel 6 van het besluit" in _by_given(check)["woongoed"].police.article


def test_agreement_expired_nothing_allowed(zeist_registry: AuditedSession) -> None:
    check = check_meeting(zeist_registry, MEETING, on=date(2021, 7, 1))
    assert not check.term.allowed
    assert all(not a.personal.allowed for a in check.attendees)
    assert "verlopen" in check.warnings[0]
