"""The registry of document kinds: one place says which documents a dossier has and how each is built."""

from __future__ import annotations

import pytest

import templates
from templates.documents import KINDS, build_document, document_names, document_title, kind_of


def test_every_document_of_the_set_has_one_kind_a_title_and_a_view_model(
    small_dossier: templates.Dossier,
) -> None:
    names = document_names(small_dossier)
    assert names[0] == "overeenkomst" and "besluit-art20" in names and "geheimhoudingsverklaring" in names
    assert any(n.startswith("mandaat-") for n in names)
    for name in names:
        kinds = [k.kind for k in KINDS if name in k.names(small_dossier)]
        assert len(kinds) == 1, name
        doc = build_document(small_dossier, name)
        assert doc.name == name and doc.blocks
        assert document_title(small_dossier, name) not in ("", name)


def test_a_name_of_no_kind_is_an_unknown_document_naming_what_exists(
    small_dossier: templates.Dossier,
) -> None:
    assert kind_of(small_dossier, "mandaat-onbekend") is None
    assert document_title(small_dossier, "mandaat-onbekend") == "mandaat-onbekend"
    with pytest.raises(templates.UnknownDocument) as exc:
        build_document(small_dossier, "mandaat-onbekend")
    assert "Beschikbaar: overeenkomst, besluit-art20" in exc.value.message
