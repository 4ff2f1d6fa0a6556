"""HTTP endpoints for dossiers (thin: parse, call service, return schema)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/dossiers", tags=["dossiers"])
