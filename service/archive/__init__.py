"""Archive timestamp renewal of stored signed documents: the job, the schedule and the command behind it."""

from service.archive.schedule import install_archive_schedule
from service.archive.service import RenewalReport, renew_stored_documents

__all__ = ["RenewalReport", "install_archive_schedule", "renew_stored_documents"]
