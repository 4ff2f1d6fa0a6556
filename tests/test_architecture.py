"""The architecture check passes on the house and fails on a wrong-direction import or a cycle."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.architecture import main


def _tree(root: Path, files: dict[str, str]) -> Path:
    for pkg in ("templates", "signing", "registry", "service"):
        (root / pkg).mkdir(parents=True, exist_ok=True)
        (root / pkg / "__init__.py").touch()
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_the_house_keeps_its_rules(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    assert "registry" in capsys.readouterr().out


def test_the_house_hides_no_cycle_in_a_function(capsys: pytest.CaptureFixture[str]) -> None:
    # --strict: no function-level import closes a cycle (the error model, the routes and the editor were
    # the last ones: issue 11)
    assert main(["--strict"]) == 0
    assert "Verborgen cycli" not in capsys.readouterr().out


def test_every_function_level_import_in_the_house_says_why(capsys: pytest.CaptureFixture[str]) -> None:
    # --imports: a function-level import without '# lazy: <reason>' fails (issue 11: 226 of them before,
    # none unexplained after)
    assert main(["--imports"]) == 0
    assert "zonder '# lazy" not in capsys.readouterr().out


def test_templates_importing_the_registry_fails_even_inside_a_function(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"templates/a.py": "def f():\n    from registry import x\n", "registry/x.py": ""})
    assert main([], root) == 1


def test_a_module_level_cycle_fails(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"service/a.py": "from service import b\n", "service/b.py": "import service.a\n"})
    assert main([], root) == 1


def test_a_cycle_hidden_in_a_function_fails_only_when_strict(tmp_path: Path) -> None:
    files = {"service/a.py": "from service import b\n", "service/b.py": "def f():\n    import service.a\n"}
    root = _tree(tmp_path, files)
    assert main([], root) == 0
    assert main(["--strict"], root) == 1


def test_a_function_level_import_must_say_why_only_with_imports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _tree(tmp_path, {"signing/a.py": "def f():\n    import json\n    return json\n"})
    assert main([], root) == 0
    assert "signing/a.py:2: import json" in capsys.readouterr().out
    assert main(["--imports"], root) == 1


def test_a_lazy_comment_on_the_line_or_above_says_why(tmp_path: Path) -> None:
    text = (
        "def f():\n"
        "    import json  # lazy: only the report needs it\n"
        "    # lazy: an optional dependency\n"
        "    from xml import dom\n"
        "    return json, dom\n"
    )
    root = _tree(tmp_path, {"templates/a.py": text})
    assert main(["--imports"], root) == 0


def test_type_checking_and_module_level_imports_need_no_reason(tmp_path: Path) -> None:
    text = "from typing import TYPE_CHECKING\nimport json\nif TYPE_CHECKING:\n    from xml import dom\n"
    root = _tree(tmp_path, {"registry/a.py": text})
    assert main(["--imports"], root) == 0
