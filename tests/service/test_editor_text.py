# ruff: noqa: F811  (pytest fixtures imported from accounts_support)
"""Text editing beyond the agreement's articles: an annex's own text (its articles) edited with the same
forms, points and sub-points moved, chapters renamed and removed. Removing what another text refers to, or
what the legal model rests on, is refused with a message naming the referring article."""

from __future__ import annotations

import pytest
import yaml
from accounts_support import app  # noqa: F401
from editor_support import from_example, officer, ok, post, saved  # noqa: F401
from fastapi import FastAPI

from service.editor.data import articles
from service.editor.service import chapters

pytestmark = pytest.mark.db


def test_an_annex_text_is_edited_with_the_same_forms(app: FastAPI, officer) -> None:  # type: ignore[no-untyped-def]
    did = from_example(officer, "zeist", "zeist-wijkgericht-werken-2018", "Wijkgericht Werken Testdorp")
    page = officer.get(f"/portaal/editor/{did}").text
    assert (
        'href="/portaal/editor/' + did + '?tekst=privacyregeling#tekst">bijlage 1 — Privacyregeling' in page
    )
    page = officer.get(f"/portaal/editor/{did}?tekst=privacyregeling").text
    assert '<strong aria-current="page">bijlage 1 — Privacyregeling Wijkoverleg Zeist</strong>' in page
    assert "Artikel 4 — Verantwoordelijkheden van het college" in page

    annex = lambda: saved(app, did)["annexes"][0]["body"]  # noqa: E731
    before = articles({"agreement": annex()})
    fourth = before[3].holder[before[3].index]
    r = post(
        officer,
        did,
        "artikel-wijzigen",
        doel=fourth["key"],
        document="privacyregeling",
        titel="Taken van het college",
        **{"lid-1": "Het college is verantwoordelijk voor de regeling."},
    )
    ok(r)
    assert "tekst=privacyregeling" in r.headers["location"]
    changed = articles({"agreement": annex()})[3]
    assert changed.holder[changed.index]["title"] == "Taken van het college"
    assert (
        changed.holder[changed.index]["leden"][0]["text"]
        == "Het college is verantwoordelijk voor de regeling."
    )

    ok(
        post(
            officer,
            did,
            "artikel-toevoegen",
            document="privacyregeling",
            titel="Evaluatie",
            lid="De regeling wordt jaarlijks geëvalueerd.",
        )
    )
    assert len(articles({"agreement": annex()})) == len(before) + 1
    assert "Evaluatie" not in yaml.safe_dump(saved(app, did)["agreement"], allow_unicode=True)

    # an annex article another annex article refers to cannot go; the refusal names the referring place
    ninth = before[8].holder[before[8].index]
    r = post(officer, did, "artikel-verwijderen", doel=ninth["key"], document="privacyregeling")
    assert r.status_code == 422
    assert "Artikel 9 van bijlage 1 kan niet weg: bijlage 1, artikel 13, derde lid verwijst ernaar." in r.text
    # an annex article the legal model rests on cannot go either
    third = before[2].holder[before[2].index]
    r = post(officer, did, "artikel-verwijderen", doel=third["key"], document="privacyregeling")
    assert r.status_code == 422
    assert "Artikel 3 van bijlage 1 kan niet weg: het rechtsmodel (voorwaarde" in r.text
    ok(post(officer, did, "artikel-verwijderen", doel=fourth["key"], document="privacyregeling"))
    assert fourth["key"] not in yaml.safe_dump(annex())


def test_points_move_and_get_sub_points_and_chapters_are_renamed_and_removed(app: FastAPI, officer) -> None:  # type: ignore[no-untyped-def]
    did = from_example(officer, "amsterdam", "amsterdam-mzw", "Meldpunt Testdorp")

    def lid_items(article_key: str, lid: int) -> list[dict]:  # type: ignore[type-arg]
        for ref in articles(saved(app, did)):
            a = ref.holder[ref.index]
            if a["key"] == article_key:
                return a["leden"][lid]["items"]  # type: ignore[no-any-return]
        raise AssertionError(article_key)

    keys = [i["key"] for i in lid_items("verstrekking", 4)]
    ok(post(officer, did, "onderdeel-omlaag", doel=keys[0]))
    assert [i["key"] for i in lid_items("verstrekking", 4)][:2] == [keys[1], keys[0]]
    ok(post(officer, did, "onderdeel-omhoog", doel=keys[0]))
    assert [i["key"] for i in lid_items("verstrekking", 4)] == keys
    # a sub-point (i) under point a; listed as "lid 5, onder a, sub i"
    ok(post(officer, did, "onderdeel-toevoegen", doel=keys[0], tekst="schriftelijk vastgelegd;"))
    sub = lid_items("verstrekking", 4)[0]["items"][0]
    assert sub["text"] == "schriftelijk vastgelegd;"
    page = officer.get(f"/portaal/editor/{did}").text
    assert f'<option value="{sub["key"]}">lid 5, onder a, sub i — schriftelijk vastgelegd;</option>' in page

    # chapters: renamed; one that texts refer to cannot go (the refusal names the articles); another can
    chs = chapters(saved(app, did))
    ok(post(officer, did, "hoofdstuk-wijzigen", doel=chs[5].at, hoofdstuk="Klachten"))
    assert chapters(saved(app, did))[5].title == "Klachten"
    r = post(officer, did, "hoofdstuk-verwijderen", doel=chs[1].at)
    assert r.status_code == 422
    assert (
        "Hoofdstuk &#39;Het Meldpunt Zorg en Woonoverlast&#39; kan niet weg: artikel 4, artikel 8, eerste lid"
        in r.text
    )
    assert 'aria-invalid="true" aria-describedby="hoofdstuk-' + chs[1].at + '-fout"' in r.text
    n = len(articles(saved(app, did)))
    ok(post(officer, did, "hoofdstuk-verwijderen", doel=chs[5].at))
    assert [c.title for c in chapters(saved(app, did))] == [c.title for c in chs if c.at != chs[5].at]
    assert len(articles(saved(app, did))) == n - chs[5].articles


def test_a_text_of_paragraphs_only_is_edited_paragraph_by_paragraph(app: FastAPI, officer) -> None:  # type: ignore[no-untyped-def]
    from service.editor.paragraphs import paragraphs

    did = from_example(officer, "zeist", "zeist-wijkgericht-werken-2018", "Wijkgericht Werken Alinea")
    paras = paragraphs(saved(app, did))
    assert not articles(saved(app, did)) and len(paras) > 3  # the agreement is a letter: no articles
    page = officer.get(f"/portaal/editor/{did}").text
    assert '<details id="alineas" open>' in page
    first_p = next(p for p in paras if p.kind == "p")
    ok(post(officer, did, "alinea-wijzigen", doel=first_p.at, tekst="Een nieuwe eerste alinea."))
    assert paragraphs(saved(app, did))[paras.index(first_p)].text == "Een nieuwe eerste alinea."
    ok(post(officer, did, "alinea-toevoegen", doel=first_p.at, soort="heading", tekst="Aanleiding"))
    after = paragraphs(saved(app, did))
    assert (
        after[paras.index(first_p) + 1].kind == "heading"
        and after[paras.index(first_p) + 1].text == "Aanleiding"
    )
    ok(post(officer, did, "alinea-wijzigen", doel=after[paras.index(first_p) + 1].at, tekst=""))
    assert len(paragraphs(saved(app, did))) == len(paras)
    overweging = next(p for p in paras if p.kind == "overweging")
    ok(
        post(
            officer, did, "alinea-toevoegen", doel=overweging.at, tekst="dat partijen dit willen vastleggen;"
        )
    )
    texts = [p.text for p in paragraphs(saved(app, did)) if p.kind == "overweging"]
    assert texts[1] == "dat partijen dit willen vastleggen;"
    r = post(officer, did, "alinea-wijzigen", doel="99.0", tekst="x")
    assert r.status_code == 422 and "Deze alinea bestaat niet (meer)" in r.text


def test_leden_and_chapters_move_and_references_print_the_new_numbers(app: FastAPI, officer) -> None:  # type: ignore[no-untyped-def]
    did = from_example(officer, "amsterdam", "amsterdam-mzw", "Meldpunt Verplaatsdorp")

    def leden(article_key: str) -> list[str]:
        for ref in articles(saved(app, did)):
            a = ref.holder[ref.index]
            if a["key"] == article_key:
                return [lid["key"] for lid in a["leden"]]
        raise AssertionError(article_key)

    def number_of(article_key: str) -> int:
        for n, ref in enumerate(articles(saved(app, did)), 1):
            if ref.holder[ref.index]["key"] == article_key:
                return n
        raise AssertionError(article_key)

    def preview() -> str:
        r = officer.get(f"/portaal/editor/{did}/voorbeeld")
        assert r.status_code == 200
        return " ".join(r.text.split())

    n = number_of("deelnemers")
    # the definition of the ontruimingsoverleg refers to the second lid of "deelnemers"
    assert f"tussen de in artikel {n}, tweede lid genoemde partijen" in preview()
    assert leden("deelnemers") == ["deelnemers-structureel", "deelnemers-ontruimingen"]
    page = officer.get(f"/portaal/editor/{did}").text
    assert '<select id="lid-verplaats-deelnemers" name="doel"' in page
    assert '<option value="deelnemers-ontruimingen">lid 2 — ' in page
    assert 'name="actie" value="lid-omhoog"' in page and "hoofdstuk-omlaag" in page

    # lid 2 up: the order is saved, and the reference (same key) prints "eerste lid"
    ok(post(officer, did, "lid-omhoog", doel="deelnemers-ontruimingen"))
    assert leden("deelnemers") == ["deelnemers-ontruimingen", "deelnemers-structureel"]
    text = preview()
    assert f"tussen de in artikel {n}, eerste lid genoemde partijen" in text
    assert f"tussen de in artikel {n}, tweede lid genoemde partijen" not in text
    versions = officer.get(f"/portaal/dossiers/{did}").text
    assert "lid verplaatst" in versions

    # the first lid cannot go further up: refused in Dutch at the field, nothing saved
    before = saved(app, did)
    r = post(officer, did, "lid-omhoog", doel="deelnemers-ontruimingen")
    assert r.status_code == 422
    assert f"Dit lid van artikel {n} is al het eerste lid en kan niet verder omhoog." in r.text
    assert 'aria-invalid="true"' in r.text
    assert saved(app, did) == before
    # and the last one not further down
    r = post(officer, did, "lid-omlaag", doel="deelnemers-structureel")
    assert r.status_code == 422
    assert "is al het laatste lid en kan niet verder omlaag." in r.text
    # lid 1 down puts the original order back
    ok(post(officer, did, "lid-omlaag", doel="deelnemers-ontruimingen"))
    assert leden("deelnemers") == ["deelnemers-structureel", "deelnemers-ontruimingen"]
    assert f"tussen de in artikel {n}, tweede lid genoemde partijen" in preview()

    # a chapter moves up: chapter order changes, its articles (and the references to them) renumber
    chs = chapters(saved(app, did))
    titles = [c.title for c in chs]
    moved = chs[2]  # "De samenwerkingsafspraken", holding "deelnemers"
    assert moved.title == "De samenwerkingsafspraken"
    ok(post(officer, did, "hoofdstuk-omhoog", doel=moved.at))
    assert [c.title for c in chapters(saved(app, did))] == [titles[0], titles[2], titles[1], *titles[3:]]
    m = number_of("deelnemers")
    assert m == n - chs[1].articles
    assert f"tussen de in artikel {m}, tweede lid genoemde partijen" in preview()
    # the first chapter cannot go further up
    r = post(officer, did, "hoofdstuk-omhoog", doel=chs[0].at)
    assert r.status_code == 422
    assert "Hoofdstuk &#39;Algemene bepalingen&#39; staat al bovenaan en kan niet verder omhoog." in r.text
    # and down again
    ok(post(officer, did, "hoofdstuk-omlaag", doel=chs[1].at))
    assert [c.title for c in chapters(saved(app, did))] == titles
    assert number_of("deelnemers") == n
