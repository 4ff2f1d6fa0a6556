"""The command line answers a problem with one Dutch line and a non-zero exit, never a stack trace."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CLI = [sys.executable, "-m", "service.cli"]


def _run(args: list[str], data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONVENANT_")}
    env["CONVENANT_DATA_DIR"] = str(data_dir)
    return subprocess.run([*CLI, *args], capture_output=True, text=True, env=env, timeout=120)


def test_audit_verify_on_a_database_never_migrated_says_which_command_to_run(tmp_path: Path) -> None:
    result = _run(["audit", "verify"], tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "fout: de database is nog niet aangemaakt of bijgewerkt; voer eerst 'convenant db upgrade' uit."
    ]
    assert "Traceback" not in result.stderr + result.stdout


def test_an_unknown_meeting_is_one_line_naming_it(tmp_path: Path) -> None:
    assert _run(["db", "upgrade"], tmp_path).returncode == 0
    result = _run(["check-meeting", "onbekend-overleg"], tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "Overleg 'onbekend-overleg' is niet bekend in het register."
    ]
