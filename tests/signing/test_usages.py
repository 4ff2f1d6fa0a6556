"""signing.usages builds pyHanko's reverse reference cache incrementally; it must give exactly the paths
pyHanko's own full walk gives, for every object of every revision (the diff analysis depends on them)."""

from __future__ import annotations

from io import BytesIO

from pyhanko.pdf_utils.reader import PdfFileReader

from signing import sign_pdf
from signing.usages import UsageGraph
from tests.signing.conftest import PARTIES, request_for


def test_incremental_usages_equal_pyhankos_walk_on_every_revision(five_field_pdf, signer) -> None:
    pdf = five_field_pdf
    for party in PARTIES[:4]:
        pdf = sign_pdf(pdf, request_for(party), signer)
    ours, theirs = PdfFileReader(BytesIO(pdf)), PdfFileReader(BytesIO(pdf))
    graph = UsageGraph(ours)
    compared = 0
    for revision in range(ours.xrefs.total_revisions):
        graph.advance(revision)
        reference = theirs.get_historical_resolver(revision)
        reference._load_reverse_xref_cache()
        expected = reference._indirect_object_access_cache
        assert expected
        for ref, paths in expected.items():
            assert graph.paths_to(ref) == paths, (revision, ref)
            compared += 1
    assert compared > 200
