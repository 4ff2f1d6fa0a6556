"""Rules as pure functions over plain values: each returns a frozen :class:`RuleAnswer`.

No database access happens here: the registry's services load the values, the rules decide.

Signing (bevoegd gezag / mandaat)::

    may_sign_for(signatory: Signatory, party: Party, document: str, on: date,
                 mandates: Sequence[Mandate] = ()) -> RuleAnswer

    ``signatory``, ``party`` and ``mandates`` are the dossier model objects (templates.dossier.model);
    ``document`` is a document key ("overeenkomst", "besluit-art20", a mandate key, ...).
    Allowed when the signatory is listed for the party with capacity "vertegenwoordiger", or holds a
    mandaatbesluit valid on ``on`` (dated on/before it, not expired) that lists ``document``.
    ``until`` is the mandate's ``valid_until`` (None for a representative).

RuleAnswer(allowed: bool, until: date | None, reason: str (Dutch), article: str,
           missing: tuple[str, ...], actions: tuple[str, ...], warnings: tuple[str, ...])
"""

from registry.rules.answer import RuleAnswer, earliest
from registry.rules.dates import nl_date
from registry.rules.signing import may_sign_for

__all__ = ["RuleAnswer", "earliest", "may_sign_for", "nl_date"]
