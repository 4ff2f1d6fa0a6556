from datetime import date

from registry.rules import TermEventFacts, may_renew, term_status
from tests.registry.factories import amsterdam_agreement, zeist_agreement


def test_zeist_term_ends_unless_renewed() -> None:
    status = term_status(zeist_agreement(), [], date(2021, 6, 14))
    assert not status.in_force
    assert "evaluatie" in status.reason and "§6" in status.article


def test_zeist_renewal_without_evaluation_is_refused() -> None:
    answer = may_renew(zeist_agreement(), [], date(2021, 5, 1))
    assert not answer.allowed
    assert answer.missing == ("schriftelijke evaluatie (met document)",)
    assert "§6" in answer.article and "art. 14" in answer.article


def test_zeist_renewal_after_written_evaluation_extends_the_term() -> None:
    events = [TermEventFacts("evaluatie", date(2021, 4, 1), document_ref="evaluatie-2021.pdf")]
    answer = may_renew(zeist_agreement(), events, date(2021, 5, 1))
    assert answer.allowed and answer.until == date(2024, 6, 13)
    renewed = [*events, TermEventFacts("verlenging", date(2021, 5, 1), new_term_end=answer.until)]
    assert term_status(zeist_agreement(), renewed, date(2022, 1, 1)).in_force


def test_evaluation_before_previous_renewal_does_not_count_again() -> None:
    events = [
        TermEventFacts("evaluatie", date(2021, 4, 1), document_ref="e1"),
        TermEventFacts("verlenging", date(2021, 5, 1), new_term_end=date(2024, 6, 13)),
    ]
    assert not may_renew(zeist_agreement(), events, date(2024, 5, 1)).allowed


def test_warning_within_30_days_of_the_end() -> None:
    status = term_status(zeist_agreement(), [], date(2021, 5, 20))
    assert status.in_force and status.warnings and "schriftelijke evaluatie" in status.warnings[0]


def test_amsterdam_renews_tacitly_each_year() -> None:
    status = term_status(amsterdam_agreement(), [], date(2018, 3, 1))
    assert status.in_force
    assert status.period_end == date(2018, 11, 30)
    assert "art. 32" in status.article


def test_amsterdam_tacit_renewal_warning_near_anniversary() -> None:
    status = term_status(amsterdam_agreement(), [], date(2016, 11, 15))
    assert status.warnings and "stilzwijgend" in status.warnings[0]


def test_amsterdam_majority_objection_ends_the_term() -> None:
    objections = [TermEventFacts("bezwaar", date(2016, 10, 1), party_key=k) for k in ("a", "b", "c")]
    during = term_status(amsterdam_agreement(), objections, date(2016, 11, 1))
    assert during.in_force and during.period_end == date(2016, 11, 30) and "meerderheid" in during.warnings[0]
    after = term_status(amsterdam_agreement(), objections, date(2016, 12, 15))
    assert not after.in_force and "meerderheid" in after.reason and "art. 32" in after.article


def test_amsterdam_minority_objection_does_not_stop_renewal() -> None:
    objections = [TermEventFacts("bezwaar", date(2016, 10, 1), party_key=k) for k in ("a", "b")]
    assert term_status(amsterdam_agreement(), objections, date(2016, 12, 15)).in_force


def test_same_party_objecting_twice_counts_once() -> None:
    objections = [TermEventFacts("bezwaar", date(2016, 10, d), party_key="a") for d in (1, 2, 3)]
    assert term_status(amsterdam_agreement(), objections, date(2016, 12, 15)).in_force


def test_tacit_renewal_cannot_be_renewed_by_decision() -> None:
    assert not may_renew(amsterdam_agreement(), [], date(2016, 11, 1)).allowed


def test_renewal_after_expiry_is_refused_even_with_evaluation() -> None:
    events = [TermEventFacts("evaluatie", date(2021, 4, 1), document_ref="evaluatie-2021.pdf")]
    answer = may_renew(zeist_agreement(), events, date(2021, 8, 1))
    assert not answer.allowed and "verlopen op 13 juni 2021" in answer.reason
