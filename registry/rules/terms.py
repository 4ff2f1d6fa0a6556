"""Looptijd: is the agreement in force on a date, until when, and may it be renewed? Evaluates the term rule
the dossier declares (``legal.term``):

- ``vast``: the term ends on its end date;
- ``verlenging_na_evaluatie``: renewed by decision, only after a written evaluation made within the rule's
  window before the end (and after the last renewal);
- ``stilzwijgend``: renewed by ``renewal_years`` unless *any* / *a majority of* / *all* parties object
  within the running term — counted over the parties still in the covenant at its end;
- ``onbepaald``: runs until it is ended (opzegging, with the notice period the rule gives).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from registry.rules.answer import RuleAnswer
from registry.rules.dates import nl_date
from registry.rules.facts import AgreementFacts, BesluitFacts, TermEventFacts
from templates.dossier.legal import add_months, add_years

WARNING_DAYS = 30
OBJECTION_WORDS = {
    "ieder": "een partij",
    "meerderheid": "een meerderheid van de (overgebleven) partijen",
    "allen": "alle (overgebleven) partijen",
}

__all__ = ["WARNING_DAYS", "TermStatus", "add_years", "besluit_status", "may_renew", "term_status"]


@dataclass(frozen=True)
class TermStatus:
    in_force: bool
    period_start: date
    period_end: date  # last day of the running (or last) term
    reason: str
    article: str
    warnings: tuple[str, ...] = ()


def withdrawn_by(events: Sequence[TermEventFacts], day: date) -> set[str]:
    """Parties that left the cooperation on or before ``day``."""
    return {e.party_key for e in events if e.kind == "uittreding" and e.party_key and e.occurred_on <= day}


def _objection_holds(rule: str | None, objecting: set[str], remaining: set[str]) -> bool:
    counted = objecting & remaining
    if rule is None or not remaining:
        return False
    if rule == "ieder":
        return bool(counted)
    if rule == "allen":
        return counted == remaining
    return len(counted) * 2 > len(remaining)


def term_status(agreement: AgreementFacts, events: Sequence[TermEventFacts], on: date) -> TermStatus:
    """Whether ``agreement`` is in force on ``on`` and the last day of its running term."""
    legal = agreement.legal
    rule = legal.model.term
    term_cite = legal.cite(rule.source)
    ended = [e.occurred_on for e in events if e.kind == "beeindiging"]
    ended_on = min([*ended, *([agreement.ended_on] if agreement.ended_on else [])], default=None)
    if on < agreement.term_start:
        return TermStatus(
            False,
            agreement.term_start,
            agreement.term_end,
            f"{agreement.title} treedt pas in werking op {nl_date(agreement.term_start)}.",
            term_cite,
        )
    if ended_on is not None and on > ended_on:
        return TermStatus(
            False,
            agreement.term_start,
            ended_on,
            f"{agreement.title} is beëindigd per {nl_date(ended_on)}.",
            term_cite,
        )
    if rule.kind == "stilzwijgend":
        return _tacit_status(agreement, events, on, ended_on)
    if rule.kind == "onbepaald":
        end = ended_on or date.max
        return TermStatus(
            True,
            agreement.term_start,
            end,
            f"{agreement.title} geldt voor onbepaalde tijd"
            + (f", tot en met {nl_date(end)}." if ended_on else "."),
            term_cite,
        )

    renewals = [e.new_term_end for e in events if e.kind == "verlenging" and e.new_term_end]
    end = max([agreement.term_end, *renewals])
    if ended_on is not None:
        end = min(end, ended_on)
    renewal_cite = legal.cite(rule.source + (rule.evaluation.source if rule.evaluation else []))
    if on > end:
        extra = (
            " Verlenging vereist eerst een schriftelijke evaluatie."
            if rule.kind == "verlenging_na_evaluatie"
            else ""
        )
        return TermStatus(
            False,
            agreement.term_start,
            end,
            f"{agreement.title} is verlopen op {nl_date(end)} en niet verlengd.{extra}",
            renewal_cite if rule.kind == "verlenging_na_evaluatie" else term_cite,
        )
    warnings: tuple[str, ...] = ()
    if (end - on).days <= WARNING_DAYS:
        if rule.kind == "verlenging_na_evaluatie":
            has_eval = _evaluation_in_window(agreement, events, end) is not None
            hint = (
                "Een schriftelijke evaluatie is vastgelegd; leg de verlenging vast."
                if has_eval
                else "Leg eerst een schriftelijke evaluatie vast en verleng daarna."
            )
            warnings = (f"{agreement.title} loopt af op {nl_date(end)}. {hint} ({renewal_cite})",)
        else:
            warnings = (f"{agreement.title} loopt af op {nl_date(end)}. ({term_cite})",)
    return TermStatus(
        True,
        agreement.term_start,
        end,
        f"{agreement.title} is van kracht tot en met {nl_date(end)}.",
        term_cite,
        warnings,
    )


def _tacit_status(
    agreement: AgreementFacts, events: Sequence[TermEventFacts], on: date, ended_on: date | None
) -> TermStatus:
    legal = agreement.legal
    rule = legal.model.term
    term_cite = legal.cite(rule.source)
    renewal_cite = legal.cite(rule.source + rule.objection_source)
    who = OBJECTION_WORDS.get(rule.objection or "", "")
    period_start, period_end = agreement.term_start, agreement.term_end
    k = 0
    while True:
        remaining = set(agreement.parties) - withdrawn_by(events, period_end)
        objecting = {
            e.party_key
            for e in events
            if e.kind == "bezwaar" and e.party_key and period_start <= e.occurred_on <= period_end
        }
        stops = _objection_holds(rule.objection, objecting, remaining)
        counted = len(objecting & remaining)
        if on <= period_end:
            end = min(period_end, ended_on) if ended_on else period_end
            warnings: list[str] = []
            if stops:
                warnings.append(
                    f"Verzet tegen verlenging door {who} ({counted} van {len(remaining)} partijen): "
                    f"{agreement.title} eindigt op {nl_date(end)}. ({renewal_cite})"
                )
            elif (end - on).days <= WARNING_DAYS:
                warnings.append(
                    f"{agreement.title} wordt na {nl_date(end)} stilzwijgend met "
                    f"{rule.renewal_years} jaar verlengd, tenzij {who} zich daartegen verzet. "
                    f"({renewal_cite})"
                )
            suffix = "" if stops else f" (stilzwijgend verlengd; {k} keer)" if k else ""
            return TermStatus(
                True,
                period_start,
                end,
                f"{agreement.title} is van kracht tot en met {nl_date(end)}{suffix}.",
                renewal_cite if k else term_cite,
                tuple(warnings),
            )
        if stops:
            return TermStatus(
                False,
                period_start,
                period_end,
                f"{agreement.title} is geëindigd op {nl_date(period_end)}: {who} ({counted} van "
                f"{len(remaining)} partijen) verzette zich tegen stilzwijgende verlenging.",
                renewal_cite,
            )
        period_start = period_end + timedelta(days=1)
        k += 1
        period_end = add_years(agreement.term_end, k * rule.renewal_years)


def _evaluation_in_window(
    agreement: AgreementFacts, events: Sequence[TermEventFacts], end: date
) -> TermEventFacts | None:
    """The newest written evaluation made within the rule's window before ``end`` (and after the last
    renewal), on or before ``end``."""
    rule = agreement.legal.model.term
    window = rule.evaluation.window_months if rule.evaluation else 12
    opens = add_months(end, -window)
    renewals = sorted(e.occurred_on for e in events if e.kind == "verlenging")
    since = max(opens, renewals[-1]) if renewals else opens
    evals = [e for e in events if e.kind == "evaluatie" and since < e.occurred_on <= end and e.document_ref]
    return max(evals, key=lambda e: e.occurred_on, default=None)


def may_renew(agreement: AgreementFacts, events: Sequence[TermEventFacts], on: date) -> RuleAnswer:
    """May the agreement be renewed (by decision) on ``on``? Only under ``verlenging_na_evaluatie``."""
    legal = agreement.legal
    rule = legal.model.term
    term_cite = legal.cite(rule.source)
    renewal_cite = legal.cite(rule.source + (rule.evaluation.source if rule.evaluation else []))
    if rule.kind == "stilzwijgend":
        return RuleAnswer(
            False,
            None,
            f"{agreement.title} wordt stilzwijgend verlengd; een verlengingsbesluit is niet nodig.",
            legal.cite(rule.source + rule.objection_source),
        )
    if rule.kind in ("vast", "onbepaald"):
        what = "geldt voor onbepaalde tijd" if rule.kind == "onbepaald" else "voorziet niet in verlenging"
        return RuleAnswer(
            False,
            None,
            f"{agreement.title} {what}.",
            term_cite,
            missing=() if rule.kind == "onbepaald" else ("een nieuwe overeenkomst",),
            actions=() if rule.kind == "onbepaald" else ("Stel een nieuwe overeenkomst op.",),
        )
    status = term_status(agreement, events, on)
    if any(e.kind == "beeindiging" and e.occurred_on < on for e in events):
        return RuleAnswer(
            False, None, f"{agreement.title} is beëindigd en kan niet worden verlengd.", term_cite
        )
    if on > status.period_end:
        return RuleAnswer(
            False,
            None,
            f"{agreement.title} is verlopen op {nl_date(status.period_end)}; verlengen kan alleen vóór de "
            "einddatum. Stel een nieuwe overeenkomst (en een nieuw besluit) op.",
            renewal_cite,
            missing=("een lopende overeenkomst",),
            actions=("Stel een nieuwe overeenkomst op.",),
        )
    window = rule.evaluation.window_months if rule.evaluation else 12
    evaluation = _evaluation_in_window(agreement, events, status.period_end)
    if evaluation is None or evaluation.occurred_on > on:
        opens = add_months(status.period_end, -window)
        return RuleAnswer(
            False,
            None,
            "Verlenging geweigerd: er is geen schriftelijke evaluatie vastgelegd in de "
            f"{window} maanden vóór het einde ({nl_date(opens)} – {nl_date(status.period_end)}) waarin is "
            "vastgesteld of de grond voor de gegevensverstrekking nog aanwezig is.",
            renewal_cite,
            missing=("schriftelijke evaluatie (met document) binnen de termijn vóór het einde",),
            actions=("Leg de schriftelijke evaluatie vast (datum en document) en verleng daarna.",),
        )
    new_end = add_years(status.period_end, rule.renewal_years)
    return RuleAnswer(
        True,
        new_end,
        "Verlenging toegestaan op grond van de schriftelijke evaluatie van "
        f"{nl_date(evaluation.occurred_on)}; nieuwe einddatum {nl_date(new_end)}.",
        renewal_cite,
    )


def needs_besluit(agreement: AgreementFacts) -> bool:
    """Does any flow of the model depend on a besluit (a condition of kind besluit / ontvanger_in_besluit)?"""
    model = agreement.legal.model
    kinds = {c.key for c in model.conditions if c.kind in ("besluit", "ontvanger_in_besluit")}
    return model.besluit is not None or any(
        f.to_parties == "besluit" or kinds & set(f.conditions) for f in model.flows
    )


def besluit_citations(agreement: AgreementFacts) -> tuple[str, str]:
    """(term citation, revocation citation) of the besluit, from the model."""
    legal = agreement.legal
    b = legal.model.besluit
    if b is None:
        sources = [s for f in legal.model.flows if f.data.endswith("politiegegevens") for s in f.source]
        return legal.cite(sources), legal.cite(sources)
    return legal.cite(b.term_source), legal.cite(b.revocation_source or b.term_source)


def besluit_status(besluit: BesluitFacts | None, agreement: AgreementFacts, on: date) -> RuleAnswer:
    """Is the besluit in force and not revoked on ``on``? ``until`` is its last day."""
    term_cite, revoke_cite = besluit_citations(agreement)
    if besluit is None and not needs_besluit(agreement):
        return RuleAnswer(
            True,
            None,
            "Dit convenant laat politiegegevens niet op een besluit ex artikel 20 Wpg steunen; de grondslag "
            "staat bij elke gegevensstroom.",
            term_cite,
        )
    if besluit is None:
        return RuleAnswer(
            False,
            None,
            "Er is geen besluit ex artikel 20 Wpg vastgelegd voor deze overeenkomst.",
            term_cite,
            missing=("besluit ex artikel 20 Wpg",),
            actions=("Vraag de politiechef om een besluit ex artikel 20 Wpg.",),
        )
    if besluit.revoked_on is not None and on >= besluit.revoked_on:
        return RuleAnswer(
            False,
            None,
            f"Het besluit ex artikel 20 Wpg van {nl_date(besluit.decided_on)} is ingetrokken per "
            f"{nl_date(besluit.revoked_on)}; alle verstrekkingen op grond daarvan zijn beëindigd.",
            revoke_cite,
            missing=("een geldend besluit ex artikel 20 Wpg",),
            actions=("Verstrek geen politiegegevens; vraag zo nodig een nieuw besluit aan.",),
        )
    if on < besluit.in_force_from:
        return RuleAnswer(
            False,
            None,
            f"Het besluit ex artikel 20 Wpg geldt pas vanaf {nl_date(besluit.in_force_from)}.",
            term_cite,
            missing=("een geldend besluit ex artikel 20 Wpg",),
        )
    if on > besluit.in_force_until:
        return RuleAnswer(
            False,
            None,
            f"Het besluit ex artikel 20 Wpg is verlopen op {nl_date(besluit.in_force_until)}.",
            term_cite,
            missing=("een geldend besluit ex artikel 20 Wpg",),
            actions=("Evalueer schriftelijk en vraag de politiechef om verlenging of een nieuw besluit.",),
        )
    warnings: tuple[str, ...] = ()
    last = besluit.last_day
    if (last - on).days <= WARNING_DAYS:
        warnings = (f"Het besluit ex artikel 20 Wpg geldt nog tot en met {nl_date(last)}. ({term_cite})",)
    return RuleAnswer(
        True,
        last,
        f"Het besluit ex artikel 20 Wpg van {nl_date(besluit.decided_on)} is van kracht tot en met "
        f"{nl_date(last)}.",
        term_cite,
        warnings=warnings,
    )
