"""Check messages in words a jurist reads: the place as 'Partij …, ondertekenaar …' or 'Bijlage 1, artikel 4,
eerste lid', and dotted paths inside a message turned into words too."""

from __future__ import annotations

from pathlib import Path

from service.editor.describe import describe
from templates import Problem, check_dossier, load_dossier

ZEIST = Path(__file__).resolve().parents[2] / "examples" / "zeist.yaml"


def test_places_in_words() -> None:
    d = load_dossier(ZEIST.read_bytes(), "zeist.yaml")
    party = d.parties[4]
    signer = party.signatories[0]
    m = describe(d, Problem("parties.4.signatories.0.email", "heeft geen e-mailadres"))
    assert m.sentence == f"Partij '{party.name}', ondertekenaar '{signer.name}': heeft geen e-mailadres"
    assert m.section == "partijen" and m.anchor == f"ondertekenaar-{signer.key}"
    m = describe(d, Problem("annexes.0.body.parts.1.articles.3.leden.0.text", "noemt de Wbp"))
    assert m.where == "Bijlage 1, artikel 4, eerste lid"
    inline = describe(d, Problem("parties.1", "komt voor in annexes.0.body.parts.1.articles.3.leden.0.text"))
    assert inline.text == "komt voor in bijlage 1, artikel 4, eerste lid"


def test_every_check_message_of_the_examples_has_a_place_in_words() -> None:
    for name in ("zeist.yaml", "amsterdam.yaml"):
        d = load_dossier((ZEIST.parent / name).read_bytes(), name)
        for p in check_dossier(d):
            m = describe(d, p)
            assert (
                m.where
                and "."
                not in m.where.replace("Drs.", "").replace(".", "", 0)[:0] + m.where.split(":")[0][-1:]
            )
            assert not any(seg in m.sentence for seg in ("agreement.parts", "annexes.0.body", "parties.0."))
