"""Where the signed files of signing by link live, and the audit sheet kept next to each.

Everything sits under ``settings.documents_dir / "ondertekening" / <dossier>``; the database stores paths
relative to ``documents_dir``. Names carry the SHA-256 of their content (``files.write_atomic``: temp file,
fsync, rename), so a retry never overwrites another version and a crash leaves at most an orphan file.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TypedDict

from service.invitations import files
from service.invitations.errors import RoundConflict
from service.invitations.models import AGREEMENT, SigningEvent, SigningRound
from service.settings import Settings


class AuditEntry(TypedDict):
    """One signature in an audit sheet (Dutch keys: the sheet is read by people)."""

    document: str
    ondertekenaar: str
    email: str
    namens: str | None
    grondslag: str | None
    tijdstip_utc: str
    ip_adres: str
    browser: str
    sha256_voor: str
    sha256_na: str
    bestand: str
    authenticatie: str | None
    bewijs_id: str | None
    bevestigd_utc: str | None
    certificaat: str | None
    certificaat_serienummer: str | None


class RoundAuditSheet(TypedDict):
    document: str
    dossier: str
    status: str
    sha256_origineel: str
    sha256_huidig: str
    handtekeningen: list[AuditEntry]


def signing_dir(settings: Settings) -> Path:
    return settings.documents_dir / "ondertekening"


def relative(settings: Settings, path: Path) -> str:
    """The path as stored in the database (relative to ``documents_dir``)."""
    return str(path.relative_to(settings.documents_dir))


def absolute(settings: Settings, rel: str) -> Path:
    """A stored path on disk; refused when it points outside ``documents_dir``."""
    path = (settings.documents_dir / rel).resolve()
    if settings.documents_dir.resolve() not in path.parents:
        raise RoundConflict("Ongeldig documentpad.")
    return path


def agreement_path(settings: Settings, dossier_id: str, label: str, digest: str) -> Path:
    """A version of the agreement: ``label`` is ``v<n>``, ``verzegeld`` or ``bevestiging-<link>``."""
    return signing_dir(settings) / dossier_id / f"{AGREEMENT}-{label}-{digest[:16]}.pdf"


def declarations_dir(settings: Settings, dossier_id: str) -> Path:
    return signing_dir(settings) / dossier_id / "verklaringen"


def declaration_concept_path(
    settings: Settings, dossier_id: str, link_id: int | None, ground_key: str, on: date
) -> Path:
    return declarations_dir(settings, dossier_id) / f"concept-{link_id}-{ground_key}-{on}.pdf"


def signed_declaration_path(settings: Settings, dossier_id: str, link_id: int | None, digest: str) -> Path:
    return declarations_dir(settings, dossier_id) / f"verklaring-{link_id}-{digest[:16]}.pdf"


def store(path: Path, data: bytes) -> None:
    files.write_atomic(path, data)


def current_pdf(settings: Settings, rnd: SigningRound) -> bytes:
    """The round's current version, checked against its recorded SHA-256."""
    return files.read_verified(absolute(settings, rnd.current_path), rnd.current_sha256)


def event_pdf(settings: Settings, event: SigningEvent) -> bytes:
    """The document as a signature left it, checked against its recorded SHA-256."""
    return files.read_verified(absolute(settings, event.file_path), event.sha256_after)


def audit_entry(e: SigningEvent) -> AuditEntry:
    return {
        "document": e.document_title,
        "ondertekenaar": e.signer_name,
        "email": e.signer_email,
        "namens": e.on_behalf_of,
        "grondslag": e.ground,
        "tijdstip_utc": e.signed_at.isoformat(),
        "ip_adres": e.ip_address,
        "browser": e.user_agent,
        "sha256_voor": e.sha256_before,
        "sha256_na": e.sha256_after,
        "bestand": e.file_path,
        "authenticatie": e.auth_method,
        "bewijs_id": e.auth_evidence,
        "bevestigd_utc": e.auth_confirmed_at.isoformat() if e.auth_confirmed_at else None,
        "certificaat": e.certificate_subject,
        "certificaat_serienummer": e.certificate_serial,
    }


def write_round_audit(settings: Settings, rnd: SigningRound, events: list[SigningEvent]) -> None:
    """The audit trail, stored next to the current version of the document (``<pdf>.audit.json``)."""
    sheet: RoundAuditSheet = {
        "document": rnd.title,
        "dossier": rnd.dossier_id,
        "status": rnd.status,
        "sha256_origineel": rnd.original_sha256,
        "sha256_huidig": rnd.current_sha256,
        "handtekeningen": [audit_entry(e) for e in events],
    }
    files.write_json_atomic(absolute(settings, rnd.current_path).with_suffix(".audit.json"), sheet)


def write_declaration_audit(path: Path, event: SigningEvent) -> None:
    """The audit trail of a signed declaration, next to it."""
    files.write_json_atomic(path.with_suffix(".audit.json"), [audit_entry(event)])
