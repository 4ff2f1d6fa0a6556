"""Consistency check of a dossier: pure rules over the model, each finding a ``Problem`` with the dotted
path of the offending field, a Dutch message that names the field and the reason, a severity
("fout" blocks generation and signing; "waarschuwing" is for the author to weigh) and a machine code.

The rules, one module per group (``keys``, ``parties``, ``signatories``, ``mandates``, ``term``, ``dates``,
``budget``, ``laws``, ``besluit``, ``documents``; markup and the legal model come from ``templates.numbering``
and ``templates.legalcheck``):

- inline markup (``[[ref:…]]``, ``[[partij:…]]``, ``[[voetnoot:…]]``, ``[[waarde:…]]``) names an existing key,
  and reference keys are unique (both from ``templates.numbering``, the same index the renderer uses);
- keys of parties, signatories, documents, categories, uses, grounds and budget lines are unique;
- every party that appears in the text, the considerations (``[[partij:…]]``, the generated list of
  parties) or among the besluit's recipients has a signature block;
- every signatory signs as representative (the party's representative role) or under a mandate that exists,
  covers the agreement, was given before the signing date and had not expired on it;
- the term ends after it starts, its duration and end date agree, the cover's period matches it, and a
  start before the signing date is intended (``retroactive``);
- a date typed into the text is one of the dossier's dates (otherwise it should be a ``[[waarde:…]]``);
- the budget lines fit in the available amount, the remainder is not negative;
- the laws the dossier names are known (``templates/laws.yaml`` or described in the dossier) and were in
  force on the agreement's date; a text does not name a law that had been repealed on its document's date
  (the Wbp after 25 May 2018, the Wmo before 2015's Wmo 2015, ...);
- the besluit names categories and uses, its recipients are parties, and it does not end before the
  agreement;
- the geheimhoudingsverklaring offers at least one ground;
- each signatory has an e-mail address (needed for online signing);
- what becomes a document's title, author or subject property fits in the 255 characters DOCX allows;
- the legal model is complete (``templates.legalcheck``): every key it cites exists, every flow has a legal
  ground, conditions and flows name known roles, grounds, conditions and categories, the term rule has what
  its kind needs;
- a document does not cite a date after its own date (the besluit citing the later signing date) unless the
  author says so.
"""

from templates.check.besluit import check_besluit
from templates.check.budget import check_budget
from templates.check.dates import check_later_dates, check_typed_dates
from templates.check.documents import check_declaration, check_document_properties, check_version
from templates.check.keys import check_duplicate_keys
from templates.check.laws import check_laws
from templates.check.mandates import check_mandates
from templates.check.parties import check_parties_without_signature
from templates.check.severity import ERROR, WARNING
from templates.check.signatories import check_signatories
from templates.check.term import check_term
from templates.dossier.model import Dossier
from templates.errors import Problem
from templates.legalcheck import legal_problems
from templates.numbering import markup_problems

__all__ = ["ERROR", "WARNING", "check_dossier"]


def check_dossier(dossier: Dossier) -> list[Problem]:
    """Every consistency problem of the dossier: errors first, then warnings, each in dossier order."""
    problems: list[Problem] = []
    problems += markup_problems(dossier)
    problems += check_duplicate_keys(dossier)
    problems += check_parties_without_signature(dossier)
    problems += check_signatories(dossier)
    problems += check_mandates(dossier)
    problems += check_term(dossier)
    problems += check_typed_dates(dossier)
    problems += check_budget(dossier)
    problems += check_laws(dossier)
    problems += check_besluit(dossier)
    problems += check_declaration(dossier)
    problems += check_document_properties(dossier)
    problems += check_version(dossier)
    problems += legal_problems(dossier)
    problems += check_later_dates(dossier)
    return [p for p in problems if p.severity == ERROR] + [p for p in problems if p.severity != ERROR]
