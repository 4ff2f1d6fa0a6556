"""The command line answers a problem with one Dutch line and a non-zero exit, never a stack trace.

The subprocess tests run the installed ``convenant`` entry point as a user does; the last two drive the
one handler (``service.cli``) in-process, where a bug can be planted.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

import service.commands.registry
from service.cli import app

CONVENANT = shutil.which("convenant", path=str(Path(sys.executable).parent))
assert CONVENANT, "the convenant entry point is not installed in this environment"


def _run(args: list[str], data_dir: Path, **env_extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONVENANT_")}
    env["CONVENANT_DATA_DIR"] = str(data_dir)
    env.update(env_extra)
    return subprocess.run([CONVENANT, *args], capture_output=True, text=True, env=env, timeout=300)


def _one_line(result: subprocess.CompletedProcess[str]) -> str:
    """The problem as the user sees it: exactly one line on stderr, no trace anywhere."""
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("fout: ")
    return lines[0]


def test_audit_verify_on_a_database_never_migrated_says_which_command_to_run(tmp_path: Path) -> None:
    result = _run(["audit", "verify"], tmp_path)
    assert result.returncode == 1
    assert _one_line(result) == (
        "fout: de database is nog niet aangemaakt of bijgewerkt; voer eerst 'convenant db upgrade' uit."
    )


def test_a_data_folder_that_does_not_exist_is_named_and_db_upgrade_makes_it(tmp_path: Path) -> None:
    data = tmp_path / "nieuw"
    result = _run(["audit", "verify"], data)
    assert result.returncode == 1
    line = _one_line(result)
    assert f"datamap {data}" in line and "'convenant db upgrade'" in line
    # the command it names works on that folder, and then the first command does too
    upgraded = _run(["db", "upgrade"], data)
    assert upgraded.returncode == 0, upgraded.stderr
    assert (data / "convenant.db").is_file()
    verified = _run(["audit", "verify"], data)
    assert verified.returncode == 0 and verified.stdout.startswith("Auditlog in orde: 0 regels")


@pytest.mark.parametrize("url", ["zomaar", "onbekend://gastheer/db"])
def test_a_database_url_that_is_no_url_names_the_setting(tmp_path: Path, url: str) -> None:
    result = _run(["audit", "verify"], tmp_path, CONVENANT_DATABASE_URL=url)
    assert result.returncode == 1
    assert _one_line(result).startswith("fout: CONVENANT_DATABASE_URL is geen bruikbare database-URL (")


def test_an_unknown_meeting_is_one_line_naming_it(tmp_path: Path) -> None:
    assert _run(["db", "upgrade"], tmp_path).returncode == 0
    result = _run(["check-meeting", "onbekend-overleg"], tmp_path)
    assert result.returncode == 1
    assert _one_line(result) == "fout: Overleg 'onbekend-overleg' is niet bekend in het register."


def test_a_missing_dossier_file_is_one_line_naming_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "bestaat-niet.yaml"
    result = _run(["check", str(missing)], tmp_path)
    assert result.returncode == 1
    assert _one_line(result) == f"fout: {missing}: bestaat niet."


def test_a_dossier_that_is_no_yaml_names_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "kapot.yaml"
    bad.write_text("titel: [niet gesloten\n", "utf-8")
    result = _run(["generate", str(bad), "--out", str(tmp_path / "uit")], tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    first, *problems = result.stderr.strip().splitlines()
    assert first.startswith("fout: kapot.yaml: ongeldige YAML op regel 2")
    assert problems and all(p.startswith("  fout: ") for p in problems)
    assert not (tmp_path / "uit").exists()  # nothing written


def test_settings_that_do_not_validate_name_the_variable_and_exit_2(tmp_path: Path) -> None:
    result = _run(["audit", "verify"], tmp_path, CONVENANT_PORT="achtduizend")
    assert result.returncode == 2
    assert _one_line(result) == (
        "fout: de instellingen kloppen niet: CONVENANT_PORT moet een geheel getal zijn (nu: 'achtduizend')."
    )


def test_a_wrong_pin_of_the_signing_token_is_one_dutch_line(tmp_path: Path) -> None:
    # a real SoftHSM2 token with PIN 1234; the settings give 0000
    tokens = tmp_path / "tokens"
    tokens.mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n")
    hsm = {**os.environ, "SOFTHSM2_CONF": str(conf)}
    subprocess.run(
        [
            "softhsm2-util",
            "--init-token",
            "--free",
            "--label",
            "cli-token",
            "--pin",
            "1234",
            "--so-pin",
            "5678",
        ],
        check=True,
        capture_output=True,
        env=hsm,
    )
    pdf = tmp_path / "leeg.pdf"
    pdf.write_bytes(b"%PDF-1.7\n")  # never read that far: the token is opened first
    result = _run(
        ["sign", str(pdf), "--field", "sig-a", "--signer", "A. Jansen", "--functie", "burgemeester"]
        + ["--organisatie", "gemeente", "--out", str(tmp_path / "uit.pdf")],
        tmp_path,
        SOFTHSM2_CONF=str(conf),
        CONVENANT_SIGNING_BACKEND="pkcs11",
        CONVENANT_PKCS11_MODULE="/usr/lib/softhsm/libsofthsm2.so",
        CONVENANT_PKCS11_TOKEN_LABEL="cli-token",
        CONVENANT_PKCS11_KEY_LABEL="sleutel",
        CONVENANT_PKCS11_PIN="0000",
    )
    assert result.returncode == 2  # sign's exit code for "not signed" (1: signed but not all valid)
    assert (
        _one_line(result)
        == "fout: Het PKCS#11-token 'cli-token' kan niet worden geopend: de pincode is onjuist."
    )
    assert not (tmp_path / "uit.pdf").exists()


def _plant_a_bug(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(service.commands.registry, "verify_chain", broken)


def test_a_bug_is_one_line_naming_the_file_with_the_full_trace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _run(["db", "upgrade"], tmp_path).returncode == 0
    monkeypatch.setenv("CONVENANT_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    _plant_a_bug(monkeypatch)
    result = CliRunner().invoke(app, ["audit", "verify"])
    assert result.exit_code == 1
    (line,) = result.output.strip().splitlines()
    traces = list(tmp_path.glob("convenant-fout-*.txt"))
    assert len(traces) == 1
    assert line == (
        f"fout: onverwachte fout (ZeroDivisionError); de volledige melding staat in {traces[0]}. "
        "Stuur die naar de beheerder, of draai de opdracht opnieuw met 'convenant --debug …'."
    )
    trace = traces[0].read_text("utf-8")
    assert trace.startswith("Traceback") and "ZeroDivisionError: division by zero" in trace
    assert stat.S_IMODE(traces[0].stat().st_mode) == 0o600  # a trace may show data: the owner only


def test_debug_shows_the_trace_instead(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _run(["db", "upgrade"], tmp_path).returncode == 0
    monkeypatch.setenv("CONVENANT_DATA_DIR", str(tmp_path))
    _plant_a_bug(monkeypatch)
    result = CliRunner().invoke(app, ["--debug", "audit", "verify"])
    assert isinstance(result.exception, ZeroDivisionError)
    assert "fout:" not in result.output
