"""Fidelity: the words of each example's generated set (PDF text, margins left out) match its seed.

The measure is the issue's: difflib.SequenceMatcher(None, generated, seed).ratio() on lower-cased word
lists; at least 0.90 for each seed set. The figure is printed (pytest -s shows it).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from templates.dossier.loading import load_dossier
from templates.fidelity import generated_words, seed_documents, similarity
from templates.textextract import words

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT.parent / "shared" / "seeds"
CASES = {
    "zeist.yaml": "000_df15c99854473db1.txt",
    "amsterdam.yaml": "002_f383b9afacf930bd.txt",
}
SEED_COPIES = Path(__file__).parent / "seeds"  # in-repo copies, for machines without ../shared


def _seed(name: str) -> Path:
    local = SEED_COPIES / name
    return local if local.exists() else SEEDS / name


@pytest.mark.parametrize("example", sorted(CASES))
def test_generated_set_matches_seed_words(example: str) -> None:
    dossier_path, seed_path = ROOT / "examples" / example, _seed(CASES[example])
    assert dossier_path.exists(), f"{example} ontbreekt in examples/"
    assert seed_path.exists(), f"seed {seed_path} ontbreekt"
    dossier = load_dossier(dossier_path.read_bytes(), example)
    generated = generated_words(dossier)
    seed = words(seed_path.read_text("utf-8"))
    ratio = similarity(generated, seed)
    print(
        f"\nfidelity {example}: {ratio:.4f} ({len(generated)} words generated from "
        f"{', '.join(seed_documents(dossier))}; {len(seed)} in seed)"
    )
    assert ratio >= 0.90
