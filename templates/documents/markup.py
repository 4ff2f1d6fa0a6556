"""Inline markup checked before any document is built; a valid dossier's reference targets are kept."""

from __future__ import annotations

import threading
from collections import OrderedDict

from templates.dossier.model import (
    Dossier,
)
from templates.errors import DossierInvalid, Problem
from templates.formatting import count_phrase
from templates.numbering import (
    Target,
    markup_problems,
    reference_targets,
)

_VALIDATED: OrderedDict[str, dict[str, Target]] = OrderedDict()  # dossier JSON -> targets (valid only)
_VALIDATED_MAX = 16
_VALIDATED_LOCK = threading.Lock()


def validate_markup(dossier: Dossier) -> dict[str, Target]:
    """Raise DossierInvalid when inline markup cannot be resolved; return the reference targets.

    The outcome depends on the dossier alone, so a valid dossier's targets are kept per exact dossier
    content (its JSON): a personalised declaration rendered per request does not re-check the whole
    dossier. An invalid dossier is checked (and refused) every time."""
    key = dossier.model_dump_json()
    with _VALIDATED_LOCK:
        hit = _VALIDATED.get(key)
        if hit is not None:
            _VALIDATED.move_to_end(key)
            return dict(hit)
    targets = _validate_markup(dossier)
    with _VALIDATED_LOCK:
        _VALIDATED[key] = dict(targets)
        while len(_VALIDATED) > _VALIDATED_MAX:
            _VALIDATED.popitem(last=False)
    return targets


def _validate_markup(dossier: Dossier) -> dict[str, Target]:
    problems: list[Problem] = markup_problems(dossier)
    errors = [p for p in problems if p.severity == "fout"]
    if errors:
        found = count_phrase(len(errors), "fout", "fouten")
        raise DossierInvalid(f"Het dossier bevat {found} in verwijzingen of markeringen.", errors)
    return reference_targets(dossier)[0]
