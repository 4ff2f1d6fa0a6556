"""The registry commands: db upgrade, load-people, check-meeting, audit verify (exit codes, Dutch output)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from sqlalchemy import text
from typer.testing import CliRunner

from registry.database import make_engine, writer
from service.cli import app as cli
from service.settings import get_settings
from tests.registry.conftest import ROOT, ZEIST_PEOPLE, _clear, drop_everything

runner = CliRunner()


@pytest.fixture()
def database_url(test_database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[str]:
    monkeypatch.setenv("CONVENANT_DATABASE_URL", test_database_url)
    monkeypatch.setenv("CONVENANT_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    engine = make_engine(test_database_url)
    drop_everything(engine)
    yield test_database_url
    _clear(engine)
    engine.dispose()
    get_settings.cache_clear()


def test_db_upgrade_then_load_people_then_check_meeting(database_url: str, tmp_path: Path) -> None:
    r = runner.invoke(cli, ["db", "upgrade"])
    assert r.exit_code == 0, r.output
    assert "Database bijgewerkt" in r.output
    from registry.session import unit_of_work
    from registry.sync import sync_dossier
    from tests.registry.conftest import load_example

    engine = make_engine(database_url)
    with unit_of_work(engine, actor="test") as db:
        sync_dossier(db, load_example("zeist"))
    engine.dispose()
    people = tmp_path / "people.yaml"
    people.write_text(yaml.safe_dump(ZEIST_PEOPLE, allow_unicode=True), "utf-8")
    r = runner.invoke(cli, ["load-people", "zeist-wijkgericht-werken-2018", str(people)])
    assert r.exit_code == 0, r.output
    assert "7 personen" in r.output
    pdf = tmp_path / "toets.pdf"
    r = runner.invoke(cli, ["check-meeting", "wijkoverleg-2019-05-01", "--pdf", str(pdf)])
    assert r.exit_code == 0, r.output
    assert "ONBEKEND IN HET REGISTER" in r.output
    assert "actie: Laat de geheimhoudingsverklaring ondertekenen" in r.output
    assert "[artikel 11, tweede lid, van bijlage 1; bijlage 1.a" in r.output
    assert pdf.read_bytes().startswith(b"%PDF")
    r = runner.invoke(cli, ["audit", "verify"])
    assert r.exit_code == 0 and "Auditlog in orde" in r.output
    with writer(make_engine(database_url)).begin() as conn:
        conn.execute(text("UPDATE reg_audit SET changes = '{}' WHERE seq = 2"))
    r = runner.invoke(cli, ["audit", "verify"])
    assert r.exit_code == 1 and "regel 2: inhoud gewijzigd" in r.output


def test_unknown_meeting_and_bad_people_file_fail_in_dutch(database_url: str, tmp_path: Path) -> None:
    assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0
    r = runner.invoke(cli, ["check-meeting", "bestaat-niet"])
    assert r.exit_code == 1 and "niet bekend in het register" in r.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("people: [{key: x}]", "utf-8")
    r = runner.invoke(cli, ["load-people", "bestaat-niet", str(bad)])
    assert r.exit_code == 1 and "Niets geladen" in r.output


def test_demo_loads_example_dossiers_and_people_idempotently(database_url: str) -> None:
    from service.register.loading import migrate_database, sync_examples

    settings = get_settings()
    migrate_database(settings)
    first = sync_examples(settings, ROOT / "examples")
    assert first == sync_examples(settings, ROOT / "examples")
    assert {"zeist-wijkgericht-werken-2018", "amsterdam-mzw"} <= set(first)
    r = runner.invoke(cli, ["check-meeting", "klein-overleg-oost-2016-02-09", "--json"])
    assert r.exit_code == 0, r.output
    import json

    rows = {d["opgegeven_als"]: d for d in json.loads(r.output)["deelnemers"]}
    assert rows["huisarts-oost"]["persoonsgegevens"]["toegestaan"] is True
    assert rows["huisarts-oost"]["politiegegevens"]["toegestaan"] is False


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["retention", "run", "--op", "2026-13-01"], "--op"),
        (["archief", "vernieuwen", "--op", "morgen"], "--op"),
        (["retention", "inzage", "iemand", "--out", "uit", "--ontvangen", "1-2-2026"], "--ontvangen"),
        (["check-meeting", "overleg", "--datum", "2026-02-30"], "--datum"),
    ],
)
def test_a_wrong_date_option_is_one_dutch_line_and_exit_2(args: list[str], option: str) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"fout: {option} moet een datum zijn (JJJJ-MM-DD), niet {args[-1]!r}."
    ]
