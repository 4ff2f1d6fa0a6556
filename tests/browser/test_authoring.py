"""Authoring in headless Chromium against the real app (issue 13): (a) a privacy officer makes a small
covenant from an empty dossier with the forms only — three parties, five articles with a cross-reference,
a term rule, a legal model with roles, a legal ground and a data flow — checks it, previews it and sends
it for signature; (b) imports the Amsterdam text from a generated Word file and gets the example's
article structure; (c) changes a signed dossier and sees the warning, the new version and the redline.
Screenshots under test-artifacts/screenshots/auteur-*.png."""

from __future__ import annotations

import re
from pathlib import Path

import pyotp
import yaml
from a11y import check
from accounts_support import allow_code_again
from conftest import LiveServer
from links_support import LINK_RE, ZEIST
from mail_support import body_text
from playwright.sync_api import Browser, Page, expect

from service.accounts.roles import Role
from templates import load_dossier
from templates.wordimport.samples import build_docx
from tests.templates.test_wordimport import structure

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
STATE: dict[str, str] = {}


def shot(page: Page, shots: Path, name: str) -> None:
    page.screenshot(path=str(shots / f"auteur-{name}.png"), full_page=True)
    check(page, f"auteur-{name}")  # axe at 390 and 1280 px, and no sideways scrolling


def sign_in(browser: Browser, server: LiveServer, role: Role) -> Page:
    staff = server.staff[role]
    page = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{server.url}/aanmelden")
    page.get_by_label("E-mailadres").fill(staff.email)
    page.get_by_label("Wachtwoord").fill(staff.password)
    page.get_by_role("button", name="Aanmelden").click()
    if staff.totp_secret:  # privacy officer and beheerder: the second factor, computed as the app would
        expect(page.get_by_role("heading", level=1)).to_have_text("Code uit uw authenticator-app")
        allow_code_again(server.app, staff.email)  # type: ignore[arg-type]
        page.get_by_label("Code").fill(pyotp.TOTP(staff.totp_secret).now())
        page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welkom, {staff.name}")
    return page


def saved(page: Page) -> None:
    expect(page.get_by_role("status").first).to_contain_text("Opgeslagen als nieuwe versie.")


def stored(server: LiveServer, dossier_id: str) -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((server.data_dir / "dossiers" / f"{dossier_id}.yaml").read_text("utf-8"))  # type: ignore[no-any-return]


def option_value(page: Page, select: str, text: str) -> str:
    value = page.locator(f"{select} option", has_text=text).first.get_attribute("value")
    assert value, f"geen keuze '{text}' in {select}"
    return value


def test_a_small_covenant_from_an_empty_dossier_with_forms_only(browser, live_server, screenshots):
    page = sign_in(browser, live_server, Role.PRIVACYFUNCTIONARIS)
    page.get_by_role("link", name="Nieuw dossier").first.click()
    page.get_by_label("Titel van het nieuwe convenant").fill("Convenant Buurtaanpak Zonnedorp")
    page.get_by_label("Gemeente (bij een leeg dossier)").fill("Zonnedorp")
    shot(page, screenshots, "a1-nieuw-dossier")
    page.get_by_role("button", name="Dossier aanmaken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bewerken: Convenant Buurtaanpak Zonnedorp")
    did = page.url.split("/portaal/editor/")[1].split("?")[0]
    STATE["a"] = did
    shot(page, screenshots, "a2-editor-leeg")
    # the municipality's signatory
    form = page.locator("#ondertekenaar-burgemeester")
    form.locator("#s-naam-gemeente-burgemeester").fill("M. Zon")
    form.locator("#s-email-gemeente-burgemeester").fill("burgemeester@zonnedorp.example")
    form.get_by_role("button", name=re.compile("Ondertekenaar opslaan")).click()
    saved(page)
    # two more parties, each with its signatory
    for name, kind, signer, function, email in (
        ("Politie Eenheid Zon", "politie", "P. Blauw", "teamchef", "teamchef@politie.example"),
        (
            "Woonstichting Zonnedorp",
            "woningcorporatie",
            "W. Huis",
            "directeur-bestuurder",
            "directie@woon.example",
        ),
    ):
        page.locator("#nieuwe-partij-naam").fill(name)
        page.locator("#nieuwe-partij-soort").select_option(kind)
        page.locator("#nieuwe-partij-ondertekenaar").fill(signer)
        page.locator("#nieuwe-partij-functie").fill(function)
        page.locator("#nieuwe-partij-email").fill(email)
        page.get_by_role("button", name="Partij toevoegen").click()
        saved(page)
    expect(page.locator("section[id^='partij-'] h3")).to_have_count(3)
    shot(page, screenshots, "a3-drie-partijen")
    # five articles: the first one exists; fill it, then add four
    page.locator("#lid-artikel-1-1").fill("Partijen werken samen om overlast in de buurt te beperken.")
    page.get_by_role("button", name="Artikel 1 opslaan").click()
    saved(page)
    for title, text in (
        ("Gegevens", "Partijen delen alleen gegevens die nodig zijn voor het doel."),
        ("Overleg", "Het buurtoverleg komt eens per maand bijeen."),
        ("Geheimhouding", "Wie gegevens ontvangt, houdt ze geheim zoals bepaald in [verwijzing]."),
        ("Looptijd", "Dit convenant geldt voor twee jaar."),
    ):
        page.locator("#nieuw-artikel-titel").fill(title)
        page.locator("#nieuw-artikel-lid").fill(text)
        page.get_by_role("button", name="Artikel toevoegen").click()
        saved(page)
    # a second lid in article 2, then the cross-reference to it from article 4
    art2 = page.locator("section[id^='artikel-']").nth(1)
    art2.locator("summary").click()
    art2.locator("textarea[name='tekst']").first.fill(
        "Gegevens van de politie worden alleen mondeling gedeeld."
    )
    art2.get_by_role("button", name="Lid toevoegen").click()
    saved(page)
    page.locator("#verwijzing-lid").select_option(option_value(page, "#verwijzing-lid", "artikel 4, lid 1"))
    page.locator("#verwijzing-naar").select_option(
        option_value(page, "#verwijzing-naar", "artikel 2, tweede lid")
    )
    shot(page, screenshots, "a4-verwijzing-kiezen")
    page.get_by_role("button", name="Verwijzing invoegen").click()
    saved(page)
    expect(page.locator("section[id^='artikel-']")).to_have_count(5)
    # the term rule
    page.locator("#looptijd_jaren").fill("2")
    page.locator("#verlenging").select_option("stilzwijgend")
    page.locator("#algemeen ~ form").first.get_by_role("button", name="Opslaan").click()
    saved(page)
    # the legal model, in forms: two roles, a legal ground and a data flow, each resting on an article
    # chosen from the list (a flow without a ground is refused at its field first)
    for label, definition, provision in (
        ("wijkagent", "de politieambtenaar die in de buurt werkt", "artikel 2, eerste lid"),
        ("buurtprofessional", "de medewerker van een partij in het buurtoverleg", "artikel 3, eerste lid"),
    ):
        add = page.locator("#rol-toevoegen")
        add.locator("summary").click()
        add.locator("#rol-nieuw-label").fill(label)
        add.locator("#rol-nieuw-definitie").fill(definition)
        add.locator("#rol-nieuw-bron").select_option(option_value(page, "#rol-nieuw-bron", provision))
        add.get_by_role("button", name="Rol toevoegen").click()
        saved(page)
    add = page.locator("#grond-toevoegen")
    add.locator("summary").click()
    add.locator("#grond-nieuw-soort").select_option("wpg")
    add.locator("#grond-nieuw-label").fill("artikel 20 Wpg (besluit van de politiechef)")
    add.locator("#grond-nieuw-bron").select_option(
        option_value(page, "#grond-nieuw-bron", "artikel 2, tweede lid")
    )
    add.get_by_role("button", name="Grondslag toevoegen").click()
    saved(page)
    add = page.locator("#stroom-toevoegen")
    add.locator("summary").click()
    add.locator("#stroom-nieuw-gegevens").select_option("politiegegevens")
    add.locator("#stroom-nieuw-van-wijkagent").check()
    add.locator("#stroom-nieuw-naar-buurtprofessional").check()
    add.locator("#stroom-nieuw-bron").select_option(
        option_value(page, "#stroom-nieuw-bron", "artikel 2, tweede lid")
    )
    add.get_by_role("button", name="Gegevensstroom toevoegen").click()
    add = page.locator("#stroom-toevoegen")
    expect(add.locator("#stroom-nieuw-gronden-fout")).to_contain_text("kies ten minste één grondslag")
    expect(add.locator("#stroom-nieuw-gronden input").first).to_have_attribute("aria-invalid", "true")
    expect(add.locator("#stroom-nieuw-van-wijkagent")).to_be_checked()  # what she chose is kept
    shot(page, screenshots, "a4b-rechtsmodel-fout")
    add.screenshot(path=str(screenshots / "auteur-a4b-gegevensstroom-fout.png"))
    add.locator("#stroom-nieuw-gronden input").first.check()
    add.get_by_role("button", name="Gegevensstroom toevoegen").click()
    saved(page)
    expect(page.locator("#rechtsmodel-flows li").first).to_contain_text(
        "politiegegevens van wijkagent aan buurtprofessional"
    )
    expect(page.locator("#rechtsmodel-flows li").first).to_contain_text(
        "Vastgelegd in: artikel 2, tweede lid"
    )
    page.locator("#rechtsmodel").scroll_into_view_if_needed()
    shot(page, screenshots, "a4c-rechtsmodel")
    page.locator("#rechtsmodel-flows").screenshot(path=str(screenshots / "auteur-a4c-gegevensstromen.png"))
    data = stored(live_server, did)
    flow = data["legal"]["flows"][0]
    assert flow["data"] == "politiegegevens"
    assert flow["from_roles"] == ["wijkagent"] and flow["to_roles"] == ["buurtprofessional"]
    assert flow["grounds"] == [data["legal"]["grounds"][0]["key"]]
    assert flow["source"] == [data["agreement"]["parts"][1]["articles"][1]["leden"][1]["key"]]
    arts = data["agreement"]["parts"][1]["articles"]
    assert len(data["parties"]) == 3 and len(arts) == 5
    assert data["legal"]["term"]["kind"] == "stilzwijgend" and data["term"]["duration_years"] == 2
    assert re.search(r"\[\[ref:[a-z0-9-]+\]\]", arts[3]["leden"][0]["text"])
    # the check, in words
    expect(page.locator("#bevindingen")).to_be_visible()
    shot(page, screenshots, "a5-editor-gecontroleerd")
    page.get_by_role("link", name="Voorbeeld bekijken").click()
    expect(page.locator("#voorbeeld")).to_contain_text("zoals bepaald in artikel 2, tweede lid")
    shot(page, screenshots, "a6-voorbeeld")
    page.goto(f"{live_server.url}/portaal/dossiers/{did}")
    page.get_by_role("button", name="Ter ondertekening versturen").click()
    page.get_by_role("button", name="Ja, versturen").click()  # the confirmation step (issue 14 item 7)
    expect(page.get_by_role("status")).to_contain_text("ter ondertekening verstuurd")
    shot(page, screenshots, "a7-verstuurd")
    for address in ("burgemeester@zonnedorp.example", "teamchef@politie.example", "directie@woon.example"):
        live_server.inbox.wait_for(address)


def test_amsterdam_from_a_word_file_has_the_example_structure(browser, live_server, screenshots, tmp_path):
    amsterdam = load_dossier((EXAMPLES / "amsterdam.yaml").read_bytes(), "amsterdam.yaml")
    docx = tmp_path / "Convenant MZW Amsterdam.docx"
    docx.write_bytes(build_docx(amsterdam, "stijlen"))
    page = sign_in(browser, live_server, Role.PRIVACYFUNCTIONARIS)
    page.get_by_role("link", name="Nieuw dossier").first.click()
    page.get_by_label("Word-bestand (.docx)").set_input_files(str(docx))
    page.get_by_role("button", name="Importeren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile("^Import uit Word: Convenant Meldpunt")
    )
    expect(page.get_by_role("status").first).to_contain_text("31 partijen")
    shot(page, screenshots, "b1-word-import-rapport")
    page.get_by_role("link", name="Verder in de editor").click()
    expect(page.locator("section[id^='artikel-']")).to_have_count(33)
    shot(page, screenshots, "b2-word-import-editor")
    did = page.url.split("/portaal/editor/")[1].split("?")[0]
    imported = load_dossier((live_server.data_dir / "dossiers" / f"{did}.yaml").read_bytes(), "import")
    assert structure(imported) == structure(amsterdam)


def _sign_everything(browser: Browser, server: LiveServer, addresses: list[str]) -> None:
    for address in addresses:
        invitation = [m for m in server.inbox.wait_for(address) if "Uw code" not in str(m["Subject"])][-1]
        url = LINK_RE.search(body_text(invitation)).group(0)  # type: ignore[union-attr]
        page = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900}).new_page()
        page.goto(url)
        expect(page.get_by_text("Uw ondertekeningsblok")).to_be_visible()
        page.get_by_text("Lees de tekst van het document op deze pagina").click()
        page.get_by_role("button", name="Stuur mij een code").click()
        expect(page.get_by_role("status")).to_contain_text(f"Er is een code gestuurd naar {address}")
        codes = [m for m in server.inbox.wait_for(address, count=2) if "Uw code" in str(m["Subject"])]
        code = re.search(r"^\s+(\d{6})\s*$", body_text(codes[-1]), re.MULTILINE).group(1)  # type: ignore[union-attr]
        page.get_by_label("Eenmalige code uit de e-mail").fill(code)
        page.get_by_label(re.compile("Ik heb het document gelezen")).check()
        page.get_by_role("button", name="Ondertekenen").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Ondertekend")
        page.context.close()


def test_changing_a_signed_dossier_shows_the_warning_the_new_version_and_the_redline(
    browser, live_server, screenshots
):
    page = sign_in(browser, live_server, Role.PRIVACYFUNCTIONARIS)
    page.get_by_role("link", name="Dossiers").first.click()
    page.get_by_label("Dossierbestand (YAML of JSON)").set_input_files(str(ZEIST))
    page.get_by_role("button", name="Uploaden en controleren").click()
    dossier_url = page.url.split("?")[0]
    page.get_by_role("button", name="Ter ondertekening versturen").click()
    page.get_by_role("button", name="Ja, versturen").click()  # the confirmation step (issue 14 item 7)
    expect(page.get_by_role("status")).to_contain_text("ter ondertekening verstuurd")
    signers = [
        "burgemeester@zeist.example.nl",
        "teamchef.zblw@politie.example.nl",
        "directie@rkwbv.example.nl",
        "directie@meander.example.nl",
        "directie@woongoed.example.nl",
    ]
    _sign_everything(browser, live_server, signers)
    page.goto(dossier_url)
    expect(page.locator("#ondertekening ~ p strong.status")).to_have_text("volledig ondertekend")
    did = dossier_url.rsplit("/", 1)[1]
    # the editor: the signed version is frozen; a new version must be asked for
    page.goto(f"{live_server.url}/portaal/editor/{did}")
    expect(page.locator("#versie")).to_contain_text("Deze versie staat vast.")
    shot(page, screenshots, "c1-ondertekend-staat-vast")
    page.get_by_label("Ik begrijp dat de handtekeningen niet gelden voor de nieuwe versie").check()
    page.get_by_role("button", name="Nieuwe versie maken").click()
    saved(page)
    page.locator("#per_jaar").fill("250000")
    page.locator("#toelichting-begroting").fill("bijdrage verhoogd na overleg")
    page.get_by_role("button", name="Begroting opslaan").click()
    saved(page)
    # the dossier page: the warning, the new version, the signed figures next to "volledig ondertekend"
    page.goto(dossier_url)
    warning = page.locator("#niet-ondertekend")
    expect(warning).to_contain_text("Versie 3 is niet ondertekend.")
    expect(warning).to_contain_text("De handtekeningen op versie 1 gelden niet voor versie 3")
    expect(warning).to_contain_text("addendum")
    signing = page.locator("#ondertekening ~ dl.gegevens")
    expect(signing).to_contain_text("195.000,00")
    expect(signing).not_to_contain_text("250.000")
    expect(page.locator("#versies ~ table").first).to_contain_text("bijdrage verhoogd na overleg")
    shot(page, screenshots, "c2-waarschuwing-nieuwe-versie")
    warning.get_by_role("link", name="Bekijk wat er is gewijzigd").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Wijzigingen in "))
    expect(page.locator("table.rl-facts")).to_contain_text("Bijdrage per jaar")
    expect(page.locator("del.rl", has_text="195.000,00").first).to_be_visible()
    expect(page.locator("ins.rl", has_text="250.000,00").first).to_be_visible()
    shot(page, screenshots, "c3-redline")
    with page.expect_download() as download:
        page.get_by_role("link", name="Deze vergelijking als PDF").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
