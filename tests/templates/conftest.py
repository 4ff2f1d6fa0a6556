"""Fixtures of the template tests: the small dossier and its rendered set (rendered once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest

import templates
from templates.cache import RenderCache

HERE = Path(__file__).parent
SMALL = HERE / "small_dossier.yaml"


@pytest.fixture(scope="session")
def small_text() -> str:
    return SMALL.read_text("utf-8")


@pytest.fixture(scope="session")
def small_dossier(small_text: str) -> templates.Dossier:
    return templates.load_dossier(small_text, "small_dossier.yaml")


@pytest.fixture(scope="session")
def small_set(small_dossier: templates.Dossier) -> templates.RenderedSet:
    return templates.render_set(small_dossier, cache=RenderCache())
