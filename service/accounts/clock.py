"""Kept for the modules that still import the clock from here; the clock lives in ``service.clock``."""

from __future__ import annotations

from service.clock import DUTCH_TIME, local, utcnow

__all__ = ["DUTCH_TIME", "local", "utcnow"]
