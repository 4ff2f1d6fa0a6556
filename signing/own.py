"""A signature made elsewhere ("bring your own certificate"): checking the returned file before accepting it.

The signatory downloads the document, signs her own field with her own software and certificate
(PKIoverheid, a qualified certificate on a smart card) and returns the file. It is accepted only when it is
the document she received plus exactly one incremental update, which signs her field, validates against
the trust roots, and changes nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyhanko.sign.diff_analysis import (
    DEFAULT_DIFF_POLICY,
    FormUpdatingRule,
    ModificationLevel,
    StandardDiffPolicy,
    SuspiciousModification,
)
from pyhanko.sign.diff_analysis.constants import ACROFORM_EXEMPT_STRICT_COMPARISON

from signing.diffcache import RevisionDiffCache
from signing.errors import OwnSignatureRefused
from signing.pdfio import open_reader
from signing.report import SignatureReport
from signing.trust import TrustConfig
from signing.validate import ValidationLimits, validate_pdf


@dataclass(frozen=True)
class OwnSignature:
    report: SignatureReport
    common_name: str | None  # the certificate's CN, to compare with the signatory's name


# The revision that holds a signature may also set the form's /SigFlags (SignaturesExist, AppendOnly):
# every signing program does that with the first signature. Everything else is judged as pyHanko does.
_SIGNING_REVISION_POLICY = StandardDiffPolicy(
    global_rules=DEFAULT_DIFF_POLICY.global_rules,
    form_rule=FormUpdatingRule(
        field_rules=DEFAULT_DIFF_POLICY.form_rule.field_rules,  # type: ignore[union-attr]
        ignored_acroform_keys=ACROFORM_EXEMPT_STRICT_COMPARISON | {"/SigFlags"},
    ),
)


def check_own_signature(
    before: bytes, after: bytes, field_name: str, trust: TrustConfig, limits: ValidationLimits | None = None
) -> OwnSignature:
    """Accept ``after`` as ``before`` signed in ``field_name`` by someone else's software, or refuse."""
    if len(after) <= len(before) or after[: len(before)] != before:
        raise OwnSignatureRefused(
            "Het bestand is niet het document dat u kreeg met uw handtekening eraan toegevoegd: de inhoud "
            "ervan is anders. Download het document opnieuw en onderteken alleen uw eigen veld."
        )
    old_revisions = open_reader(before).xrefs.total_revisions
    reader = open_reader(after)
    revisions = reader.xrefs.total_revisions
    if revisions != old_revisions + 1:
        raise OwnSignatureRefused(
            f"Het bestand heeft {revisions - old_revisions} nieuwe revisies; verwacht is precies één: "
            "uw handtekening."
        )
    signed_before = {s.field_name for s in open_reader(before).embedded_signatures}
    new = [s for s in reader.embedded_signatures if s.field_name not in signed_before]
    if len(new) != 1:
        raise OwnSignatureRefused(
            f"Het bestand bevat {len(new)} nieuwe handtekeningen; verwacht is precies één, in uw veld."
        )
    if new[0].field_name != field_name:
        raise OwnSignatureRefused(
            f"De handtekening staat in het veld '{new[0].field_name}', niet in uw eigen veld '{field_name}'."
        )
    diff = RevisionDiffCache(inner=_SIGNING_REVISION_POLICY).update(reader, revisions - 1)
    if isinstance(diff, SuspiciousModification):
        raise OwnSignatureRefused(
            "Behalve uw handtekening is er iets anders in het document gewijzigd; dat is niet toegestaan."
        )
    other_fields = diff.changed_form_fields - {field_name}
    if diff.modification_level > ModificationLevel.FORM_FILLING or other_fields:
        raise OwnSignatureRefused(
            "Behalve uw handtekening zijn er andere velden of aantekeningen gewijzigd; "
            "dat is niet toegestaan."
        )
    report = validate_pdf(after, trust, limits=limits).by_field(field_name)
    if not report.passed:
        why = "; ".join(report.problems) or str(report.sub_indication)
        raise OwnSignatureRefused(f"Uw handtekening is niet geldig: {why}")
    cert = new[0].signer_cert
    names = cert.subject.native
    return OwnSignature(report, names.get("common_name"))
