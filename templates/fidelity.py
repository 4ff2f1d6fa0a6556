"""How closely the generated set reproduces a seed text: the issue's fidelity measure.

    difflib.SequenceMatcher(None, generated_words, seed_words).ratio()

on lower-cased word lists (``re.findall(r"\\w+", text.lower())``), the generated words taken from the
PDFs of the set with running headers and page numbers left out (see ``templates.textextract``).

Run it on an example dossier while writing it (from /work/main):

    .venv/bin/python -m templates.fidelity examples/zeist.yaml ../shared/seeds/000_df15c99854473db1.txt
    .venv/bin/python -m templates.fidelity examples/amsterdam.yaml \
        ../shared/seeds/002_f383b9afacf930bd.txt --diff

``--diff`` lists the longest passages that differ, to find what is missing or extra.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

from templates.documents import DECLARATION, document_names
from templates.dossier.loading import load_dossier
from templates.dossier.model import Dossier
from templates.render import render_pdf
from templates.textextract import pdf_text, words


def seed_documents(dossier: Dossier) -> list[str]:
    """The documents that make up a seed set: all of them, except the stand-alone blank declaration when
    the agreement already carries it as an annex."""
    in_annex = any(a.declaration for a in dossier.annexes for a in [a, *a.annexes])
    return [n for n in document_names(dossier) if not (n == DECLARATION and in_annex)]


def generated_words(dossier: Dossier, names: list[str] | None = None) -> list[str]:
    out: list[str] = []
    for name in names or seed_documents(dossier):
        out += words(pdf_text(render_pdf(dossier, name).data))
    return out


def similarity(a: list[str], b: list[str]) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


def differences(a: list[str], b: list[str], limit: int = 15) -> list[str]:
    ops = [op for op in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes() if op[0] != "equal"]
    ops.sort(key=lambda op: -max(op[2] - op[1], op[4] - op[3]))
    lines = []
    for tag, i1, i2, j1, j2 in ops[:limit]:
        lines.append(
            f"{tag:8} generated[{i1}:{i2}] {' '.join(a[i1:i2])[:300]!r}\n"
            f"{'':8} seed[{j1}:{j2}]      {' '.join(b[j1:j2])[:300]!r}"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Gelijkenis tussen de gegenereerde set en een seed-tekst.")
    parser.add_argument("dossier", type=Path)
    parser.add_argument("seed", type=Path)
    parser.add_argument("--diff", action="store_true", help="toon de grootste verschillen")
    args = parser.parse_args(argv)
    dossier = load_dossier(args.dossier.read_bytes(), args.dossier.name)
    generated = generated_words(dossier)
    seed = words(args.seed.read_text("utf-8"))
    ratio = similarity(generated, seed)
    print(
        f"{args.dossier.name}: gelijkenis {ratio:.4f} "
        f"({len(generated)} woorden gegenereerd, {len(seed)} in seed; "
        f"documenten: {', '.join(seed_documents(dossier))})"
    )
    if args.diff:
        print("\n".join(differences(generated, seed)))
    return 0 if ratio >= 0.90 else 1


if __name__ == "__main__":
    sys.exit(main())
