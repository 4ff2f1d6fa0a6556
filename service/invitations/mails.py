"""The Dutch e-mails of signing by link. Plain text: the link stays visible and clickable everywhere."""

from __future__ import annotations

from datetime import datetime

from service.clock import nl_date, nl_datetime
from service.invitations.models import PendingSignature, SigningLink
from service.mail import Attachment, MailMessage

FOOTER = (
    "\n\nDeze link is persoonlijk: stuur deze e-mail niet door. "
    "De link werkt één keer en is geldig tot {until}.\n"
    "Heeft u deze e-mail niet verwacht? Negeer hem dan; er gebeurt niets zonder uw handtekening.\n"
    "Vragen? Neem contact op met {contact}.\n\n"
    "— Convenant, namens {sender}"
)


def _footer(link: SigningLink, sender: str | None, contact: str | None) -> str:
    """Signed by whoever sent the link (the officer, or the coordinator who invited), not a fixed role."""
    return FOOTER.format(
        until=nl_datetime(link.expires_at),
        sender=sender or "de afzender",
        contact=contact or sender or "de afzender",
    )


def _to(link: SigningLink) -> dict[str, object]:
    return {"to": [link.email], "to_names": {link.email: link.name}}


def agreement_invitation(
    link: SigningLink,
    title: str,
    url: str,
    *,
    reminder: bool = False,
    sender: str | None = None,
    contact: str | None = None,
) -> MailMessage:
    lead = "Herinnering: " if reminder else ""
    extra = (
        "\nDit is een herinnering. Een link uit een eerdere e-mail werkt niet meer; "
        "gebruik de link hieronder.\n"
        if reminder
        else ""
    )
    text = (
        f"Beste {link.name},\n\n"
        f"U wordt gevraagd de {title} te ondertekenen, namens {link.on_behalf_of}.\n{extra}\n"
        f"Open deze link om het document te lezen en te ondertekenen:\n{url}\n\n"
        "U ziet eerst het document met uw eigen ondertekeningsblok gemarkeerd, en een duidelijke stap "
        "'Ondertekenen'. Wilt u niet ondertekenen, dan kunt u daar ook zeggen waarom. "
        "Na het ondertekenen ontvangt u het ondertekende PDF-bestand per e-mail."
        + _footer(link, sender, contact)
    )
    return MailMessage(subject=f"{lead}Verzoek tot ondertekening: {title}", text=text, **_to(link))  # type: ignore[arg-type]


def signing_code(link: SigningLink, title: str, code: str, valid_minutes: int) -> MailMessage:
    text = (
        f"Beste {link.name},\n\n"
        f"Uw code om de {title} te ondertekenen is:\n\n    {code}\n\n"
        f"Vul deze code in op de ondertekeningspagina. Hij is {valid_minutes} minuten geldig "
        "en werkt één keer.\n"
        "Heeft u geen code aangevraagd? Dan heeft iemand anders uw link geopend: negeer deze e-mail en "
        "meld het aan de privacyfunctionaris.\n\n— Convenant, namens de privacyfunctionaris"
    )
    return MailMessage(subject=f"Uw code voor het ondertekenen: {title}", text=text, **_to(link))  # type: ignore[arg-type]


def declaration_invitation(
    link: SigningLink,
    title: str,
    url: str,
    meeting: str,
    held_on: datetime | object,
    *,
    sender: str | None = None,
    contact: str | None = None,
) -> MailMessage:
    text = (
        f"Beste {link.name},\n\n"
        f"U bent uitgenodigd als agendadeelnemer voor {meeting} op {nl_date(held_on)}.\n"  # type: ignore[arg-type]
        "Voordat u persoonsgegevens van inwoners kunt ontvangen, ondertekent u de geheimhoudingsverklaring. "
        "Daarin geeft u ook de grondslag aan die voor u geldt.\n\n"
        f"Open deze link om de {title} te lezen, uw grondslag te kiezen en te ondertekenen:\n{url}"
        + _footer(link, sender, contact)
    )
    return MailMessage(subject=f"Uitnodiging: {title} ondertekenen", text=text, **_to(link))  # type: ignore[arg-type]


def signed_copy(link: SigningLink, title: str, pdf: bytes, filename: str, receipt_url: str) -> MailMessage:
    text = (
        f"Beste {link.name},\n\n"
        f"U heeft de {title} ondertekend. Het ondertekende document zit als PDF bij deze e-mail.\n\n"
        "Het bewijs van uw handtekening (wie, wanneer en vanaf welk internetadres) en het document kunt u "
        f"terugzien op:\n{receipt_url}\n\n— Convenant"
    )
    return MailMessage(
        subject=f"Ondertekend: {title}",
        text=text,
        attachments=[Attachment(filename, pdf)],
        **_to(link),  # type: ignore[arg-type]
    )


def final_copy(
    links: list[SigningLink], title: str, pdf: bytes, filename: str, *, sender: str | None = None
) -> MailMessage:
    names = "\n".join(f"- {x.name}, namens {x.on_behalf_of}" for x in links)
    text = (
        "Beste ondertekenaars,\n\n"
        f"De {title} is door alle partijen ondertekend. Het volledig ondertekende document zit als PDF bij "
        f"deze e-mail.\n\nOndertekend door:\n{names}\n\n— Convenant, namens {sender or 'de afzender'}"
    )
    return MailMessage(
        to=[x.email for x in links],
        to_names={x.email: x.name for x in links},
        subject=f"Volledig ondertekend: {title}",
        text=text,
        attachments=[Attachment(filename, pdf)],
    )


def own_signature_rejected(link: SigningLink, title: str, held: PendingSignature) -> MailMessage:
    why = f"\nDe reden: {held.reason}\n" if held.reason else ""
    text = (
        f"Beste {link.name},\n\n"
        f"U heeft de {title} ondertekend met een eigen certificaat op de naam "
        f"'{held.certificate_name or held.certificate_subject}'. De privacyfunctionaris heeft deze "
        f"handtekening niet als de uwe bevestigd; zij telt niet.\n{why}\n"
        "U kunt opnieuw ondertekenen met de link uit de eerdere e-mail "
        f"(geldig tot {nl_datetime(link.expires_at)}): met een code per e-mail, of met een certificaat op "
        "uw eigen naam. Is de link verlopen, vraag dan de privacyfunctionaris om een nieuwe.\n\n"
        "— Convenant, namens de privacyfunctionaris"
    )
    return MailMessage(subject=f"Handtekening niet bevestigd: {title}", text=text, **_to(link))  # type: ignore[arg-type]
