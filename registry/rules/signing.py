"""May this signatory sign this document for this party on this date? (bevoegd gezag / mandaat)"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from registry.rules.answer import RuleAnswer
from registry.rules.dates import nl_date
from templates.dossier.mandates import MandateDefect, is_mandatary, mandate_defects
from templates.dossier.model import Mandate, Party, Signatory

ARTICLE_REPRESENTATIVE = (
    "Ondertekening door het bevoegd gezag (vertegenwoordiger van de partij); art. 3:40 BW / art. 10:1 Awb"
)
ARTICLE_MANDATE_LAW = "art. 10:1 e.v. Awb"


def mandate_article(mandate: Mandate) -> str:
    return f"Mandaatbesluit van {nl_date(mandate.date)}; {ARTICLE_MANDATE_LAW}"


def _check_mandate(mandate: Mandate, signatory: Signatory, document: str, on: date) -> list[str]:
    """Why ``mandate`` does not let ``signatory`` sign ``document`` on ``on``, in Dutch (empty: it does)."""
    defects = mandate_defects(mandate, signatory, document, on)
    problems: list[str] = []
    if MandateDefect.NOT_COVERED in defects:
        problems.append(
            f"het mandaatbesluit van {nl_date(mandate.date)} dekt het document '{document}' niet "
            f"(alleen: {', '.join(mandate.documents)})"
        )
    if MandateDefect.NOT_YET in defects:
        problems.append(
            f"het mandaatbesluit is pas genomen op {nl_date(mandate.date)}, "
            f"na de ondertekeningsdatum {nl_date(on)}"
        )
    if MandateDefect.EXPIRED in defects and mandate.valid_until is not None:
        problems.append(f"het mandaatbesluit is verlopen op {nl_date(mandate.valid_until)}")
    if MandateDefect.OTHER_PERSON in defects:
        problems.append(f"het mandaatbesluit verleent het mandaat aan {mandate.mandatary.name}")
    return problems


def may_sign_for(
    signatory: Signatory,
    party: Party,
    document: str,
    on: date,
    mandates: Sequence[Mandate] = (),
) -> RuleAnswer:
    """Decide whether ``signatory`` may sign ``document`` (a document key) for ``party`` on ``on``.

    Allowed when the signatory is listed for the party as its representative (capacity
    ``vertegenwoordiger``), or holds a mandaatbesluit (from ``mandates``) naming them as mandatary that
    is dated on or before ``on``, not expired on ``on`` and covers ``document``. A signatory with
    capacity ``mandaat`` is checked against the mandate their ``mandate`` key names; without a key, any
    mandate naming them (by name or e-mail) is considered.
    """
    listed = any(s.key == signatory.key for s in party.signatories)
    if signatory.capacity == "vertegenwoordiger":
        if listed:
            role = f" ({party.represented_by})" if party.represented_by else ""
            return RuleAnswer(
                allowed=True,
                until=None,
                reason=f"{signatory.name} ondertekent als vertegenwoordiger{role} van {party.name}.",
                article=ARTICLE_REPRESENTATIVE,
            )
        # Not listed as representative: a mandate naming them may still make them competent.
        candidates = [m for m in mandates if is_mandatary(signatory, m)]
    else:
        if signatory.mandate:
            named = [m for m in mandates if m.key == signatory.mandate]
            if not named:
                return RuleAnswer(
                    allowed=False,
                    until=None,
                    reason=(
                        f"{signatory.name} tekent namens {party.name} op grond van mandaat "
                        f"'{signatory.mandate}', maar dat mandaatbesluit is niet bekend."
                    ),
                    article=ARTICLE_MANDATE_LAW,
                    missing=(f"mandaatbesluit '{signatory.mandate}'",),
                    actions=(
                        "Voeg het mandaatbesluit toe aan het dossier of laat de vertegenwoordiger tekenen.",
                    ),
                )
            candidates = named
        else:
            candidates = [m for m in mandates if is_mandatary(signatory, m)]

    problems_by_mandate: list[tuple[Mandate, list[str]]] = []
    for mandate in sorted(candidates, key=lambda m: m.date, reverse=True):
        problems = _check_mandate(mandate, signatory, document, on)
        if not problems:
            return RuleAnswer(
                allowed=True,
                until=mandate.valid_until,
                reason=(
                    f"{signatory.name} mag '{document}' namens {party.name} ondertekenen op grond van het "
                    f"mandaatbesluit van {nl_date(mandate.date)} van {mandate.mandator.name} "
                    f"({mandate.mandator.function})."
                ),
                article=mandate_article(mandate),
            )
        problems_by_mandate.append((mandate, problems))

    if problems_by_mandate:
        mandate, problems = problems_by_mandate[0]
        return RuleAnswer(
            allowed=False,
            until=None,
            reason=(
                f"{signatory.name} is geen vertegenwoordiger van {party.name} en het mandaatbesluit volstaat "
                f"niet: {'; '.join(problems)}."
            ),
            article=mandate_article(mandate),
            missing=(f"een geldig mandaatbesluit voor '{document}' op {nl_date(on)}",),
            actions=(
                "Laat de vertegenwoordiger tekenen of leg een (nieuw) mandaatbesluit vast dat dit "
                "document dekt.",
            ),
        )
    return RuleAnswer(
        allowed=False,
        until=None,
        reason=(
            f"{signatory.name} is niet als vertegenwoordiger van {party.name} vastgelegd en heeft geen "
            f"mandaatbesluit om '{document}' te ondertekenen."
        ),
        article=f"{ARTICLE_REPRESENTATIVE}; {ARTICLE_MANDATE_LAW}",
        missing=("vertegenwoordigingsbevoegdheid of mandaatbesluit",),
        actions=("Laat de vertegenwoordiger van de partij tekenen of leg een mandaatbesluit vast.",),
    )
