"""Looptijd: is the agreement in force on a date, until when, and may it be renewed?

Zeist-style (``na_evaluatie``): the term ends unless renewed; a renewal is refused until a written
evaluation is recorded (Besluit art. 20 Wpg §6; privacyregeling art. 14). Amsterdam-style
(``stilzwijgend``): the term renews each ``renewal_years`` unless a majority of the parties objects
within the running term (convenant art. 32 lid 1).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from registry.rules.answer import RuleAnswer
from registry.rules.citations import citations_for
from registry.rules.dates import nl_date
from registry.rules.facts import AgreementFacts, BesluitFacts, TermEventFacts

WARNING_DAYS = 30


def add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


@dataclass(frozen=True)
class TermStatus:
    in_force: bool
    period_start: date
    period_end: date  # last day of the running (or last) term
    reason: str
    article: str
    warnings: tuple[str, ...] = ()


def _majority(objections: set[str], party_count: int) -> bool:
    return party_count > 0 and len(objections) * 2 > party_count


def term_status(agreement: AgreementFacts, events: Sequence[TermEventFacts], on: date) -> TermStatus:
    """Whether ``agreement`` is in force on ``on`` and the last day of its running term."""
    cite = citations_for(agreement.kind)
    ended = [e.occurred_on for e in events if e.kind == "beeindiging"]
    ended_on = min([*ended, *([agreement.ended_on] if agreement.ended_on else [])], default=None)
    if on < agreement.term_start:
        return TermStatus(
            False,
            agreement.term_start,
            agreement.term_end,
            f"{agreement.title} treedt pas in werking op {nl_date(agreement.term_start)}.",
            cite.term,
        )
    if ended_on is not None and on > ended_on:
        return TermStatus(
            False,
            agreement.term_start,
            ended_on,
            f"{agreement.title} is beëindigd per {nl_date(ended_on)}.",
            cite.term,
        )

    if agreement.renewal == "stilzwijgend":
        return _tacit_status(agreement, events, on, ended_on)

    renewals = [e.new_term_end for e in events if e.kind == "verlenging" and e.new_term_end]
    end = max([agreement.term_end, *renewals])
    if ended_on is not None:
        end = min(end, ended_on)
    if on > end:
        extra = (
            " Verlenging vereist eerst een schriftelijke evaluatie."
            if agreement.renewal == "na_evaluatie"
            else ""
        )
        return TermStatus(
            False,
            agreement.term_start,
            end,
            f"{agreement.title} is verlopen op {nl_date(end)} en niet verlengd.{extra}",
            cite.renewal if agreement.renewal == "na_evaluatie" else cite.term,
        )
    warnings: tuple[str, ...] = ()
    if (end - on).days <= WARNING_DAYS:
        if agreement.renewal == "na_evaluatie":
            has_eval = _evaluation_in_term(agreement, events, end) is not None
            hint = (
                "Een schriftelijke evaluatie is vastgelegd; leg de verlenging vast."
                if has_eval
                else "Leg eerst een schriftelijke evaluatie vast en verleng daarna."
            )
            warnings = (f"{agreement.title} loopt af op {nl_date(end)}. {hint} ({cite.renewal})",)
        else:
            warnings = (f"{agreement.title} loopt af op {nl_date(end)}. ({cite.term})",)
    return TermStatus(
        True,
        agreement.term_start,
        end,
        f"{agreement.title} is van kracht tot en met {nl_date(end)}.",
        cite.term,
        warnings,
    )


def _tacit_status(
    agreement: AgreementFacts, events: Sequence[TermEventFacts], on: date, ended_on: date | None
) -> TermStatus:
    cite = citations_for(agreement.kind)
    period_start, period_end = agreement.term_start, agreement.term_end
    k = 0
    while True:
        objections = {
            e.party_key
            for e in events
            if e.kind == "bezwaar" and e.party_key and period_start <= e.occurred_on <= period_end
        }
        majority = agreement.objection == "meerderheid" and _majority(objections, agreement.party_count)
        if on <= period_end:
            end = min(period_end, ended_on) if ended_on else period_end
            warnings: list[str] = []
            if majority:
                warnings.append(
                    f"Een meerderheid van de partijen ({len(objections)} van {agreement.party_count}) "
                    "verzet zich "
                    f"tegen verlenging: {agreement.title} eindigt op {nl_date(end)}. ({cite.renewal})"
                )
            elif (end - on).days <= WARNING_DAYS:
                warnings.append(
                    f"{agreement.title} wordt na {nl_date(end)} stilzwijgend met "
                    f"{agreement.renewal_years} jaar verlengd, tenzij een meerderheid van de partijen zich "
                    f"daartegen verzet. ({cite.renewal})"
                )
            suffix = "" if majority else f" (stilzwijgend verlengd; {k} keer)" if k else ""
            return TermStatus(
                True,
                period_start,
                end,
                f"{agreement.title} is van kracht tot en met {nl_date(end)}{suffix}.",
                cite.renewal if k else cite.term,
                tuple(warnings),
            )
        if majority:
            return TermStatus(
                False,
                period_start,
                period_end,
                f"{agreement.title} is geëindigd op {nl_date(period_end)}: een meerderheid van de "
                f"partijen ({len(objections)} van {agreement.party_count}) verzette zich tegen "
                "stilzwijgende verlenging.",
                cite.renewal,
            )
        period_start = period_end + timedelta(days=1)
        k += 1
        period_end = add_years(agreement.term_end, k * agreement.renewal_years)


def _evaluation_in_term(
    agreement: AgreementFacts, events: Sequence[TermEventFacts], end: date
) -> TermEventFacts | None:
    """The newest written evaluation recorded since the last renewal (or the start), on or before ``end``."""
    renewals = sorted(e.occurred_on for e in events if e.kind == "verlenging")
    since = renewals[-1] if renewals else agreement.term_start
    evals = [e for e in events if e.kind == "evaluatie" and since <= e.occurred_on and e.document_ref]
    return max(evals, key=lambda e: e.occurred_on, default=None)


def may_renew(agreement: AgreementFacts, events: Sequence[TermEventFacts], on: date) -> RuleAnswer:
    """May the agreement be renewed (explicitly) on ``on``? Only ``na_evaluatie`` terms renew by decision."""
    cite = citations_for(agreement.kind)
    if agreement.renewal == "stilzwijgend":
        return RuleAnswer(
            False,
            None,
            "Dit convenant wordt stilzwijgend verlengd; een verlengingsbesluit is niet nodig.",
            cite.renewal,
        )
    if agreement.renewal == "geen":
        return RuleAnswer(
            False,
            None,
            f"{agreement.title} voorziet niet in verlenging.",
            cite.term,
            missing=("een nieuwe overeenkomst",),
            actions=("Stel een nieuwe overeenkomst op.",),
        )
    status = term_status(agreement, events, on)
    ended = [e for e in events if e.kind == "beeindiging" and e.occurred_on < on]
    if ended:
        return RuleAnswer(
            False, None, f"{agreement.title} is beëindigd en kan niet worden verlengd.", cite.term
        )
    if on > status.period_end:
        return RuleAnswer(
            False,
            None,
            f"{agreement.title} is verlopen op {nl_date(status.period_end)}; verlengen kan alleen vóór de "
            "einddatum. Stel een nieuwe overeenkomst (en een nieuw besluit) op.",
            cite.renewal,
            missing=("een lopende overeenkomst",),
            actions=("Stel een nieuwe overeenkomst op.",),
        )
    evaluation = _evaluation_in_term(agreement, events, status.period_end)
    if evaluation is None or evaluation.occurred_on > on:
        return RuleAnswer(
            False,
            None,
            "Verlenging geweigerd: er is geen schriftelijke evaluatie vastgelegd waarin is vastgesteld of "
            "de grond voor de gegevensverstrekking nog aanwezig is.",
            cite.renewal,
            missing=("schriftelijke evaluatie (met document)",),
            actions=("Leg de schriftelijke evaluatie vast (datum en document) en verleng daarna.",),
        )
    new_end = add_years(status.period_end, agreement.renewal_years)
    return RuleAnswer(
        True,
        new_end,
        "Verlenging toegestaan op grond van de schriftelijke evaluatie van "
        f"{nl_date(evaluation.occurred_on)}; "
        f"nieuwe einddatum {nl_date(new_end)}.",
        cite.renewal,
    )


def besluit_status(besluit: BesluitFacts | None, kind: str, on: date) -> RuleAnswer:
    """Is the art. 20 Wpg besluit in force and not revoked on ``on``? ``until`` is its last day."""
    cite = citations_for(kind)
    if besluit is None:
        return RuleAnswer(
            False,
            None,
            "Er is geen besluit ex artikel 20 Wpg vastgelegd voor deze overeenkomst.",
            cite.police_recipient,
            missing=("besluit ex artikel 20 Wpg",),
            actions=("Vraag de politiechef om een besluit ex artikel 20 Wpg.",),
        )
    if besluit.revoked_on is not None and on >= besluit.revoked_on:
        return RuleAnswer(
            False,
            None,
            f"Het besluit ex artikel 20 Wpg van {nl_date(besluit.decided_on)} is ingetrokken per "
            f"{nl_date(besluit.revoked_on)}; alle verstrekkingen op grond daarvan zijn beëindigd.",
            cite.besluit_revoked,
            missing=("een geldend besluit ex artikel 20 Wpg",),
            actions=("Verstrek geen politiegegevens; vraag zo nodig een nieuw besluit aan.",),
        )
    if on < besluit.in_force_from:
        return RuleAnswer(
            False,
            None,
            f"Het besluit ex artikel 20 Wpg geldt pas vanaf {nl_date(besluit.in_force_from)}.",
            cite.besluit_term,
            missing=("een geldend besluit ex artikel 20 Wpg",),
        )
    if on > besluit.in_force_until:
        return RuleAnswer(
            False,
            None,
            f"Het besluit ex artikel 20 Wpg is verlopen op {nl_date(besluit.in_force_until)}.",
            cite.besluit_term,
            missing=("een geldend besluit ex artikel 20 Wpg",),
            actions=("Evalueer schriftelijk en vraag de politiechef om verlenging of een nieuw besluit.",),
        )
    warnings: tuple[str, ...] = ()
    last = besluit.last_day
    if (last - on).days <= WARNING_DAYS:
        warnings = (
            f"Het besluit ex artikel 20 Wpg geldt nog tot en met {nl_date(last)}. ({cite.besluit_term})",
        )
    return RuleAnswer(
        True,
        last,
        f"Het besluit ex artikel 20 Wpg van {nl_date(besluit.decided_on)} is van kracht.",
        cite.besluit_term,
        warnings=warnings,
    )
