"""Every signatory signs as the party's representative or under a mandate that holds on the signing date."""

from __future__ import annotations

import re

from templates.check.severity import ERROR, WARNING
from templates.documents import AGREEMENT
from templates.dossier.mandates import MandateDefect, mandate_defects
from templates.dossier.model import Dossier, Party, Signatory
from templates.errors import Problem
from templates.formatting import format_date

_ARTICLES = {"de", "het", "een"}


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[^\wà-ÿ-]+", text.lower()) if w]


def _role_matches(represented_by: str, function: str) -> bool:
    """'de directeur-bestuurder' vs 'Directeur-bestuurder': does the function name the representative role?"""
    role = [w for w in _words(represented_by) if w not in _ARTICLES]
    func = _words(function)
    return bool(role) and bool(func) and (role[0] in func or func[0] in role)


def check_signatories(d: Dossier) -> list[Problem]:
    out: list[Problem] = []
    for i, party in enumerate(d.parties):
        for j, s in enumerate(party.signatories):
            path = f"parties.{i}.signatories.{j}"
            if s.capacity == "mandaat":
                out += _signatory_under_mandate(d, party, s, path)
            else:
                out += _signatory_as_representative(party, s, path)
            for k, key in enumerate(s.also_for):
                other = d.party(key)
                if other is None or other is party or other.joins_later:
                    reason = (
                        "is geen partij"
                        if other is None
                        else "is de eigen partij"
                        if other is party
                        else "treedt later toe en ondertekent dan zelf"
                    )
                    out.append(
                        Problem(
                            f"{path}.also_for.{k}",
                            f"{s.name} tekent mede namens '{key}', maar die {reason}",
                            ERROR,
                            "mede_namens_ongeldig",
                        )
                    )
            if s.email is None:
                out.append(
                    Problem(
                        f"{path}.email",
                        f"{s.name} ({party.name}) heeft geen e-mailadres; dat is nodig "
                        "om online te ondertekenen",
                        WARNING,
                        "email_ontbreekt",
                    )
                )
    return out


def _signatory_as_representative(party: Party, s: Signatory, path: str) -> list[Problem]:
    out: list[Problem] = []
    if not party.represented_by and not s.function.strip():
        out.append(
            Problem(
                f"{path}.function",
                f"{s.name} tekent als vertegenwoordiger van '{party.name}', maar "
                "noch de partij (represented_by) noch de ondertekenaar (function) noemt een "
                "vertegenwoordigende rol",
                ERROR,
                "vertegenwoordiging_ontbreekt",
            )
        )
    elif party.represented_by and not _role_matches(party.represented_by, s.function):
        out.append(
            Problem(
                f"{path}.function",
                f"{s.name} tekent als vertegenwoordiger van '{party.name}' met de "
                f"functie '{s.function}', maar volgens de partijenlijst wordt de partij vertegenwoordigd "
                f"door '{party.represented_by}': leg vast dat de ondertekenaar die rol vervult, of laat "
                "ondertekenen met mandaat (capacity 'mandaat')",
                WARNING,
                "rol_wijkt_af",
            )
        )
    if s.mandate is not None:
        out.append(
            Problem(
                f"{path}.mandate",
                f"{s.name} tekent als vertegenwoordiger, maar er is een mandaat "
                f"'{s.mandate}' opgegeven: kies capacity 'mandaat' of laat het mandaat weg",
                WARNING,
                "mandaat_zonder_mandaatcapaciteit",
            )
        )
    return out


def _signatory_under_mandate(d: Dossier, party: Party, s: Signatory, path: str) -> list[Problem]:
    if s.mandate is None:
        return [
            Problem(
                f"{path}.mandate",
                f"{s.name} tekent voor '{party.name}' met mandaat, maar er is geen "
                "mandaatbesluit opgegeven (mandate)",
                ERROR,
                "mandaat_ontbreekt",
            )
        ]
    m = d.mandate(s.mandate)
    if m is None:
        known = ", ".join(x.key for x in d.mandates) or "geen"
        return [
            Problem(
                f"{path}.mandate",
                f"het mandaatbesluit '{s.mandate}' bestaat niet in dit dossier (bekend: {known})",
                ERROR,
                "mandaat_onbekend",
            )
        ]
    out: list[Problem] = []
    signed = d.signing.date
    defects = mandate_defects(m, s, AGREEMENT, signed)
    if MandateDefect.NOT_COVERED in defects:
        out.append(
            Problem(
                f"{path}.mandate",
                f"het mandaatbesluit '{m.key}' geeft geen bevoegdheid om de "
                f"overeenkomst te ondertekenen (documents: {', '.join(m.documents)})",
                ERROR,
                "mandaat_dekt_document_niet",
            )
        )
    if MandateDefect.NOT_YET in defects:
        out.append(
            Problem(
                f"{path}.mandate",
                f"het mandaatbesluit '{m.key}' is genomen op {format_date(m.date)}, "
                f"na de ondertekening op {format_date(signed)}; bij het tekenen bestond het mandaat nog "
                "niet",
                ERROR,
                "mandaat_na_ondertekening",
            )
        )
    if MandateDefect.EXPIRED in defects and m.valid_until is not None:
        out.append(
            Problem(
                f"{path}.mandate",
                f"het mandaatbesluit '{m.key}' gold tot en met "
                f"{format_date(m.valid_until)} en was op de datum van ondertekening "
                f"({format_date(signed)}) verlopen",
                ERROR,
                "mandaat_verlopen",
            )
        )
    if MandateDefect.OTHER_PERSON in defects:
        out.append(
            Problem(
                f"{path}.name",
                f"het mandaatbesluit '{m.key}' verleent het mandaat aan "
                f"{m.mandatary.name}, niet aan {s.name}",
                ERROR,
                "mandaat_andere_gemachtigde",
            )
        )
    if not s.on_behalf_of:
        out.append(
            Problem(
                f"{path}.on_behalf_of",
                f"{s.name} tekent met mandaat; vermeld namens wie "
                f"(on_behalf_of), bv. '{m.mandator.function}, {m.mandator.name}'",
                WARNING,
                "namens_ontbreekt",
            )
        )
    return out
