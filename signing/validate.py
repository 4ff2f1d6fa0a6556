"""Validating every signature and document timestamp in a PDF with pyHanko's validator."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields as pdf_fields
from pyhanko.sign.ades.report import AdESStatus
from pyhanko.sign.diff_analysis import ModificationLevel, SuspiciousModification
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.general import extract_certificate_info
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.generic_cms import extract_tst_data_iter
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import (
    DocumentTimestampStatus,
    PdfSignatureStatus,
    SignatureCoverageLevel,
    SignatureStatus,
)
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.errors import InsufficientRevinfoError

from signing.diffcache import RevisionDiffCache, check_deadline
from signing.errors import InvalidPdf, ValidationRefused
from signing.pdfio import open_reader
from signing.report import Coverage, Indication, SignatureReport, ValidationReport
from signing.trust import TrustConfig

log = logging.getLogger("convenant.signing")

_INDICATION: dict[AdESStatus, Indication] = {
    AdESStatus.PASSED: "TOTAL_PASSED",
    AdESStatus.INDETERMINATE: "INDETERMINATE",
    AdESStatus.FAILED: "TOTAL_FAILED",
}
_SUBFILTERS = {f.value for f in SigSeedSubFilter}
_MODIFICATIONS = {
    ModificationLevel.NONE: "geen wijzigingen",
    ModificationLevel.LTA_UPDATES: "alleen validatiegegevens en documenttijdstempels",
    ModificationLevel.FORM_FILLING: (
        "alleen het invullen en ondertekenen van formuliervelden (zoals verdere handtekeningen)"
    ),
    ModificationLevel.ANNOTATIONS: "aantekeningen en het ondertekenen van velden",
    ModificationLevel.OTHER: "wijzigingen aan de inhoud van het document",
}


ContextFactory = Callable[..., ValidationContext]


@dataclass(frozen=True)
class ValidationLimits:
    """Bounds on the work one validation may do, so a hostile file cannot exhaust the service.

    A real covenant has up to ~100 parties; each signature adds a revision, a seal or an archive
    timestamp one more.
    """

    max_signature_fields: int = 250
    max_revisions: int = 500
    time_budget_seconds: float | None = 120.0


def _context_factory(
    reader: PdfFileReader, trust: TrustConfig, at: datetime | None
) -> tuple[ContextFactory, DocumentSecurityStore | None]:
    dss = None
    try:
        if "/DSS" in reader.root:
            dss = DocumentSecurityStore.read_dss(reader)
    except Exception as exc:  # a malformed DSS must not stop the validation of the signatures
        log.info("DSS onleesbaar: %s", exc)

    def make(moment: datetime | None = None) -> ValidationContext:
        """A fresh context (they cache revocation data), seeded with the document's DSS."""
        kwargs: dict[str, Any] = {
            "trust_roots": trust.root_certificates(),
            "allow_fetching": trust.allow_fetching,
            "revocation_mode": trust.revocation_mode,
            "crls": [],
            "ocsps": [],
        }
        if moment is not None or at is not None:
            kwargs["moment"] = moment or at
        if dss is not None:
            return dss.as_validation_context(kwargs)
        return ValidationContext(**kwargs)

    return make, dss


def _signature_timestamp_time(sig: EmbeddedPdfSignature) -> datetime | None:
    """genTime of the signature's RFC 3161 timestamp token, if it carries one (not yet validated)."""
    try:
        for tst in extract_tst_data_iter(sig.signer_info, signed=False):
            return tst["encap_content_info"]["content"].parsed["gen_time"].native  # type: ignore[no-any-return]
    except Exception:  # malformed token: the validation below reports it
        return None
    return None


def _has_revinfo(dss: DocumentSecurityStore | None) -> bool:
    return dss is not None and bool(list(dss.ocsps) or list(dss.crls))


def _chain(status: SignatureStatus) -> tuple[str, ...]:
    path = status.validation_path
    if path is None:
        return ()
    try:
        # leaf first, trust anchor last
        return tuple(reversed([str(c.subject.human_friendly) for c in path.iter_certs(include_root=True)]))
    except Exception:  # path objects without a certificate anchor
        return ()


def _verdict(status: SignatureStatus, what: str) -> tuple[Indication, str | None, list[str]]:
    if not status.intact:
        return (
            "TOTAL_FAILED",
            "HASH_FAILURE",
            [f"De {what} past niet meer bij de ondertekende inhoud: het document is gewijzigd."],
        )
    if not status.valid:
        return "TOTAL_FAILED", "SIG_CRYPTO_FAILURE", [f"De cryptografische controle van de {what} faalt."]
    problem = status.trust_problem_indic
    if problem is not None:
        indication = _INDICATION[problem.status]
        return (
            indication,
            problem.standard_name,
            [f"De certificaatketen van de {what} is niet geldig ({problem.standard_name})."],
        )
    if not status.trusted:
        return (
            "INDETERMINATE",
            "NO_CERTIFICATE_CHAIN_FOUND",
            [f"Geen keten naar een vertrouwde wortel voor de {what}."],
        )
    return "TOTAL_PASSED", None, []


def _coverage(
    status: PdfSignatureStatus | DocumentTimestampStatus, sig: EmbeddedPdfSignature, revisions: int
) -> Coverage:
    later = max(0, revisions - 1 - sig.signed_revision)
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    level = status.modification_level
    if status.coverage is None or status.coverage < SignatureCoverageLevel.ENTIRE_REVISION:
        return Coverage(False, later, None, False, "De handtekening dekt haar eigen revisie niet volledig.")
    permitted = level is not None and level != ModificationLevel.OTHER and status.docmdp_ok is not False
    if whole:
        text = "De handtekening dekt het volledige document."
    else:
        kind = (
            _MODIFICATIONS.get(level, "onbekende wijzigingen")
            if level is not None
            else "onbekende wijzigingen"
        )
        verdict = "toegestaan" if permitted else "NIET toegestaan"
        text = f"Na deze handtekening volgen {later} revisie(s) met {kind}; {verdict}."
    return Coverage(whole, later, level.name if level is not None else None, permitted, text)


def _missing_revocation_data(sig: EmbeddedPdfSignature, vc: ValidationContext) -> bool:
    """Whether the signer's chain fails only for want of revocation data (pyHanko reports that as a
    general chain failure; the DSS vocabulary calls it TRY_LATER)."""

    async def check() -> bool:
        info = extract_certificate_info(sig.signed_data)
        validator = CertificateValidator(
            info.signer_cert, intermediate_certs=info.other_certs, validation_context=vc
        )
        try:
            await validator.async_validate_usage(key_usage=set())  # type: ignore[no-untyped-call]
        except InsufficientRevinfoError:
            return True
        except Exception:  # any other chain problem: keep pyHanko's verdict
            return False
        return False

    return asyncio.run(check())


def _signature_report(
    sig: EmbeddedPdfSignature,
    make_vc: ContextFactory,
    revisions: int,
    has_revinfo: bool,
    doc_ts_time: datetime | None,
    diffs: RevisionDiffCache,
) -> SignatureReport:
    # PAdES-LT: the timestamp proves the signature existed at its genTime, and the DSS holds the
    # revocation data from then; so the signer's chain is validated at that time. The timestamp itself is
    # validated now (its failure fails the signature below). Without embedded data: validate now.
    # A signature without a timestamp of its own that a later document timestamp covers existed at that
    # timestamp's time (PAdES allows a document timestamp in place of the signature timestamp).
    # When a document timestamp covers the signature, validate at its time: the validation data it seals
    # were gathered up to then, possibly after the signature's own timestamp (a signature made at B-T and
    # completed by the seal), and would otherwise count as "too recent" for the earlier moment.
    poe = (doc_ts_time or _signature_timestamp_time(sig)) if has_revinfo else None
    # The signature's own timestamp: now, unless a valid document timestamp covers it (then at that
    # timestamp's time: the TSA certificate may have expired since).
    status = validate_pdf_signature(sig, make_vc(poe), make_vc(doc_ts_time), diff_policy=diffs)
    indication, sub, problems = _verdict(status, "handtekening")
    if sub == "CERTIFICATE_CHAIN_GENERAL_FAILURE" and _missing_revocation_data(sig, make_vc(poe)):
        sub = "TRY_LATER"
        problems = [
            "De intrekkingsstatus (OCSP/CRL) van de certificaten kon niet worden vastgesteld: het document "
            "bevat die gegevens niet en ophalen via het netwerk staat uit of lukte niet."
        ]
    ts = status.timestamp_validity
    ts_time = None
    if ts is not None:
        ts_time = ts.timestamp
        if indication == "TOTAL_PASSED":
            indication, sub, ts_problems = _verdict(ts, "tijdstempel van de handtekening")
            problems += ts_problems
    coverage = _coverage(status, sig, revisions)
    if indication == "TOTAL_PASSED" and not coverage.permitted:
        indication, sub = "TOTAL_FAILED", "FORMAT_FAILURE"
        diff = status.diff_result
        detail = f" ({diff})" if isinstance(diff, SuspiciousModification) else ""
        problems.append(
            "Na de handtekening is het document gewijzigd op een manier die niet is toegestaan" + detail + "."
        )
    level = None
    if indication == "TOTAL_PASSED":
        level = "B-B"
        if ts is not None or doc_ts_time is not None:
            level = "B-T"
            if has_revinfo:
                level = "B-LT"
                if doc_ts_time is not None:
                    level = "B-LTA"
    signer = str(status.signing_cert.subject.human_friendly) if status.signing_cert is not None else None
    return SignatureReport(
        field_name=sig.field_name,
        kind="handtekening",
        indication=indication,
        sub_indication=sub,
        signer=signer,
        claimed_signing_time=status.signer_reported_dt,
        timestamped_signing_time=ts_time,
        level=level,
        trust_chain=_chain(status),
        coverage=coverage,
        problems=tuple(problems),
    )


def _timestamp_report(
    sig: EmbeddedPdfSignature,
    make_vc: ContextFactory,
    revisions: int,
    diffs: RevisionDiffCache,
    proven_at: datetime | None = None,
) -> SignatureReport:
    status = validate_pdf_timestamp(sig, make_vc(proven_at), diff_policy=diffs)
    indication, sub, problems = _verdict(status, "documenttijdstempel")
    coverage = _coverage(status, sig, revisions)
    if indication == "TOTAL_PASSED" and not coverage.permitted:
        indication, sub = "TOTAL_FAILED", "FORMAT_FAILURE"
        problems.append(
            "Na het documenttijdstempel is het document gewijzigd op een manier die niet is toegestaan."
        )
    return SignatureReport(
        field_name=sig.field_name,
        kind="documenttijdstempel",
        indication=indication,
        sub_indication=sub,
        signer=str(status.signing_cert.subject.human_friendly) if status.signing_cert is not None else None,
        claimed_signing_time=None,
        timestamped_signing_time=status.timestamp,
        level=None,
        trust_chain=_chain(status),
        coverage=coverage,
        problems=tuple(problems),
    )


def validate_pdf(
    pdf: bytes,
    trust: TrustConfig,
    *,
    at: datetime | None = None,
    limits: ValidationLimits | None = None,
) -> ValidationReport:
    """Validate every signature and document timestamp of ``pdf`` against ``trust``.

    ``at`` is the validation time (default: now); a later time shows how the document will validate
    once today's revocation data has gone stale. ``limits`` bounds the work (``ValidationRefused``).
    """
    limits = limits or ValidationLimits()
    deadline = (
        time.monotonic() + limits.time_budget_seconds if limits.time_budget_seconds is not None else None
    )
    reader = open_reader(pdf)
    try:
        revisions = reader.xrefs.total_revisions
    except (Exception, RecursionError) as exc:
        raise InvalidPdf("De revisies van het PDF-bestand zijn onleesbaar.") from exc
    if revisions > limits.max_revisions:
        raise ValidationRefused(
            f"Het document heeft {revisions} revisies; er worden er ten hoogste {limits.max_revisions} "
            "gevalideerd. Het bestand is geweigerd."
        )
    count = count_signature_fields(reader, limits.max_signature_fields + 1)
    if count > limits.max_signature_fields:
        raise ValidationRefused(
            f"Het document heeft meer dan {limits.max_signature_fields} handtekeningvelden; er worden er "
            f"ten hoogste {limits.max_signature_fields} gevalideerd. Het bestand is geweigerd."
        )
    embedded, broken = _collect(reader)
    make_vc, dss = _context_factory(reader, trust, at)
    has_revinfo = _has_revinfo(dss)
    diffs = RevisionDiffCache(deadline)
    if embedded:
        diffs.prepare(reader, min(sig.signed_revision for sig in embedded))
    reports: list[SignatureReport] = []
    timestamp_reports: dict[int, SignatureReport] = {}
    # Document timestamps, newest first: the newest is validated now (or at ``at``); each older one at the
    # time the next valid one proves (its TSA certificate may have expired since: that is what the archive
    # timestamp that covers it, with the validation data it sealed, is for — PAdES-LTA).
    proven_at: datetime | None = None
    doc_timestamps = [sig for sig in embedded if sig.sig_object_type == "/DocTimeStamp"]
    for sig in sorted(doc_timestamps, key=lambda s: s.signed_revision, reverse=True):
        check_deadline(deadline)
        try:
            report = _timestamp_report(sig, make_vc, revisions, diffs, proven_at)
        except ValidationRefused:
            raise
        except (Exception, RecursionError) as exc:
            report = _unreadable(sig, exc, "documenttijdstempel")
        timestamp_reports[id(sig)] = report
        if report.passed and report.timestamped_signing_time is not None:
            proven_at = report.timestamped_signing_time
    valid_doc_timestamps = sorted(
        (sig.signed_revision, timestamp_reports[id(sig)].timestamped_signing_time)
        for sig in embedded
        if id(sig) in timestamp_reports and timestamp_reports[id(sig)].passed
    )
    for sig in embedded:
        if id(sig) in timestamp_reports:
            reports.append(timestamp_reports[id(sig)])
            continue
        check_deadline(deadline)
        # the earliest valid document timestamp over a later revision
        doc_ts_time = next((t for rev, t in valid_doc_timestamps if rev > sig.signed_revision), None)
        try:
            reports.append(_signature_report(sig, make_vc, revisions, has_revinfo, doc_ts_time, diffs))
        except ValidationRefused:
            raise
        except (Exception, RecursionError) as exc:
            reports.append(_unreadable(sig, exc, "handtekening"))
    reports = _consistent(reports, [sig.signed_revision for sig in embedded])
    reports.extend(broken)
    return ValidationReport(signatures=tuple(reports), revisions=revisions)


_BROKEN = ("HASH_FAILURE", "SIG_CRYPTO_FAILURE", "FORMAT_FAILURE")


def _consistent(reports: list[SignatureReport], signed_revisions: list[int]) -> list[SignatureReport]:
    """A signature under a later signature or seal whose integrity fails fails too: the bytes after it
    were changed in a way nothing accounts for. (A later signer's untrusted certificate does not.)"""
    out: list[SignatureReport] = []
    for i, report in enumerate(reports):
        later_broken = [
            other
            for j, other in enumerate(reports)
            if signed_revisions[j] > signed_revisions[i]
            and other.indication == "TOTAL_FAILED"
            and other.sub_indication in _BROKEN
        ]
        if later_broken and report.indication != "TOTAL_FAILED":
            first = later_broken[0]
            report = replace(
                report,
                indication="TOTAL_FAILED",
                sub_indication="FORMAT_FAILURE",
                level=None,
                problems=(
                    *report.problems,
                    f"De latere {first.kind} in veld '{first.field_name}' is ongeldig "
                    f"({first.sub_indication}): het document is na deze handtekening gewijzigd op een "
                    "manier die niet kan worden verantwoord.",
                ),
            )
        out.append(report)
    return out


def count_signature_fields(reader: PdfFileReader, stop_at: int) -> int:
    """The number of signature fields in the form (counted up to ``stop_at``, each object once)."""
    try:
        form = reader.root.get("/AcroForm")
        if form is None:
            return 0
        stack = list(form.get_object().get("/Fields", []) or [])
        seen: set[Any] = set()
        count = 0
        visited = 0
        while stack and count < stop_at:
            ref = stack.pop()
            key = getattr(ref, "reference", None) or id(ref)
            if key in seen:
                count += 1  # the same field object reached twice is still a field to validate
                continue
            seen.add(key)
            visited += 1
            if visited > 20 * stop_at:
                return stop_at  # an absurd form tree: refuse like too many fields
            field = ref.get_object()
            if field.get("/FT") == "/Sig":
                count += 1
            kids = field.get("/Kids")
            if kids is not None and field.get("/FT") != "/Sig":
                stack.extend(kids)
        return count
    except (Exception, RecursionError) as exc:
        raise InvalidPdf("De formuliervelden van het PDF-bestand zijn onleesbaar.") from exc


def _collect(reader: PdfFileReader) -> tuple[list[EmbeddedPdfSignature], list[SignatureReport]]:
    """The signed fields, in signing order; a field whose signature cannot even be parsed becomes a
    failed entry of its own instead of making the whole document unreadable."""
    try:
        filled = list(pdf_fields.enumerate_sig_fields(reader, filled_status=True))
    except (Exception, RecursionError) as exc:
        raise InvalidPdf("De handtekeningvelden van het PDF-bestand zijn onleesbaar.") from exc
    good: list[EmbeddedPdfSignature] = []
    broken: list[SignatureReport] = []
    for name, value, field in filled:
        try:
            if value.get_object().get("/SubFilter") not in _SUBFILTERS:
                raise ValueError("onbekend handtekeningformaat (/SubFilter)")
            sig = EmbeddedPdfSignature(reader, field, name)
            _ = sig.signed_revision, sig.sig_object_type
            good.append(sig)
        except (Exception, RecursionError) as exc:
            broken.append(_unreadable_field(str(name), exc))
    good.sort(key=lambda sig: sig.signed_revision)
    return good, broken


def _unreadable(sig: EmbeddedPdfSignature, exc: BaseException, kind: str) -> SignatureReport:
    return _unreadable_field(str(getattr(sig, "field_name", "?")), exc, kind)


def _unreadable_field(name: str, exc: BaseException, kind: str = "handtekening") -> SignatureReport:
    log.info("handtekening %s onleesbaar: %s: %s", name, type(exc).__name__, exc)
    return SignatureReport(
        field_name=name,
        kind="documenttijdstempel" if kind == "documenttijdstempel" else "handtekening",
        indication="TOTAL_FAILED",
        sub_indication="FORMAT_FAILURE",
        signer=None,
        claimed_signing_time=None,
        timestamped_signing_time=None,
        level=None,
        trust_chain=(),
        coverage=Coverage(False, 0, None, False, "De handtekening kon niet worden gelezen."),
        problems=(f"De {kind} is onleesbaar of beschadigd ({type(exc).__name__}).",),
    )
