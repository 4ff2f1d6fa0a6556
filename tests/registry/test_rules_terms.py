from datetime import date

from registry.rules import TermEventFacts, may_renew, term_status
from tests.registry.factories import amsterdam_agreement, zeist_agreement


def test_zeist_term_ends_unless_renewed() -> None:
    status = term_status(zeist_agreement(), [], date(2021, 6, 14))
    assert not status.in_force
    assert "evaluatie" in status.reason
    assert status.article == (
        "artikel 14, eerste lid, van bijlage 1; artikel 6 van het besluit; "
        "artikel 14, tweede lid, van bijlage 1"
    )


def test_zeist_renewal_without_evaluation_is_refused() -> None:
    answer = may_renew(zeist_agreement(), [], date(2021, 5, 1))
    assert not answer.allowed
    assert answer.missing == ("schriftelijke evaluatie (met document) binnen de termijn vóór het einde",)
    assert (
        "artikel 6 van het besluit" in answer.article
        and "artikel 14, tweede lid, van bijlage 1" in answer.article
    )


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
    assert status.article == "artikel 32, eerste lid; artikel 33"


def test_amsterdam_tacit_renewal_warning_near_anniversary() -> None:
    status = term_status(amsterdam_agreement(), [], date(2016, 11, 15))
    assert status.warnings and "stilzwijgend" in status.warnings[0]


def test_amsterdam_majority_objection_ends_the_term() -> None:
    objections = [
        TermEventFacts("bezwaar", date(2016, 10, 1), party_key=k) for k in ("gemeente", "politie", "ymere")
    ]
    during = term_status(amsterdam_agreement(), objections, date(2016, 11, 1))
    assert during.in_force and during.period_end == date(2016, 11, 30) and "meerderheid" in during.warnings[0]
    after = term_status(amsterdam_agreement(), objections, date(2016, 12, 15))
    assert not after.in_force and "meerderheid" in after.reason
    assert after.article == "artikel 32, eerste lid; artikel 33"


def test_amsterdam_minority_objection_does_not_stop_renewal() -> None:
    objections = [TermEventFacts("bezwaar", date(2016, 10, 1), party_key=k) for k in ("gemeente", "politie")]
    assert term_status(amsterdam_agreement(), objections, date(2016, 12, 15)).in_force


def test_same_party_objecting_twice_counts_once() -> None:
    objections = [TermEventFacts("bezwaar", date(2016, 10, d), party_key="gemeente") for d in (1, 2, 3)]
    assert term_status(amsterdam_agreement(), objections, date(2016, 12, 15)).in_force


def test_tacit_renewal_cannot_be_renewed_by_decision() -> None:
    assert not may_renew(amsterdam_agreement(), [], date(2016, 11, 1)).allowed


def test_renewal_after_expiry_is_refused_even_with_evaluation() -> None:
    events = [TermEventFacts("evaluatie", date(2021, 4, 1), document_ref="evaluatie-2021.pdf")]
    answer = may_renew(zeist_agreement(), events, date(2021, 8, 1))
    assert not answer.allowed and "verlopen op 13 juni 2021" in answer.reason


# --- point 6 of issue 9: legal defects, each failed before the model --------------------------------------
def test_renewal_needs_an_evaluation_made_within_the_window_before_the_end() -> None:
    # Zeist: the evaluation must be made within twelve months before the end (legal.term.evaluation).
    # An evaluation of 2018, right after the start, used to count for the renewal of 2021.
    early = [TermEventFacts("evaluatie", date(2018, 9, 1), document_ref="evaluatie-2018.pdf")]
    answer = may_renew(zeist_agreement(), early, date(2021, 5, 1))
    assert not answer.allowed and "12 maanden vóór het einde" in answer.reason
    in_window = [TermEventFacts("evaluatie", date(2020, 7, 1), document_ref="evaluatie-2020.pdf")]
    assert may_renew(zeist_agreement(), in_window, date(2021, 5, 1)).allowed


def test_tacit_renewal_majority_is_counted_over_the_parties_still_in() -> None:
    # Five parties; two left before the end of the term; two of the three remaining object: a majority of
    # the remaining parties (counted over all five, two objections were no majority).
    events = [
        TermEventFacts("uittreding", date(2016, 3, 1), party_key="eigen-haard"),
        TermEventFacts("uittreding", date(2016, 4, 1), party_key="ggz-ingeest"),
        TermEventFacts("bezwaar", date(2016, 10, 1), party_key="gemeente"),
        TermEventFacts("bezwaar", date(2016, 10, 2), party_key="politie"),
    ]
    after = term_status(amsterdam_agreement(), events, date(2016, 12, 15))
    assert not after.in_force and "2 van 3 partijen" in after.reason


def test_objection_of_a_party_that_withdrew_does_not_count() -> None:
    events = [
        TermEventFacts("bezwaar", date(2016, 5, 1), party_key="eigen-haard"),
        TermEventFacts("uittreding", date(2016, 6, 1), party_key="eigen-haard"),
        TermEventFacts("bezwaar", date(2016, 10, 1), party_key="gemeente"),
        TermEventFacts("bezwaar", date(2016, 10, 2), party_key="politie"),
    ]
    # Remaining: gemeente, politie, ymere, ggz-ingeest; 2 of 4 is no majority.
    assert term_status(amsterdam_agreement(), events, date(2016, 12, 15)).in_force


def _with_term(agreement_kind: str, **rule: object):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from registry.rules import LegalFacts

    base = amsterdam_agreement()
    model = base.legal.model.model_copy(
        update={"term": base.legal.model.term.model_copy(update={"kind": agreement_kind, **rule})}
    )
    return replace(base, legal=LegalFacts(model, base.legal.citations))


def test_tacit_renewal_stopped_by_any_single_party_when_the_rule_says_ieder() -> None:
    one = [TermEventFacts("bezwaar", date(2016, 10, 1), party_key="ymere")]
    assert not term_status(_with_term("stilzwijgend", objection="ieder"), one, date(2016, 12, 15)).in_force
    assert term_status(_with_term("stilzwijgend", objection="meerderheid"), one, date(2016, 12, 15)).in_force


def test_tacit_renewal_stopped_only_by_all_remaining_parties_when_the_rule_says_allen() -> None:
    parties = ("gemeente", "politie", "ymere", "eigen-haard")
    four = [TermEventFacts("bezwaar", date(2016, 10, 1), party_key=k) for k in parties]
    agreement = _with_term("stilzwijgend", objection="allen")
    assert term_status(agreement, four, date(2016, 12, 15)).in_force  # ggz-ingeest did not object
    gone = [*four, TermEventFacts("uittreding", date(2016, 9, 1), party_key="ggz-ingeest")]
    assert not term_status(agreement, gone, date(2016, 12, 15)).in_force


def test_fixed_term_ends_and_cannot_be_renewed() -> None:
    agreement = _with_term("vast")
    assert not term_status(agreement, [], date(2016, 12, 1)).in_force
    assert not may_renew(agreement, [], date(2016, 11, 1)).allowed


def test_indefinite_term_runs_until_ended() -> None:
    from dataclasses import replace

    agreement = replace(_with_term("onbepaald", notice_months=3), term_end=date.max)
    assert term_status(agreement, [], date(2030, 1, 1)).in_force
    ended = [TermEventFacts("beeindiging", date(2031, 3, 31))]
    assert not term_status(agreement, ended, date(2031, 4, 1)).in_force
