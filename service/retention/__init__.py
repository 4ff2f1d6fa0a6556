"""Retention and data-subject rights.

* ``purge`` / ``run_purge``: remove personal data of declarations, provisions and meeting attendance
  the agreement's retention period after the last processing (its dossier's ``legal.retention``), logged
  in the audit log. Scheduled in the service (``install_retention_schedule``) and by
  ``convenant retention run``.
* ``inzage`` / ``collect``: everything held about a data subject, as JSON, CSV and PDF, answered within
  the agreement's inzage term. ``convenant retention inzage``.
* ``policy``: the pure rules (``retention_rule`` — per agreement, from its legal model —,
  ``retention_answer``, ``declaration_last_processed``, ``inzage_deadline``).
"""

from service.retention.inzage import SubjectExport, SubjectNotFound, collect, to_csv, to_json, to_pdf
from service.retention.policy import RetentionAnswer, RetentionRule, retention_answer, retention_rule
from service.retention.purge import Purged, PurgeReport, run_purge
from service.retention.schedule import install_retention_schedule
from service.retention.service import inzage, purge

__all__ = [
    "PurgeReport",
    "Purged",
    "RetentionAnswer",
    "RetentionRule",
    "SubjectExport",
    "SubjectNotFound",
    "collect",
    "install_retention_schedule",
    "inzage",
    "purge",
    "retention_answer",
    "retention_rule",
    "run_purge",
    "to_csv",
    "to_json",
    "to_pdf",
]
