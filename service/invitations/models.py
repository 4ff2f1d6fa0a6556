"""Tables of signing by link (schema: registry/migrations/versions/*_invitations.py).

A ``SigningRound`` is one document sent out for signature (the agreement): its current version on disk
(path + SHA-256) moves forward with every signature. A ``SigningLink`` is bound to one person and one
document; only the SHA-256 of its token is stored. A ``SigningEvent`` is the audit trail of a signature.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

AGREEMENT = "overeenkomst"  # document key, and the kind of its links
DECLARATION = "geheimhoudingsverklaring"  # document key
DECLARATION_KIND = "verklaring"  # the kind of a declaration link


class SigningRound(SQLModel, table=True):
    __tablename__ = "sign_round"

    id: int | None = Field(default=None, primary_key=True)
    dossier_id: str = Field(max_length=80, index=True)
    document: str = Field(max_length=80)  # document key, e.g. "overeenkomst"
    title: str = Field(max_length=2000)
    status: str = Field(default="open", max_length=20)  # open | voltooid | ingetrokken
    version: int = 0  # number of signatures applied so far
    original_sha256: str = Field(max_length=64)
    current_sha256: str = Field(max_length=64)
    current_path: str = Field(max_length=500)  # relative to settings.documents_dir
    created_at: datetime
    created_by: str = Field(max_length=300)
    completed_at: datetime | None = None
    dossier_version: int | None = None  # the dossier version sent out (frozen); None: before versioning


class SigningLink(SQLModel, table=True):
    __tablename__ = "sign_link"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    kind: str = Field(max_length=20)  # overeenkomst | verklaring
    round_id: int | None = Field(default=None, foreign_key="sign_round.id", index=True)
    dossier_id: str = Field(max_length=80, index=True)
    document: str = Field(max_length=80)
    party_key: str | None = Field(default=None, max_length=80)
    signatory_key: str | None = Field(default=None, max_length=80)
    person_key: str | None = Field(default=None, max_length=80)  # reg_person.key (agendadeelnemer)
    meeting_key: str | None = Field(default=None, max_length=80)
    name: str = Field(max_length=300)
    email: str = Field(max_length=254)
    organisation: str | None = Field(default=None, max_length=300)
    on_behalf_of: str | None = Field(default=None, max_length=600)
    created_at: datetime
    created_by: str = Field(max_length=300)
    expires_at: datetime
    sent_at: datetime | None = None
    reminders: int = 0
    used_at: datetime | None = None
    revoked_at: datetime | None = None
    revoked_reason: str | None = Field(default=None, max_length=300)
    declined_at: datetime | None = None  # the signatory declined (and said why); the link is revoked too
    declined_reason: str | None = Field(default=None, max_length=1000)
    receipt_hash: str | None = Field(default=None, max_length=64, index=True)
    # the one-time code e-mailed to the signatory of an agreement (only its SHA-256 is kept)
    code_hash: str | None = Field(default=None, max_length=64)
    code_sent_at: datetime | None = None
    code_expires_at: datetime | None = None
    code_attempts: int = 0


class SigningEvent(SQLModel, table=True):
    __tablename__ = "sign_event"

    id: int | None = Field(default=None, primary_key=True)
    link_id: int = Field(foreign_key="sign_link.id", index=True)
    round_id: int | None = Field(default=None, foreign_key="sign_round.id", index=True)
    dossier_id: str = Field(max_length=80)
    document: str = Field(max_length=80)
    document_title: str = Field(max_length=2000)
    signer_name: str = Field(max_length=300)
    signer_email: str = Field(max_length=254)
    on_behalf_of: str | None = Field(default=None, max_length=600)
    ground: str | None = Field(default=None, max_length=300)
    signed_at: datetime
    ip_address: str = Field(max_length=64)
    user_agent: str = Field(max_length=400)
    sha256_before: str = Field(max_length=64)
    sha256_after: str = Field(max_length=64)
    file_path: str = Field(max_length=500)  # relative to settings.documents_dir
    # how the signatory was identified, and the one-time certificate that names her
    auth_method: str | None = Field(default=None, max_length=80)
    auth_evidence: str | None = Field(default=None, max_length=64)  # id in the certificate's policy notice
    auth_confirmed_at: datetime | None = None
    certificate_subject: str | None = Field(default=None, max_length=1000)
    certificate_serial: str | None = Field(default=None, max_length=64)


class PendingSignature(SQLModel, table=True):
    """An agreement signed with the signatory's own certificate whose name is not hers: kept, not counted,
    until the privacy officer approves it (with a reason) or rejects it."""

    __tablename__ = "sign_pending"

    id: int | None = Field(default=None, primary_key=True)
    link_id: int = Field(foreign_key="sign_link.id", index=True)
    round_id: int = Field(foreign_key="sign_round.id", index=True)
    dossier_id: str = Field(max_length=80, index=True)
    expected_name: str = Field(max_length=300)
    certificate_name: str | None = Field(default=None, max_length=300)  # the certificate's CN
    certificate_subject: str = Field(max_length=1000)
    based_on_sha256: str = Field(max_length=64)  # the round's version she signed on top of
    sha256: str = Field(max_length=64)
    file_path: str = Field(max_length=500)  # relative to settings.documents_dir
    uploaded_at: datetime
    ip_address: str = Field(max_length=64)
    user_agent: str = Field(max_length=400)
    status: str = Field(default="wacht", max_length=20)  # wacht | goedgekeurd | afgewezen | vervallen
    decided_at: datetime | None = None
    decided_by: str | None = Field(default=None, max_length=300)
    reason: str | None = Field(default=None, max_length=1000)


class ArchiveVersion(SQLModel, table=True):
    """A signed declaration with fresh validation data and a newer document timestamp (PAdES-LTA). The file
    signed online stays as it is (its ``SigningEvent`` points at it); each renewal is a new file that
    extends the previous one, the newest row being the current archive copy."""

    __tablename__ = "sign_archive"

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="sign_event.id", index=True)
    file_path: str = Field(max_length=500)  # relative to settings.documents_dir
    sha256: str = Field(max_length=64)
    created_at: datetime
    timestamp_expires_at: datetime | None = None  # the new document timestamp's TSA certificate
