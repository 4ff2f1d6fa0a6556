"""Does a mandaatbesluit let this person sign this document on this day? One answer, used by the dossier
check (``templates.check``) and by the registry's signing rule (``registry.rules.signing``).

Everything comes from the dossier's own ``mandates``: which documents a mandate covers, from when and until
when it holds, and to whom it was granted. Each caller words the defects in its own Dutch sentences.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum

from templates.dossier.model import Mandate, Signatory

# Forms of address and academic titles in front of a name; "de heer" counts as one ("de" alone does not:
# "De Vries" is a surname).
TITLES = frozenset({"dhr", "mw", "mevr", "mevrouw", "heer", "drs", "dr", "mr", "ir", "ing", "prof", "ds"})


class MandateDefect(StrEnum):
    NOT_COVERED = "dekt_document_niet"  # the document is not among the mandate's documents
    NOT_YET = "nog_niet_genomen"  # the mandate was taken after the day
    EXPIRED = "verlopen"  # valid_until lies before the day
    OTHER_PERSON = "andere_gemachtigde"  # the mandate was granted to someone else


def person_name(name: str) -> str:
    """A name without leading titles and punctuation: 'Mevrouw drs. M.H.C. Barendse' -> 'm h c barendse'."""
    words = [w for w in re.split(r"[\s.,]+", name.lower()) if w]
    while words and (words[0] in TITLES or words[:2] == ["de", "heer"]):
        words = words[2:] if words[:2] == ["de", "heer"] else words[1:]
    return " ".join(words)


def is_mandatary(signatory: Signatory, mandate: Mandate) -> bool:
    """Whether ``mandate`` was granted to ``signatory`` (the same name, or the same e-mail address)."""
    if person_name(signatory.name) == person_name(mandate.mandatary.name):
        return True
    return (
        signatory.email is not None
        and mandate.mandatary.email is not None
        and signatory.email.lower() == mandate.mandatary.email.lower()
    )


def mandate_defects(
    mandate: Mandate, signatory: Signatory, document: str, on: dt.date
) -> list[MandateDefect]:
    """What keeps ``mandate`` from letting ``signatory`` sign ``document`` on ``on`` (empty: it holds)."""
    defects: list[MandateDefect] = []
    if document not in mandate.documents:
        defects.append(MandateDefect.NOT_COVERED)
    if mandate.date > on:
        defects.append(MandateDefect.NOT_YET)
    if mandate.valid_until is not None and mandate.valid_until < on:
        defects.append(MandateDefect.EXPIRED)
    if not is_mandatary(signatory, mandate):
        defects.append(MandateDefect.OTHER_PERSON)
    return defects
