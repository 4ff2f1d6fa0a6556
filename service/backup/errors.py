"""Errors of backup and restore: a Dutch ``message`` and a machine ``code``, like every package."""

from __future__ import annotations


class BackupError(Exception):
    code = "back-up_fout"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BackupCorrupt(BackupError):
    """The archive does not match its manifest (a file changed, is missing or was added)."""

    code = "back-up_beschadigd"


class RestoreTargetNotEmpty(BackupError):
    code = "herstel_doel_niet_leeg"


class DatabaseToolMissing(BackupError):
    code = "databasegereedschap_ontbreekt"
