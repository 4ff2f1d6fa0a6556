"""``convenant generate``, ``check`` and ``schema`` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from typer.testing import CliRunner

from service.cli import app

SMALL = Path(__file__).resolve().parents[1] / "templates" / "small_dossier.yaml"
runner = CliRunner()


def test_generate_writes_docx_and_pdf_of_every_document(tmp_path: Path) -> None:
    result = runner.invoke(app, ["generate", str(SMALL), "--out", str(tmp_path / "uit")])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (tmp_path / "uit").iterdir())
    expected = sorted(
        f"testdorp-{n}.{f}"
        for n in ("overeenkomst", "besluit-art20", "mandaat-mandaat-teamchef", "geheimhoudingsverklaring")
        for f in ("docx", "pdf")
    )
    assert written == expected
    for name in expected:
        assert name in result.output
    assert (tmp_path / "uit" / "testdorp-overeenkomst.pdf").read_bytes().startswith(b"%PDF-")
    assert "8 bestanden geschreven" in result.output


def test_check_prints_warnings_with_paths_and_exits_0(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", str(SMALL)])
    assert result.exit_code == 0, result.output
    assert "waarschuwing: parties.0.signatories.0.email:" in result.output
    assert "0 fouten" in result.output


def test_check_exits_1_on_errors_and_generate_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "fout.yaml"
    bad.write_text(SMALL.read_text("utf-8").replace("[[ref:doel]].", "[[ref:nergens]]."), "utf-8")
    result = runner.invoke(app, ["check", str(bad)])
    assert result.exit_code == 1
    assert "fout: annexes.0.body.parts.0.chapters.1.articles.0.leden.1.text:" in result.output
    gen = runner.invoke(app, ["generate", str(bad), "--out", str(tmp_path / "uit")])
    assert gen.exit_code == 1
    assert not (tmp_path / "uit").exists()


def test_check_reports_unreadable_yaml_with_line(tmp_path: Path) -> None:
    bad = tmp_path / "kapot.yaml"
    bad.write_text("id: x\ntitle: [open\n", "utf-8")
    result = runner.invoke(app, ["check", str(bad)])
    assert result.exit_code == 1
    assert "ongeldige YAML op regel" in result.output


def test_schema_prints_json_schema() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["title"] == "Convenant-dossier"
    yaml.safe_load(SMALL.read_text("utf-8"))  # the fixture is what the schema describes
    assert "parties" in schema["properties"]


def test_verklaring_writes_the_personalised_declaration(tmp_path: Path) -> None:
    from templates.textextract import pdf_text

    out = tmp_path / "verklaring.pdf"
    args = ["verklaring", str(SMALL), "--naam", "J. de Boer", "--instelling", "Basisschool De Linde"]
    result = runner.invoke(
        app, [*args, "--grondslag", "toestemming", "--datum", "2019-02-01", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    flat = " ".join(pdf_text(out.read_bytes()).split())
    assert "J. de Boer, werkzaam bij Basisschool De Linde" in flat and "1 februari 2019" in flat
    bad = runner.invoke(app, [*args, "--grondslag", "onbekend", "--out", str(tmp_path / "x.pdf")])
    assert bad.exit_code == 1 and "onbekende grondslag 'onbekend'" in bad.output
    assert not (tmp_path / "x.pdf").exists()
