"""Tenancy: which agreements a signed-in staff member may see and act on. Deny by default.

An instance may serve a region (a RIEC, a Veiligheidshuis, several municipalities). Staff accounts belong
to an organisation and are granted per agreement (``AgreementGrant``, keyed by the agreement's key, which
is its dossier id). Every query of a route that touches an agreement goes through ``ensure_agreement`` /
``agreement_scope``:

* privacy officer and coordinator: the agreements they are granted (she administers; they convene its
  meetings); a privacy officer who uploads a new dossier is granted it;
* wijkagent: the agreements she is granted *and* designated for as wijkagent or vervanger in the registry
  (her person: the registry person with her account's e-mail address); that person is also the provider
  of every provision she records;
* beheerder: the agreements granted to her (the permission table lets the role draft dossiers, nothing
  else of an agreement); manages the accounts of her own organisation and grants agreements its accounts
  already hold.

Outside the scope an agreement, its dossier and its meetings answer exactly as an unknown one does (404
with the same message), so a foreign key tells nothing about whether it exists.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqlmodel import Session

from registry.errors import NotInRegistry
from registry.meetings import get_meeting
from registry.session import file_under
from service.accounts import repository
from service.accounts.errors import AccountNotFound, InvalidAccountInput
from service.accounts.models import AgreementGrant, StaffOrganisation
from service.accounts.roles import Role
from service.accounts.service import Principal
from service.clock import utcnow
from service.failures import NotFound

if TYPE_CHECKING:
    from registry.models import Agreement, Meeting, Person

PROVIDER_ROLES = ("wijkagent", "vervanger")
_KEY = re.compile(r"[a-z0-9][a-z0-9_.-]{0,79}")


def not_found_agreement(key: str) -> NotInRegistry:
    return NotInRegistry(f"Overeenkomst '{key}' is niet bekend in het register.", field="agreement")


# --- organisations and grants ----------------------------------------------------------------------------


def organisation(db: Session, key: str, name: str | None = None) -> StaffOrganisation:
    """The organisation with ``key``, created (with ``name``) when it does not exist yet."""
    key = key.strip().lower()
    if not _KEY.fullmatch(key):
        raise InvalidAccountInput(
            f"organisatie: '{key}' is geen geldige sleutel (kleine letters, cijfers, - _ .)",
            field="organisatie",
        )
    org = repository.organisation_by_key(db, key)
    if org is None:
        org = StaffOrganisation(key=key, name=(name or key).strip(), created_at=utcnow())
        repository.save(db, org)
    return org


def set_organisation(db: Session, user_id: int, org: StaffOrganisation) -> None:
    user = repository.user(db, user_id)
    if user is None:
        raise AccountNotFound("account: onbekend")
    user.organisation_id = org.id
    repository.save(db, user)


def grant(db: Session, user_id: int, agreement_key: str, *, by: str) -> AgreementGrant:
    """Give account ``user_id`` access to agreement ``agreement_key`` (idempotent)."""
    existing = repository.grant_of(db, user_id, agreement_key)
    if existing is not None:
        return existing
    if repository.user(db, user_id) is None:
        raise AccountNotFound("account: onbekend")
    row = AgreementGrant(user_id=user_id, agreement_key=agreement_key, granted_at=utcnow(), granted_by=by)
    repository.save(db, row)
    return row


def revoke_grant(db: Session, user_id: int, agreement_key: str) -> bool:
    row = repository.grant_of(db, user_id, agreement_key)
    if row is None:
        return False
    repository.delete_grant(db, row)
    return True


def granted_keys(db: Session, user_id: int) -> set[str]:
    return repository.granted_keys(db, user_id)


def organisation_of(db: Session, user_id: int) -> int | None:
    user = repository.user(db, user_id)
    return user.organisation_id if user is not None else None


def organisation_keys(db: Session, organisation_id: int | None) -> set[str]:
    """Every agreement some account of the organisation is granted: what its beheerder may hand out."""
    if organisation_id is None:
        return set()
    return repository.organisation_grant_keys(db, organisation_id)


def key_is_taken(db: Session, agreement_key: str) -> bool:
    """Is the key in use by anyone (an agreement in the registry, or a grant)?"""
    return repository.agreement_exists(db, agreement_key) or repository.grants_for_key(db, agreement_key) > 0


# --- the scope of a principal ------------------------------------------------------------------------------


def own_person_by_email(db: Session, email: str) -> Person | None:
    """The registry person of a staff account: the one with the account's e-mail address. This is the only
    link between an account and a person (scope, provider of a provision, coordinator of a meeting)."""
    return repository.person_by_email(db, email.lower())


def own_person(db: Session, principal: Principal) -> Person | None:
    """The registry person of the signed-in staff member (see ``own_person_by_email``)."""
    return own_person_by_email(db, principal.email)


def _designated_keys(db: Session, email: str, roles: Iterable[str]) -> set[str]:
    return repository.designated_keys(db, email.lower(), roles)


def agreement_scope(db: Session, principal: Principal) -> frozenset[str]:
    """The keys of the agreements ``principal`` may see and act on (see the module docstring)."""
    keys = granted_keys(db, principal.user_id)
    if principal.role is Role.WIJKAGENT:
        keys &= _designated_keys(db, principal.email, PROVIDER_ROLES)
    return frozenset(keys)


def in_scope(db: Session, principal: Principal, agreement_key: str) -> bool:
    return agreement_key in agreement_scope(db, principal)


def ensure_agreement(db: Session, principal: Principal, agreement_key: str) -> None:
    """Refuse (404, as for an unknown agreement) when the agreement is outside the principal's scope."""
    if not in_scope(db, principal, agreement_key):
        raise not_found_agreement(agreement_key)
    file_under(db, agreement_key)  # what this request changes is audited under this agreement


def ensure_dossier(db: Session, principal: Principal, dossier_id: str) -> None:
    """Refuse (404, as for an unknown dossier) when the dossier's agreement is outside the scope."""
    if not in_scope(db, principal, dossier_id):
        raise NotFound(f"Er is geen dossier met id '{dossier_id}'.")
    file_under(db, dossier_id)


def ensure_meeting(db: Session, principal: Principal, meeting_ref: str) -> None:
    """Refuse (404, as for an unknown meeting) when the meeting's agreement is outside the scope."""
    meeting = get_meeting(db, meeting_ref)  # 404 when unknown
    key = repository.agreement_key_of(db, meeting.agreement_id)
    if not in_scope(db, principal, key):
        raise NotInRegistry(f"Wijkoverleg '{meeting_ref}' is niet bekend in het register.", field="meeting")
    file_under(db, key)


def scoped_meetings(db: Session, principal: Principal) -> list[tuple[Meeting, Agreement]]:
    keys = agreement_scope(db, principal)
    return repository.meetings_of(db, keys)


def scoped_agreements(db: Session, principal: Principal) -> list[Agreement]:
    keys = agreement_scope(db, principal)
    return repository.agreements_of(db, keys)
