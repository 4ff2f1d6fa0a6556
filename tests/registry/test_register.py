from datetime import date

from registry.register import authorisation_register, register_csv
from registry.session import AuditedSession
from templates.dossier.model import Dossier


def test_register_lists_who_is_authorised_for_what(
    zeist_registry: AuditedSession, zeist_dossier: Dossier
) -> None:
    reg = authorisation_register(zeist_registry, zeist_dossier.id, date(2019, 5, 1))
    # The authorisation register rests on the besluit's "aangewezen professionals" (§3), not on the AVG
    # art. 30 register of processing of privacyregeling art. 4 lid 2 (a different register).
    assert reg.article == "artikel 3 van het besluit"
    rows = {r.name: r for r in reg.rows}
    assert rows["Wendy Woongoed"].police.allowed and rows["Wendy Woongoed"].police.until == date(2019, 5, 20)
    assert not rows["Iris Intern"].personal.allowed
    assert rows["Wim Wijkagent"].provides_police is not None and rows["Wim Wijkagent"].provides_police.allowed
    text = register_csv(reg)
    assert text.splitlines()[1].startswith("naam;email")
    assert "Wendy Woongoed" in text and "2019-05-20" in text


def test_upcoming_endings_within_30_days(zeist_registry: AuditedSession, zeist_dossier: Dossier) -> None:
    from registry.warnings import upcoming_endings

    items = upcoming_endings(zeist_registry, zeist_dossier.id, date(2019, 5, 1))
    assert [(u.kind, u.ends_on) for u in items] == [("aanwijzing", date(2019, 5, 20))]
    yearly = upcoming_endings(zeist_registry, zeist_dossier.id, date(2019, 6, 1))
    evaluation = next(u for u in yearly if u.kind == "evaluatie")
    assert (
        evaluation.ends_on == date(2019, 6, 14)
        and evaluation.article == "artikel 14, tweede lid, van bijlage 1; artikel 6 van het besluit"
    )
    assert "nog geen evaluatie" in evaluation.message
    assert "Wendy Woongoed" in items[0].subject and items[0].article
    end = upcoming_endings(zeist_registry, zeist_dossier.id, date(2021, 6, 1))
    assert ("besluit", date(2021, 6, 13)) in [(u.kind, u.ends_on) for u in end]
    term = next(u for u in end if u.kind == "looptijd")
    assert (
        term.ends_on == date(2021, 6, 13)
        and "evaluatie" in term.message
        and "artikel 6 van het besluit" in term.article
    )


def test_register_csv_and_pdf_show_who_provides_police_data(
    zeist_registry: AuditedSession, zeist_dossier: Dossier
) -> None:
    import csv
    import io

    from pdfminer.high_level import extract_text

    from service.register.pdf import register_pdf

    reg = authorisation_register(zeist_registry, zeist_dossier.id, date(2019, 5, 1))
    rows = list(csv.DictReader(io.StringIO(register_csv(reg).split("\r\n", 1)[1]), delimiter=";"))
    agent = next(r for r in rows if r["naam"] == "Wim Wijkagent")
    assert (
        agent["verstrekt_politiegegevens"] == "ja"
        and "artikel 3 van het besluit" in agent["verstrekt_artikel"]
    )
    assert next(r for r in rows if r["naam"] == "Wendy Woongoed")["verstrekt_politiegegevens"] == ""
    text = extract_text(io.BytesIO(register_pdf(reg.as_dict())))
    assert (
        "Autorisatieregister" in text
        and "Verstrekt politiegegevens" in text
        and "artikel 3 van het besluit" in text
    )
