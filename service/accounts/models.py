"""Tables of the accounts package (schema owned by Alembic: registry/migrations/versions/*accounts*).

Datetimes are timezone-aware UTC (``clock.utcnow``); secrets are stored only as SHA-256 hashes
(session ids, API tokens) or Argon2 hashes (passwords).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import BigInteger
from sqlmodel import Field, SQLModel

from registry.session import NOT_AUDITED


class StaffOrganisation(SQLModel, table=True):
    """The organisation a staff account belongs to (a municipality, the police unit, a RIEC ...): an
    instance may serve a region. Accounts see only the agreements they are granted (``AgreementGrant``)."""

    __tablename__ = "account_organisation"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=80, unique=True, index=True)
    name: str = Field(max_length=300)
    created_at: datetime


class StaffUser(SQLModel, table=True):
    __tablename__ = "account_user"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)  # stored lower-case
    name: str = Field(max_length=300)
    role: str = Field(max_length=40)
    password_hash: str = Field(max_length=300)
    active: bool = True
    created_at: datetime
    last_login_at: datetime | None = None
    password_changed_at: datetime | None = None
    # TOTP second factor (RFC 6238): the base32 secret, encrypted; confirmed when ``totp_enabled_at`` is set.
    # The last accepted time step is kept so the same code cannot be used twice.
    totp_secret: str | None = Field(default=None, max_length=64)  # encrypted (accounts.totp_secrets)
    totp_enabled_at: datetime | None = None
    totp_last_step: int | None = Field(default=None, sa_type=BigInteger)
    organisation_id: int | None = Field(default=None, foreign_key="account_organisation.id", index=True)


class AgreementGrant(SQLModel, table=True):
    """A staff account may work on one agreement (its key: the dossier id). Deny by default: without a
    grant, an agreement, its dossier, meetings, provisions and register do not exist for the account."""

    __tablename__ = "account_grant"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "agreement_key", name="uq_account_grant_user_agreement"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="account_user.id", index=True)
    agreement_key: str = Field(max_length=80, index=True)
    granted_at: datetime
    granted_by: str = Field(max_length=300)


class StaffSession(SQLModel, table=True):
    __tablename__ = "account_session"
    __table_args__ = {"info": NOT_AUDITED}

    id: str = Field(primary_key=True, max_length=64)  # SHA-256 (hex) of the cookie value
    user_id: int = Field(foreign_key="account_user.id", index=True)
    created_at: datetime
    expires_at: datetime
    last_seen_at: datetime
    ip_address: str | None = Field(default=None, max_length=64)
    user_agent: str | None = Field(default=None, max_length=400)


class ApiToken(SQLModel, table=True):
    __tablename__ = "account_api_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="account_user.id", index=True)
    name: str = Field(max_length=200)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    prefix: str = Field(max_length=16)  # first characters, to recognise a token in a list
    created_at: datetime
    expires_at: datetime | None = None
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None


class AuthAttempt(SQLModel, table=True):
    """One attempt to sign in or to use a token or link: the basis of rate limiting (all workers)."""

    __tablename__ = "account_attempt"
    __table_args__ = {"info": NOT_AUDITED}

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20, index=True)  # "aanmelden", "token", "link"
    subject: str = Field(max_length=300, index=True)  # e-mail address (login) or "-"
    ip_address: str = Field(max_length=64, index=True)
    at: datetime = Field(index=True)
    success: bool = False
