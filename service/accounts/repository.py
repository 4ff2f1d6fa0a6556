"""The queries of the accounts domain (users, sessions, API tokens, sign-in attempts): the only module of
``service.accounts`` that reads or writes rows. Services call these functions; they never ``select``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, and_, delete, false, or_
from sqlmodel import Session, col, func, select

from registry.models import Agreement, AgreementParty, AuditEntry, Designation, Meeting, Person
from service.accounts.models import (
    AgreementGrant,
    ApiToken,
    AuthAttempt,
    StaffOrganisation,
    StaffSession,
    StaffUser,
)


def save(db: Session, *rows: object) -> None:
    """Add (or keep) ``rows`` in the session and write them now, so ids and constraints are known."""
    for row in rows:
        db.add(row)
    db.flush()


# --- users ------------------------------------------------------------------------------------------


def user(db: Session, user_id: int) -> StaffUser | None:
    return db.get(StaffUser, user_id)


def user_by_email(db: Session, email: str) -> StaffUser | None:
    """``email`` as stored (lower case)."""
    return db.exec(select(StaffUser).where(StaffUser.email == email)).first()


def users(db: Session) -> list[StaffUser]:
    return list(db.exec(select(StaffUser).order_by(StaffUser.role, StaffUser.email)).all())


def organisation_of_email(db: Session, email: str) -> int | None:
    return db.exec(select(StaffUser.organisation_id).where(StaffUser.email == email)).first()


def users_with_totp_secret(db: Session) -> list[StaffUser]:
    return list(db.exec(select(StaffUser).where(col(StaffUser.totp_secret).is_not(None))).all())


# --- sessions ---------------------------------------------------------------------------------------


def staff_session(db: Session, session_id: str) -> StaffSession | None:
    return db.get(StaffSession, session_id)


def delete_staff_session(db: Session, row: StaffSession) -> None:
    db.delete(row)
    db.flush()


def delete_sessions_of(db: Session, user_id: int) -> None:
    """Every session of the account ends (not flushed: the caller writes its own change with it)."""
    for row in db.exec(select(StaffSession).where(StaffSession.user_id == user_id)).all():
        db.delete(row)


# --- API tokens -------------------------------------------------------------------------------------


def api_token(db: Session, token_id: int) -> ApiToken | None:
    return db.get(ApiToken, token_id)


def api_token_by_hash(db: Session, token_hash: str) -> ApiToken | None:
    return db.exec(select(ApiToken).where(ApiToken.token_hash == token_hash)).first()


def api_tokens_of(db: Session, user_id: int) -> list[ApiToken]:
    q = select(ApiToken).where(ApiToken.user_id == user_id).order_by(col(ApiToken.created_at).desc())
    return list(db.exec(q).all())


# --- sign-in attempts -------------------------------------------------------------------------------


def failures(
    db: Session, kind: str, since: datetime, *, subject: str | None = None, ip: str | None = None
) -> tuple[int, datetime | None]:
    """Number of failed attempts of ``kind`` since ``since`` and the time of the last one."""
    q = (
        select(func.count(), func.max(AuthAttempt.at))
        .select_from(AuthAttempt)
        .where(
            AuthAttempt.kind == kind,
            AuthAttempt.at >= since,
            AuthAttempt.success == False,  # noqa: E712
        )
    )
    if subject is not None:
        q = q.where(AuthAttempt.subject == subject)
    if ip is not None:
        q = q.where(AuthAttempt.ip_address == ip)
    count, last = db.exec(q).one()
    if last is not None and last.tzinfo is None:  # SQLite returns naive datetimes from max()
        last = last.replace(tzinfo=UTC)
    return int(count), last


def successful_sign_ins(db: Session, email: str, ip: str, since: datetime) -> int:
    q = (
        select(func.count())
        .select_from(AuthAttempt)
        .where(
            AuthAttempt.kind == "aanmelden",
            AuthAttempt.subject == email,
            AuthAttempt.ip_address == ip,
            AuthAttempt.success == True,  # noqa: E712
            AuthAttempt.at >= since,
        )
    )
    return int(db.exec(q).one())


def delete_attempts_before(db: Session, cutoff: datetime) -> None:
    db.execute(delete(AuthAttempt).where(col(AuthAttempt.at) < cutoff))


# --- organisations and grants ---------------------------------------------------------------------


def organisation_by_key(db: Session, key: str) -> StaffOrganisation | None:
    return db.exec(select(StaffOrganisation).where(StaffOrganisation.key == key)).first()


def grant_of(db: Session, user_id: int, agreement_key: str) -> AgreementGrant | None:
    return db.exec(
        select(AgreementGrant).where(
            AgreementGrant.user_id == user_id, AgreementGrant.agreement_key == agreement_key
        )
    ).first()


def delete_grant(db: Session, row: AgreementGrant) -> None:
    db.delete(row)
    db.flush()


def granted_keys(db: Session, user_id: int) -> set[str]:
    return set(db.exec(select(AgreementGrant.agreement_key).where(AgreementGrant.user_id == user_id)).all())


def organisation_grant_keys(db: Session, organisation_id: int) -> set[str]:
    rows = db.exec(
        select(AgreementGrant.agreement_key)
        .join(StaffUser, col(StaffUser.id) == col(AgreementGrant.user_id))
        .where(StaffUser.organisation_id == organisation_id)
    ).all()
    return set(rows)


def grants_for_key(db: Session, agreement_key: str) -> int:
    q = select(func.count()).select_from(AgreementGrant).where(AgreementGrant.agreement_key == agreement_key)
    return int(db.exec(q).one())


# --- the registry rows that decide a principal's scope ----------------------------------------------


def agreement_exists(db: Session, agreement_key: str) -> bool:
    return db.exec(select(Agreement.id).where(Agreement.key == agreement_key)).first() is not None


def agreement_key_of(db: Session, agreement_id: int) -> str:
    return db.exec(select(Agreement.key).where(Agreement.id == agreement_id)).one()


def agreement_key_of_meeting(db: Session, meeting_key: str) -> str | None:
    return db.exec(
        select(Agreement.key).where(
            col(Agreement.id) == col(Meeting.agreement_id), Meeting.key == meeting_key
        )
    ).first()


def person_by_email(db: Session, email: str) -> Person | None:
    return db.exec(select(Person).where(Person.email == email)).first()


def designated_keys(db: Session, email: str, roles: Iterable[str]) -> set[str]:
    rows = db.exec(
        select(Agreement.key)
        .join(Designation, col(Designation.agreement_id) == col(Agreement.id))
        .join(Person, col(Person.id) == col(Designation.person_id))
        .where(Person.email == email, col(Designation.role).in_(list(roles)))
    ).all()
    return set(rows)


def meetings_of(db: Session, keys: Iterable[str]) -> list[tuple[Meeting, Agreement]]:
    rows = db.exec(
        select(Meeting, Agreement)
        .where(col(Meeting.agreement_id) == col(Agreement.id), col(Agreement.key).in_(list(keys)))
        .order_by(col(Meeting.held_on).desc())
    ).all()
    return [(m, a) for m, a in rows]


def agreements_of(db: Session, keys: Iterable[str]) -> list[Agreement]:
    q = select(Agreement).where(col(Agreement.key).in_(list(keys))).order_by(col(Agreement.title))
    return list(db.exec(q).all())


def agreement_keys(db: Session) -> list[str]:
    return list(db.exec(select(Agreement.key)).all())


def agreements(db: Session) -> list[Agreement]:
    return list(db.exec(select(Agreement)).all())


def party_of_kind(db: Session, agreement_id: int | None, kind: str) -> AgreementParty | None:
    q = select(AgreementParty).where(AgreementParty.agreement_id == agreement_id, AgreementParty.kind == kind)
    return db.exec(q).first()


# --- the audit log as a reader may see it (``audit_scope`` builds the condition) ------------------------


def audit_entries(
    db: Session, condition: ColumnElement[bool], *, limit: int, before: int | None
) -> list[AuditEntry]:
    query = select(AuditEntry).where(condition)
    if before is not None:
        query = query.where(col(AuditEntry.seq) < before)
    return list(db.exec(query.order_by(col(AuditEntry.seq).desc()).limit(limit)).all())


def audit_count(db: Session, condition: ColumnElement[bool]) -> int:
    return int(db.exec(select(func.count()).select_from(AuditEntry).where(condition)).one())


def audit_seqs(db: Session, condition: ColumnElement[bool], seqs: Iterable[int]) -> set[int]:
    q = select(AuditEntry.seq).where(condition, col(AuditEntry.seq).in_(sorted(set(seqs))))
    return set(db.exec(q).all())


def audit_of_agreements(keys: Iterable[str]) -> ColumnElement[bool]:
    """The entries filed under one of the agreements ``keys``."""
    wanted = sorted(keys)
    return col(AuditEntry.agreement_key).in_(wanted) if wanted else false()


def audit_of_instance(organisation: int | None) -> ColumnElement[bool]:
    """The entries filed under no agreement: of no organisation, or of ``organisation``."""
    own: ColumnElement[bool] = col(AuditEntry.organisation_id).is_(None)
    if organisation is not None:
        own = or_(own, col(AuditEntry.organisation_id) == organisation)
    return and_(col(AuditEntry.agreement_key).is_(None), own)
