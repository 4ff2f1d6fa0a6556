"""Anchoring the audit chain: signed, timestamped checkpoints of its head.

The chain (``registry.audit``) shows an edited row — unless whoever edits it also recomputes every later
hash. A checkpoint closes that gap: the head (``seq`` and hash) goes into a small PDF signed with the
service's own signing key, through the signing package as the service signs documents (B-T with the
configured TSA, otherwise B-B), kept as ``data_dir/audit/controlepunt-YYYY-MM-DD.pdf``. Rewriting a row at
or before a checkpoint changes the hash of the checkpointed row, which the signature does not allow to
follow. ``verify_checkpoints`` checks every checkpoint: its signature (whole document, our trust roots)
and that the row it names still has the recorded hash.

    write_checkpoint(settings, engine)            # the command `convenant audit controlepunt`, and daily
    verify_checkpoints(settings, connection)      # part of `convenant audit verify` and GET /audit/verify
"""

from service.checkpoints.schedule import install_checkpoint_schedule
from service.checkpoints.service import Checkpoint, CheckpointReport, verify_checkpoints, write_checkpoint

__all__ = [
    "Checkpoint",
    "CheckpointReport",
    "install_checkpoint_schedule",
    "verify_checkpoints",
    "write_checkpoint",
]
