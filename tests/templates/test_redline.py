"""Redline between two versions: per-article insertions/deletions that survive renumbering, and the list of
changed parties, signatories, dates, amounts and legal model."""

from __future__ import annotations

import copy
import datetime as dt
import re
from pathlib import Path

import yaml

from templates.dossier.loading import dossier_from_data
from templates.redline import compare, redline_pdf
from templates.textextract import pdf_text

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "amsterdam.yaml"


def _data() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_an_inserted_article_is_new_and_the_renumbered_ones_are_not_changed() -> None:
    old = _data()
    new = copy.deepcopy(old)
    chapters = next(p for p in new["agreement"]["parts"] if p.get("chapters"))["chapters"]
    chapters[1]["articles"].insert(
        0,
        {"key": "nieuw-artikel", "title": "Evaluatie", "leden": [{"text": "Partijen evalueren jaarlijks."}]},
    )
    r = compare(dossier_from_data(old), dossier_from_data(new), "versie 1", "versie 2")
    changed = r.changed_sections
    assert (changed[0].status, changed[0].title) == ("nieuw", "Artikel 2 Evaluatie")
    assert ("+", "1. Partijen evalueren jaarlijks. ¶") in changed[0].tokens
    # the articles after it moved one number on: the same text is "vernummerd", not changed ...
    assert len(r.renumbered) >= 15
    assert any(s.title_old == "Artikel 2 Doelen van het Meldpunt Zorg en Woonoverlast" for s in r.renumbered)
    # ... and where the text itself changed, it is only a cross-reference that now prints the new number
    for s in changed[1:]:
        assert s.status == "gewijzigd"
        assert all(re.fullmatch(r"\d+[,.;:]?", t) for k, t in s.tokens if k != "="), s.tokens
    assert r.changes == []


def test_facts_list_parties_signatories_dates_amounts_and_legal_model() -> None:
    old = _data()
    new = copy.deepcopy(old)
    new["parties"][0]["signatories"][0]["email"] = "nieuw@amsterdam.example"
    new["parties"].append(
        {"key": "nieuwe-partner", "name": "Stichting Nieuw", "kind": "welzijn", "signatories": []}
    )
    new["term"]["start"] = dt.date(2016, 1, 1)
    new["legal"]["term"]["kind"] = "vast"
    r = compare(dossier_from_data(old), dossier_from_data(new), "versie 1", "versie 2")
    facts = {(c.kind, c.what): (c.old, c.new) for c in r.changes}
    party = new["parties"][0]["name"]
    signer = new["parties"][0]["signatories"][0]["name"]
    assert (
        facts[("ondertekenaar", f"{party}: ondertekenaar '{signer}', e-mailadres")][1]
        == "nieuw@amsterdam.example"
    )
    assert facts[("partij", "Partij 'Stichting Nieuw'")] == ("—", "nieuwe partij")
    assert facts[("datum", "Ingangsdatum")][1] == "1 januari 2016"
    assert facts[("juridisch model", "Looptijdregel")] == ("stilzwijgend", "vast")
    pdf = redline_pdf(r)
    text = " ".join(pdf_text(pdf).split())
    assert "Stichting Nieuw" in text and "1 januari 2016" in text
