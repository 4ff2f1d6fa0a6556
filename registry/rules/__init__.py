"""Rules as pure functions over plain values: each returns a frozen :class:`RuleAnswer`.

No database access happens here: the registry's services load the values (``registry.rules.facts``),
the rules decide. They evaluate the legal model the dossier declares (``templates.dossier.legal``), carried
in ``AgreementFacts.legal`` with the citation of every key it names, rendered from the dossier's own
numbering; no covenant is known in code. Every answer names the provisions it rests on and, when positive,
until when it holds.

Signing (bevoegd gezag / mandaat)::

    may_sign_for(signatory, party, document, on, mandates=()) -> RuleAnswer

Data (a data kind of the model: "politiegegevens", "persoonsgegevens", ...)::

    may_receive(person, agreement, data, besluit, on, events=(), *, term=None, capacity=None) -> RuleAnswer
    may_provide(person, agreement, data, besluit, on, events=(), *, term=None) -> RuleAnswer
    may_receive_police_data / may_receive_personal_data / may_provide_police_data   (shorthands)

Terms::

    term_status(agreement, events, on) -> TermStatus      # in force? last day of the running term
    may_renew(agreement, events, on) -> RuleAnswer        # verlenging_na_evaluatie: evaluation in the window
    besluit_status(besluit, agreement, on) -> RuleAnswer  # in force, not revoked; until = last day

RuleAnswer(allowed: bool, until: date | None, reason: str (Dutch), article: str,
           missing: tuple[str, ...], actions: tuple[str, ...], warnings: tuple[str, ...])
"""

from registry.rules.access import (
    may_provide,
    may_provide_police_data,
    may_receive,
    may_receive_personal_data,
    may_receive_police_data,
    provider_roles,
)
from registry.rules.answer import RuleAnswer, earliest
from registry.rules.dates import nl_date
from registry.rules.facts import (
    AgreementFacts,
    BesluitFacts,
    Capacity,
    DeclarationFacts,
    DesignationFacts,
    LegalFacts,
    PersonFacts,
    TermEventFacts,
)
from registry.rules.signing import may_sign_for
from registry.rules.terms import TermStatus, add_years, besluit_status, may_renew, term_status

__all__ = [
    "AgreementFacts",
    "BesluitFacts",
    "Capacity",
    "DeclarationFacts",
    "DesignationFacts",
    "LegalFacts",
    "PersonFacts",
    "RuleAnswer",
    "TermEventFacts",
    "TermStatus",
    "add_years",
    "besluit_status",
    "earliest",
    "may_provide",
    "may_provide_police_data",
    "may_receive",
    "may_receive_personal_data",
    "may_receive_police_data",
    "may_renew",
    "may_sign_for",
    "nl_date",
    "provider_roles",
    "term_status",
]
