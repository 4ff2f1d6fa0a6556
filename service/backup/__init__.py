"""Backup and restore of a convenant installation: the database and every stored file.

``create_backup`` writes one ``.tar.gz`` with a manifest (SHA-256 per file); ``restore_backup``
restores it into a fresh data folder after checking every file. CLI: ``convenant backup`` and
``convenant restore`` (service/commands/backup.py).
"""

from service.backup.errors import BackupCorrupt, BackupError, DatabaseToolMissing, RestoreTargetNotEmpty
from service.backup.manifest import Manifest
from service.backup.service import BackupReport, RestoreReport, create_backup, read_manifest, restore_backup

__all__ = [
    "BackupCorrupt",
    "BackupError",
    "BackupReport",
    "DatabaseToolMissing",
    "Manifest",
    "RestoreReport",
    "RestoreTargetNotEmpty",
    "create_backup",
    "read_manifest",
    "restore_backup",
]
