"""A second factor for signatories, where their organisation requires one (issue 12, point 1).

The organisation's choice is configured by the operator as its e-mail domain in
``signatory_second_factor_domains``. A signatory at such a domain confirms, besides the code e-mailed to
her, the current code of the authenticator app (TOTP, RFC 6238) of her own account at this service — the
same second factor staff sign in with, so nothing outside this machine is needed. The e-mailed code is
checked first: only someone who can read her mail gets to try the app code, and a wrong app code uses the
e-mailed code up. A signatory at such a domain without an active account with an authenticator app cannot
sign with a code; she signs with her own certificate instead (the page says so).
"""

from __future__ import annotations

from sqlmodel import Session

from service.accounts import repository as accounts_repository
from service.accounts import totp
from service.accounts.errors import LoginFailed
from service.accounts.secret import load_secret_key
from service.accounts.totp_secrets import SecretBox
from service.invitations.errors import InvalidInvitation
from service.invitations.models import SigningLink
from service.settings import Settings

METHOD = "TOTP van het eigen account"  # in the evidence and the certificate notice (short: both are bounded)


def required_for(settings: Settings, email: str) -> str | None:
    """The configured domain that requires a second factor for ``email``, or None."""
    domain = email.rsplit("@", 1)[-1].strip().lower()
    configured = {d.strip().lower().lstrip("@") for d in settings.signatory_second_factor_domains}
    return domain if domain in configured else None


def confirm(db: Session, settings: Settings, link: SigningLink, code: str) -> str | None:
    """None when the signatory's organisation requires no second factor; else the method confirmed.
    Raises ``InvalidInvitation`` (field ``tweede_factor``) without an account with an app, or for a wrong
    or reused app code."""
    domain = required_for(settings, link.email)
    if domain is None:
        return None
    user = accounts_repository.user_by_email(db, link.email.lower())
    if user is None or not user.active or user.totp_enabled_at is None or not user.totp_secret:
        raise InvalidInvitation(
            f"tweede factor: uw organisatie ({domain}) vereist bij het ondertekenen ook de code uit de "
            f"authenticator-app van uw account bij deze dienst, maar voor {link.email} is geen actief "
            "account met authenticator-app ingesteld. Onderteken met uw eigen certificaat (zie hieronder) "
            "of neem contact op met de privacyfunctionaris. Er is niets ondertekend.",
            field="tweede_factor",
        )
    box = SecretBox(load_secret_key(settings.secret_key, settings.data_dir))  # stored encrypted
    try:
        secret = box.open(user.totp_secret, user.id or 0)
    except LoginFailed:
        raise InvalidInvitation(
            "tweede factor: de authenticator-app van uw account kan niet worden gelezen (de sleutel van de "
            "server is veranderd); laat de beheerder uw tweede factor opnieuw instellen of onderteken met uw "
            "eigen certificaat. Er is niets ondertekend.",
            field="tweede_factor",
        ) from None
    step = totp.matching_step(secret, code, last_step=user.totp_last_step)
    if step is None:
        raise InvalidInvitation(
            "tweede factor: de code uit de authenticator-app is onjuist of al gebruikt. Er is niets "
            "ondertekend; vraag een nieuwe code per e-mail aan en vul beide codes opnieuw in.",
            field="tweede_factor",
        )
    user.totp_last_step = step
    accounts_repository.save(db, user)
    return METHOD
