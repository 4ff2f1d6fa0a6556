"""Dossier model, legal text as data, and the DOCX/PDF renderers of a document set."""

from templates.dossier import Dossier
from templates.errors import DossierInvalid, Problem, TemplatesError

__all__ = ["Dossier", "DossierInvalid", "Problem", "TemplatesError"]
