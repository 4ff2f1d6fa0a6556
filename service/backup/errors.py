"""Errors of backup and restore: a Dutch ``message`` and a machine ``code``, like every package."""

from __future__ import annotations

from service.failures import Failure


class BackupError(Failure):
    code = "back-up_fout"


class BackupCorrupt(BackupError):
    """The archive does not match its manifest (a file changed, is missing or was added)."""

    code = "back-up_beschadigd"


class RestoreTargetNotEmpty(BackupError):
    code = "herstel_doel_niet_leeg"


class DatabaseToolMissing(BackupError):
    code = "databasegereedschap_ontbreekt"
