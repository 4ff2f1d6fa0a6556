"""Every user's whole path in headless Chromium against the real app: the privacy officer uploads the Zeist
dossier and sends it for signature; each signatory signs from the e-mailed link; the final PDF validates
TOTAL_PASSED with every signature; the coordinator invites an agendadeelnemer, who signs from the link;
the meeting check then shows them entitled to personal data and not to police data."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta
from pathlib import Path

import pyotp
import pytest
from a11y import check
from accounts_support import allow_code_again
from conftest import LiveServer
from links_support import LINK_RE, ZEIST, current_zeist_yaml
from mail_support import attachments, body_text
from playwright.sync_api import Browser, Page, expect

from service.accounts.roles import Role
from signing import TrustConfig, ensure_development_pki, validate_pdf

SIGNERS = [
    "burgemeester@zeist.example.nl",
    "teamchef.zblw@politie.example.nl",
    "directie@rkwbv.example.nl",
    "directie@meander.example.nl",
    "directie@woongoed.example.nl",
]
RUN = uuid.uuid4().hex[:6]  # the registry database is shared by the test session: unique keys per run
STATE: dict[str, str] = {}


def shot(page: Page, shots: Path, name: str) -> None:
    """Screenshot at 390 and 1280 px, with axe-core and the reflow check on this page state (a11y.check)."""
    check(page, name)


def new_page(browser: Browser) -> Page:
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    return context.new_page()


def sign_in(browser: Browser, server: LiveServer, role: Role) -> Page:
    staff = server.staff[role]
    page = new_page(browser)
    page.goto(f"{server.url}/")
    expect(page).to_have_url(re.compile(r"/aanmelden\?volgende="))
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


def pdf_report(server: LiveServer, pdf: bytes):  # type: ignore[no-untyped-def]
    """Validate with pyHanko against the server's (development) CA. In a thread of its own: Playwright's sync
    API keeps an asyncio loop running in this thread, and pyHanko's validator runs its own."""
    from concurrent.futures import ThreadPoolExecutor

    pki = ensure_development_pki(server.data_dir / "keys")
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(
            validate_pdf, pdf, TrustConfig(roots=[pki.ca_cert_path], allow_fetching=False)
        ).result()


def test_sign_in_page_is_dutch_has_a_skip_link_first_and_refuses_a_wrong_password(
    browser, live_server, screenshots
):
    page = new_page(browser)
    page.goto(f"{live_server.url}/aanmelden")
    assert page.get_attribute("html", "lang") == "nl"
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Naar de inhoud")
    shot(page, screenshots, "00-aanmelden-skiplink")
    page.get_by_label("E-mailadres").fill(live_server.staff[Role.BEHEERDER].email)
    page.get_by_label("Wachtwoord").fill("dit-is-niet-het-wachtwoord")
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_role("alert")).to_contain_text("Onbekend e-mailadres of onjuist wachtwoord.")
    expect(page.get_by_label("E-mailadres")).to_have_attribute("aria-invalid", "true")
    shot(page, screenshots, "01-aanmelden-fout")


def test_officer_uploads_the_zeist_dossier_and_sends_it_for_signature(browser, live_server, screenshots):
    page = sign_in(browser, live_server, Role.PRIVACYFUNCTIONARIS)
    shot(page, screenshots, "02-start-privacyfunctionaris")
    page.get_by_role("link", name="Dossiers").first.click()
    page.get_by_label("Dossierbestand (YAML of JSON)").set_input_files(str(ZEIST))
    shot(page, screenshots, "03-dossiers-upload")
    page.get_by_role("button", name="Uploaden en controleren").click()
    expect(page.get_by_role("status")).to_contain_text("Het dossier is opgeslagen.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Wijkgericht Werken")
    expect(page.get_by_text("Consistentierapport")).to_be_visible()
    expect(page.get_by_text("14 juni 2018").first).to_be_visible()  # dates in Dutch
    shot(page, screenshots, "04-dossier-rapport")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"^PDF van ")).first.click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    page.get_by_role("button", name="Ter ondertekening versturen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Overeenkomst ter ondertekening versturen?")
    assert not live_server.inbox.to(SIGNERS[0])  # nothing is sent before the confirmation
    shot(page, screenshots, "05a-versturen-bevestigen")
    page.get_by_role("button", name="Ja, versturen").click()
    expect(page.get_by_role("status")).to_contain_text("ter ondertekening verstuurd")
    expect(page.locator("table", has_text="Status per ondertekenaar").locator(".status-open")).to_have_count(
        5
    )
    STATE["dossier_url"] = page.url.split("?")[0]
    shot(page, screenshots, "05-dossier-verstuurd")
    for address in SIGNERS:
        live_server.inbox.wait_for(address)


def test_each_signatory_signs_from_the_mailed_link_and_the_final_pdf_validates(
    browser, live_server, screenshots
):
    for n, address in enumerate(SIGNERS, start=1):
        [invitation] = live_server.inbox.wait_for(address)
        url = LINK_RE.search(body_text(invitation)).group(0)
        assert url.startswith(live_server.url)
        page = new_page(browser)  # every signatory on their own device
        page.goto(url)
        expect(page.get_by_text("Uw ondertekeningsblok")).to_be_visible()
        expect(page.locator(".eigen-blok")).to_have_count(1)
        expect(page.get_by_text("SHA-256")).to_have_count(0)  # no jargon for signatories (issue 14, item 9)
        page.get_by_text("Lees de tekst van het document op deze pagina").click()
        expect(page.locator(".eigen-handtekening")).to_have_text("Hier komt uw handtekening")
        shot(page, screenshots, f"06-ondertekenen-{n}")
        expect(page.get_by_text("geen gekwalificeerde")).to_be_visible()  # what kind of signature, plainly
        page.get_by_role("button", name="Stuur mij een code").click()
        # The answer renders the whole document again: on a loaded machine that takes longer than 5 s.
        expect(page.get_by_role("status")).to_contain_text(
            f"Er is een code gestuurd naar {address}", timeout=30_000
        )
        [mail] = [m for m in live_server.inbox.wait_for(address, count=2) if "Uw code" in m["Subject"]]
        code = re.search(r"^\s+(\d{6})\s*$", body_text(mail), re.MULTILINE).group(1)
        page.get_by_label("Eenmalige code uit de e-mail").fill(code)
        page.get_by_role(
            "button", name="Ondertekenen"
        ).click()  # without ticking the box: the browser stops it
        expect(page.get_by_role("heading", level=1)).to_contain_text("Ondertekenen:")
        page.get_by_label(re.compile("Ik heb het document gelezen")).check()
        page.get_by_role("button", name="Ondertekenen").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Ondertekend")
        expect(page.get_by_role("heading", name="Bewijs van uw handtekening")).to_be_visible()
        # the receipt names the signatory but no longer shows her address or browser (issue 10 item 10)
        expect(page.locator("dd", has_text=address)).to_be_visible()
        expect(page.locator("dd", has_text="127.0.0.1")).to_have_count(0)
        expect(page.locator("dd", has_text="Chrome")).to_have_count(0)
        shot(page, screenshots, f"07-ondertekend-{n}")
        page.context.close()
    final = [
        m for m in live_server.inbox.messages if str(m["Subject"]).strip().startswith("Volledig ondertekend")
    ]
    assert len(final) == 1
    [pdf] = attachments(final[0]).values()
    report = pdf_report(live_server, pdf)
    assert len(report.signatures) == 5
    assert {s.indication for s in report.signatures} == {"TOTAL_PASSED"}, report.as_dict()["handtekeningen"][
        0
    ]
    officer = sign_in(browser, live_server, Role.PRIVACYFUNCTIONARIS)
    officer.goto(STATE["dossier_url"])
    expect(officer.locator("strong.status", has_text="volledig ondertekend")).to_be_visible()
    expect(officer.locator(".status-ondertekend")).to_have_count(5)
    shot(officer, screenshots, "08-dossier-volledig-ondertekend")
    with officer.expect_download() as download:
        officer.get_by_role("link", name=re.compile("Download het ondertekende document")).click()
    assert Path(download.value.path()).read_bytes() == pdf


def test_a_used_or_tampered_link_shows_a_clear_dutch_page(browser, live_server, screenshots):
    invitation = live_server.inbox.wait_for(SIGNERS[0])[0]
    assert str(invitation["Subject"]).strip().startswith("Verzoek tot ondertekening")
    url = LINK_RE.search(body_text(invitation)).group(0)
    page = new_page(browser)
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text("U heeft al ondertekend")
    expect(page.get_by_role("status")).to_contain_text("Uw handtekening staat")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download het ondertekende document (PDF)").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    expect(page.get_by_role("link", name=re.compile("aanmeld", re.I))).to_have_count(0)
    shot(page, screenshots, "09-link-al-gebruikt")
    page.goto(url[:-2] + ("AA" if not url.endswith("AA") else "BB"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Deze link is niet geldig")
    expect(page.get_by_role("link", name=re.compile("aanmeld", re.I))).to_have_count(0)  # no staff log-in
    expect(page.get_by_text("Neem contact op met de persoon die u de e-mail")).to_be_visible()
    shot(page, screenshots, "10-link-ongeldig")


def test_coordinator_invites_an_agendadeelnemer_who_signs_and_is_entitled_to_personal_not_police_data(
    browser, live_server, screenshots
):
    today = date.today()
    officer = sign_in(browser, live_server, Role.PRIVACYFUNCTIONARIS)
    officer.get_by_role("link", name="Dossiers").first.click()
    current = live_server.data_dir / f"zeist-{today.year}.yaml"
    current.write_bytes(current_zeist_yaml(today))
    officer.get_by_label("Dossierbestand (YAML of JSON)").set_input_files(str(current))
    officer.get_by_role("button", name="Uploaden en controleren").click()
    expect(officer.get_by_role("status")).to_contain_text("Het dossier is opgeslagen.")

    coordinator = sign_in(browser, live_server, Role.COORDINATOR)
    coordinator.get_by_role("link", name="Wijkoverleggen").first.click()
    coordinator.get_by_label("Overeenkomst").select_option(f"zeist-wijkgericht-werken-{today.year}")
    coordinator.get_by_label("Titel").fill(f"Wijkoverleg Zeist Centrum {RUN}")
    coordinator.get_by_label("Datum").fill((today + timedelta(days=7)).isoformat())
    shot(coordinator, screenshots, "11-overleg-plannen")
    coordinator.get_by_role("button", name="Overleg plannen").click()
    expect(coordinator.get_by_role("status")).to_contain_text("Het wijkoverleg is gepland")
    guest_email = f"a.arts.{RUN}@huisarts.example.nl"
    coordinator.get_by_label("Naam", exact=True).fill("Dr. A. Arts")
    coordinator.get_by_label("E-mailadres", exact=True).fill(guest_email)
    coordinator.get_by_label("Instelling of beroep").fill("Huisartsenpraktijk Zeist-Centrum")
    coordinator.get_by_label("Functie (niet verplicht)").fill("huisarts")
    coordinator.get_by_role("button", name="Uitnodiging versturen").click()
    expect(coordinator.get_by_role("status")).to_contain_text("De agendadeelnemer is uitgenodigd")
    row = coordinator.locator("tr", has_text="Dr. A. Arts").first
    expect(row.locator("td").nth(2)).to_contain_text("nee")  # not yet: the declaration is unsigned
    expect(row).to_contain_text("ondertekende geheimhoudingsverklaring")
    shot(coordinator, screenshots, "12-overleg-uitgenodigd")

    invitation = live_server.inbox.wait_for(guest_email)[0]
    url = LINK_RE.search(body_text(invitation)).group(0)
    guest = new_page(browser)
    guest.goto(url)
    expect(guest.get_by_role("heading", level=1)).to_have_text(
        "Geheimhoudingsverklaring agendadeelnemer Wijkoverleg Zeist"
    )
    expect(guest.get_by_role("radio")).to_have_count(3)
    shot(guest, screenshots, "13-verklaring-grondslag-kiezen")
    guest.get_by_label(re.compile("^gerechtvaardigd belang")).check()
    guest.get_by_role("button", name="Toon de verklaring met deze grondslag").click()
    expect(guest.get_by_text("Stap 3: ondertekenen")).to_be_visible()
    expect(guest.get_by_label(re.compile("^gerechtvaardigd belang"))).to_be_checked()
    shot(guest, screenshots, "14-verklaring-ondertekenen")
    guest.get_by_role("button", name="Stuur mij een code").click()  # a certificate on her name, after a code
    expect(guest.get_by_role("status")).to_contain_text(
        f"Er is een code gestuurd naar {guest_email}", timeout=30_000
    )
    [mail] = [m for m in live_server.inbox.wait_for(guest_email, count=2) if "Uw code" in m["Subject"]]
    guest.get_by_label("Eenmalige code uit de e-mail").fill(
        re.search(r"^\s+(\d{6})\s*$", body_text(mail), re.MULTILINE).group(1)
    )
    guest.get_by_label(re.compile("Ik heb de verklaring gelezen")).check()
    guest.get_by_role("button", name="Ondertekenen").click()
    expect(guest.get_by_role("heading", level=1)).to_have_text("Ondertekend")
    shot(guest, screenshots, "15-verklaring-ondertekend")
    copy = live_server.inbox.wait_for(guest_email, count=3)[-1]
    [signed] = attachments(copy).values()
    [declared] = pdf_report(live_server, signed).signatures
    assert declared.indication == "TOTAL_PASSED" and "Dr. A. Arts" in str(declared.signer)  # names her

    coordinator.reload()
    row = coordinator.locator("tr", has_text="Dr. A. Arts").first
    personal, police = row.locator("td").nth(2), row.locator("td").nth(3)
    expect(personal.locator(".status")).to_have_text("ja")
    expect(personal).to_contain_text("geheimhoudingsverklaring")
    expect(police.locator(".status")).to_have_text("nee")
    expect(police).to_contain_text("nooit politiegegevens")
    shot(coordinator, screenshots, "16-deelnemerstoets")
    with coordinator.expect_download() as download:
        coordinator.get_by_role("link", name="Download de toets als PDF").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("role", "link", "heading"),
    [
        (Role.WIJKAGENT, "Verstrekkingen", "Verstrekkingen van politiegegevens"),
        (Role.PRIVACYFUNCTIONARIS, "Autorisatieregister", "Autorisatieregister"),
        (Role.PRIVACYFUNCTIONARIS, "Auditlog", "Auditlog"),
        (Role.BEHEERDER, "Accounts", "Accounts"),
    ],
)
def test_role_pages_open_from_the_menu_and_label_every_field(
    browser, live_server, screenshots, role, link, heading
):
    page = sign_in(browser, live_server, role)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name=link).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    unlabeled = page.evaluate(
        """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
                 .filter(e => !(e.labels && e.labels.length)).map(e => e.name)"""
    )
    assert unlabeled == []
    shot(page, screenshots, f"17-{role.value}-{link.lower()}")


def test_a_page_outside_the_role_is_refused_in_dutch(browser, live_server, screenshots):
    page = sign_in(browser, live_server, Role.WIJKAGENT)
    response = page.goto(f"{live_server.url}/portaal/audit")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Geen toegang")
    shot(page, screenshots, "18-geen-toegang")
