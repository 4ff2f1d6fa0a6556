"""Every table of the service in one metadata: what Alembic compares the migrations with.

Tables live beside the code that owns them (``registry.models``, ``service.accounts.models``, …). Rather
than a hand-kept list that a new table can be missing from, :func:`import_all_models` imports every module
of the packages that may define tables, so each ``SQLModel`` class registers itself on the metadata.
"""

from __future__ import annotations

import importlib
import pkgutil

from sqlalchemy import MetaData
from sqlmodel import SQLModel

# Packages whose modules may define tables; migration scripts are not models and are not imported.
MODEL_PACKAGES = ("registry", "service")
_SKIPPED = ("registry.migrations",)


def import_all_models() -> MetaData:
    """Import every module of :data:`MODEL_PACKAGES` and return the metadata with all their tables."""
    for name in MODEL_PACKAGES:
        package = importlib.import_module(name)
        for module in pkgutil.walk_packages(package.__path__, prefix=f"{name}."):
            if not module.name.startswith(_SKIPPED):
                importlib.import_module(module.name)
    return SQLModel.metadata
