"""Queries live in repositories: ``scripts.queries`` passes on the house and fails on a new query site."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.queries import main, outside_repositories


def test_the_house_queries_only_in_repositories_and_the_listed_modules(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main([]) == 0, capsys.readouterr().out
    assert "service/accounts" not in "".join(outside_repositories())


def test_a_select_in_a_service_module_fails_and_in_a_repository_passes(tmp_path: Path) -> None:
    (tmp_path / "service" / "things").mkdir(parents=True)
    (tmp_path / "service" / "things" / "repository.py").write_text(
        "def thing(db, key):\n    return db.exec(select(Thing).where(Thing.key == key)).first()\n"
    )
    assert main([], tmp_path, frozenset()) == 0
    (tmp_path / "service" / "things" / "service.py").write_text("def add(db, row):\n    db.add(row)\n")
    assert main([], tmp_path, frozenset()) == 1
    assert outside_repositories(tmp_path) == {"service/things/service.py": [2]}
