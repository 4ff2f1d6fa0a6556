"""Retention and data-subject rights.

* ``purge`` / ``run_purge``: remove personal data of declarations, provisions and meeting attendance
  5 years after the last processing (Amsterdam art. 13 lid 2), logged in the audit log.
  Scheduled in the service (``install_retention_schedule``) and by ``convenant retention run``.
* ``inzage`` / ``collect``: everything held about a data subject, as JSON, CSV and PDF
  (Amsterdam art. 15 lid 1, answered within four weeks). ``convenant retention inzage``.
* ``policy``: the pure rules (``retention_answer``, ``declaration_last_processed``, ``inzage_deadline``).
"""

from service.retention.inzage import SubjectExport, SubjectNotFound, collect, to_csv, to_json, to_pdf
from service.retention.policy import RETENTION_ARTICLE, RetentionAnswer, retention_answer
from service.retention.purge import Purged, PurgeReport, run_purge
from service.retention.schedule import install_retention_schedule
from service.retention.service import inzage, purge

__all__ = [
    "RETENTION_ARTICLE",
    "PurgeReport",
    "Purged",
    "RetentionAnswer",
    "SubjectExport",
    "SubjectNotFound",
    "collect",
    "install_retention_schedule",
    "inzage",
    "purge",
    "retention_answer",
    "run_purge",
    "to_csv",
    "to_json",
    "to_pdf",
]
