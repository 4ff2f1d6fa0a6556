"""Demo accounts: one per role, with freshly generated passwords printed at start-up (``serve --demo``).

On every demo start the passwords are generated anew (only their Argon2 hashes are stored, so old ones
cannot be shown again). The roles that must sign in with a second factor (privacy officer, beheerder) get a
fresh TOTP secret too, printed with the command that shows the current code. Never used outside ``--demo``.
"""

from __future__ import annotations

import secrets
import sys
from dataclasses import dataclass
from typing import TextIO

from sqlalchemy import Engine
from sqlmodel import Session

from registry.database import make_engine, migrate, writer
from registry.legal import agreement_legal
from registry.rules import provider_roles
from registry.session import AuditedSession
from registry.sync import load_people
from service.accounts import repository, tenancy, totp
from service.accounts import service as accounts
from service.accounts.roles import Role
from service.accounts.secret import load_secret_key
from service.accounts.totp_secrets import SecretBox
from service.settings import Settings

DEMO_DOMAIN = "demo.convenant.example"
DEMO_NAMES = {
    Role.PRIVACYFUNCTIONARIS: "Priya Fonteijn",
    Role.COORDINATOR: "Marieke van Dam",
    Role.WIJKAGENT: "Wim Agterberg",
    Role.BEHEERDER: "Bea Heerkens",
}


@dataclass(frozen=True)
class DemoAccount:
    role: Role
    email: str
    name: str
    password: str
    totp_secret: str | None = None


def create_demo_accounts(settings: Settings) -> list[DemoAccount]:
    url = settings.effective_database_url
    migrate(url)
    engine = make_engine(url)
    box = SecretBox(load_secret_key(settings.secret_key, settings.data_dir))
    out = []
    try:
        with Session(engine) as db:
            for role in Role:
                email = f"{role.value}@{DEMO_DOMAIN}"
                password = secrets.token_urlsafe(12)
                user = accounts.user_by_email(db, email)
                if user is None:
                    user = accounts.create_user(
                        db, email=email, name=DEMO_NAMES[role], role=role, password=password
                    )
                else:
                    accounts.set_password(db, user.id or 0, password)
                    accounts.set_active(db, user.id or 0, True)
                secret = accounts.enable_totp(db, user.id or 0, box) if totp.required(role) else None
                out.append(DemoAccount(role, email, DEMO_NAMES[role], password, secret))
            _grant_demo_agreements(db, out)
            db.commit()
        _designate_demo_wijkagent(engine, out)
    finally:
        engine.dispose()
    return out


def _grant_demo_agreements(db: Session, found: list[DemoAccount]) -> None:
    """Tenancy in the demo: one organisation, every account granted every agreement the registry holds."""
    org = tenancy.organisation(db, "demo", "Demo-organisatie")
    keys = repository.agreement_keys(db)
    for a in found:
        user = accounts.user_by_email(db, a.email)
        assert user is not None and user.id is not None
        tenancy.set_organisation(db, user.id, org)
        for key in keys:
            tenancy.grant(db, user.id, key, by="demo")


def _designate_demo_wijkagent(engine: Engine, found: list[DemoAccount]) -> None:
    """The demo wijkagent is designated (audited, like any registry change) as wijkagent of the police party
    of each agreement: a wijkagent sees only the agreements she is designated for."""
    wijkagent = next((a for a in found if a.role is Role.WIJKAGENT), None)
    if wijkagent is None:
        return
    with AuditedSession(writer(engine), actor="demo", expire_on_commit=False) as db:
        for agreement in repository.agreements(db):
            police = repository.party_of_kind(db, agreement.id, "politie")
            # The role that provides police data is the covenant's own (a wijkagent in one covenant, a
            # politie-deelnemer in another); a covenant without such a flow gets no demo wijkagent.
            roles = provider_roles(agreement_legal(agreement))
            if police is None or not roles:
                continue
            role = "wijkagent" if "wijkagent" in roles else roles[0]
            person = {
                "key": "demo-wijkagent",
                "name": wijkagent.name,
                "email": wijkagent.email,
                "function": "wijkagent (demo)",
                "organisation": police.key,
                "role": role,
                "designated_from": agreement.term_start,
            }
            load_people(db, {"people": [person]}, agreement.key)
        db.commit()


def print_demo_accounts(found: list[DemoAccount], settings: Settings, out: TextIO | None = None) -> None:
    base = (settings.base_url or f"http://{settings.host}:{settings.port}").rstrip("/")
    stream = out or sys.stdout
    lines = [
        "",
        "Demo-accounts (wachtwoorden zijn bij elke demostart nieuw):",
        f"  Aanmelden op {base}/aanmelden",
    ]
    for a in found:
        line = f"  {a.role.label:<30} {a.email:<45} wachtwoord: {a.password}"
        if a.totp_secret:
            line += f"  TOTP-sleutel: {a.totp_secret}"
        lines.append(line)
    if any(a.totp_secret for a in found):
        lines.append(
            "  Met TOTP-sleutel: tweede factor verplicht. Zet de sleutel in een authenticator-app, of toon "
            "de code met:"
        )
        lines.append(
            '    .venv/bin/python -c "import pyotp, sys; print(pyotp.TOTP(sys.argv[1]).now())" SLEUTEL'
        )
    if not settings.smtp_host:
        lines.append(
            "E-mails (ondertekeningslinks) worden in deze demo hier in de console getoond, niet verstuurd."
        )
    print("\n".join(lines), file=stream, flush=True)
