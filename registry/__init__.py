"""The registry: who may receive or provide police data and personal data, until when, and why.

Public surface:

- ``registry.rules``        pure rule functions returning ``RuleAnswer`` (no database access).
- ``registry.database``     ``make_engine(url)``, ``writer(engine)``, ``migrate(url_or_engine)`` (Alembic, the
                            only schema path; migrations in ``registry/migrations/versions``).
- ``registry.session``      ``AuditedSession`` (every flush appends to the audit chain), ``unit_of_work``.
- ``registry.sync``         ``sync_dossier(session, dossier)``, ``load_people(session, data, agreement_key)``,
                            ``save_meeting``, ``find_person``, ``get_agreement``.
- ``registry.meetings``     ``check_meeting(session, ref)`` / ``check_attendees(...)`` -> ``MeetingCheck``.
- ``registry.provisions``   ``record_provision``, ``list_provisions``, ``provisions_csv`` (recording duty).
- ``registry.agreements``   ``record_evaluation``, ``record_objection``, ``renew``, ``revoke_besluit``.
- ``registry.register``     ``authorisation_register``, ``register_csv``.
- ``registry.audit``        ``verify_chain(conn)`` -> ``ChainReport``.
- ``registry.errors``       ``RegistryError`` and subclasses (Dutch ``message``, machine ``code``).
"""

from registry.database import make_engine, migrate, writer
from registry.session import AuditedSession, unit_of_work
from registry.sync import load_people, sync_dossier

__all__ = [
    "AuditedSession",
    "load_people",
    "make_engine",
    "migrate",
    "sync_dossier",
    "unit_of_work",
    "writer",
]
