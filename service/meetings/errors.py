"""Errors of planning a meeting (answered 409 through the registry's conflict mapping)."""

from __future__ import annotations

from registry.errors import RegistryConflict


class MeetingAlreadyPlanned(RegistryConflict):
    """The key is planned already with other data; a change is an explicit update, never a re-plan."""

    code = "overleg_al_gepland"
