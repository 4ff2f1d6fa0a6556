"""Rules as pure functions over plain values: each returns a frozen :class:`RuleAnswer`.

No database access happens here: the registry's services load the values (``registry.rules.facts``),
the rules decide. Every answer names the article it rests on (Zeist or Amsterdam texts, chosen by the
agreement's kind, see ``registry.rules.citations``) and, when positive, until when it holds.

Signing (bevoegd gezag / mandaat)::

    may_sign_for(signatory: Signatory, party: Party, document: str, on: date,
                 mandates: Sequence[Mandate] = ()) -> RuleAnswer

    ``signatory``, ``party`` and ``mandates`` are the dossier model objects (templates.dossier.model);
    ``document`` is a document key ("overeenkomst", "besluit-art20", a mandate key, ...).
    Allowed when the signatory is listed for the party with capacity "vertegenwoordiger", or holds a
    mandaatbesluit valid on ``on`` (dated on/before it, not expired) that lists ``document``.
    ``until`` is the mandate's ``valid_until`` (None for a representative).

Police data and personal data::

    may_receive_police_data(person: PersonFacts, agreement: AgreementFacts, besluit: BesluitFacts | None,
                            on: date, events: Sequence[TermEventFacts] = ()) -> RuleAnswer
    may_receive_personal_data(person, agreement, on, events=()) -> RuleAnswer
    may_provide_police_data(person, agreement, besluit, on, events=()) -> RuleAnswer

Terms::

    term_status(agreement, events, on) -> TermStatus      # in force? last day of the running term
    may_renew(agreement, events, on) -> RuleAnswer        # na_evaluatie: only after a written evaluation
    besluit_status(besluit, kind, on) -> RuleAnswer       # in force, not revoked; until = last day

RuleAnswer(allowed: bool, until: date | None, reason: str (Dutch), article: str,
           missing: tuple[str, ...], actions: tuple[str, ...], warnings: tuple[str, ...])
"""

from registry.rules.access import (
    ROLE_LABELS,
    may_provide_police_data,
    may_receive_personal_data,
    may_receive_police_data,
)
from registry.rules.answer import RuleAnswer, earliest
from registry.rules.citations import AMSTERDAM, ZEIST, Citations, citations_for
from registry.rules.dates import nl_date
from registry.rules.facts import (
    AgreementFacts,
    BesluitFacts,
    DeclarationFacts,
    DesignationFacts,
    PersonFacts,
    TermEventFacts,
)
from registry.rules.signing import may_sign_for
from registry.rules.terms import TermStatus, add_years, besluit_status, may_renew, term_status

__all__ = [
    "AMSTERDAM",
    "ROLE_LABELS",
    "ZEIST",
    "AgreementFacts",
    "BesluitFacts",
    "Citations",
    "DeclarationFacts",
    "DesignationFacts",
    "PersonFacts",
    "RuleAnswer",
    "TermEventFacts",
    "TermStatus",
    "add_years",
    "besluit_status",
    "citations_for",
    "earliest",
    "may_provide_police_data",
    "may_receive_personal_data",
    "may_receive_police_data",
    "may_renew",
    "may_sign_for",
    "nl_date",
    "term_status",
]
