"""The permission table: which role may do what. Deny by default.

Two declarative tables, one place:

``PERMISSIONS``  permission key -> the roles that hold it (and a Dutch description).
``ROUTES``       (method, path) -> permission key, for every route of the app whose handler does not
                 declare its permission itself with ``Depends(require("..."))``. ``PUBLIC`` marks the
                 few routes anybody may reach (health, sign-in, a signing link, which carries its own
                 token).

Each permission also says what it reaches (``scope``): the agreements an account is granted (tenancy:
``service.accounts.tenancy``, enforced in each handler), its own organisation's accounts, its own
account, or the instance. ``tests/service/test_permissions.py`` replays every agreement-scoped route
against an agreement the account is not granted.

The guard (``service.accounts.guard``) runs before every route. A route that is in neither place is
refused for everybody; ``tests/service/test_permissions.py`` enumerates ``app.routes`` and fails when a
route has no entry, then checks every route against every role.
"""

from __future__ import annotations

from dataclasses import dataclass

from service.accounts.roles import Role

PUBLIC = "openbaar"

P, C, W, B = Role.PRIVACYFUNCTIONARIS, Role.COORDINATOR, Role.WIJKAGENT, Role.BEHEERDER


# What a permission reaches, for the roles that hold it (tenancy, service/accounts/tenancy.py):
AGREEMENT = "overeenkomst"  # only agreements the account is granted (wijkagent: and designated for)
ORGANISATION = "organisatie"  # only accounts of the account's own organisation
OWN = "eigen"  # only the account itself
INSTANCE = "instantie"  # instance-wide, holds no agreement's data (the dossier JSON Schema)
# The audit log is scoped per entry (service/accounts/audit_scope.py): a privacy officer reads the entries
# of her agreements, a beheerder the instance-wide entries of her organisation.
SCOPES = (AGREEMENT, ORGANISATION, OWN, INSTANCE)


@dataclass(frozen=True)
class Permission:
    key: str
    description: str
    roles: frozenset[Role]
    scope: str = AGREEMENT


def _p(key: str, description: str, *roles: Role, scope: str = AGREEMENT) -> Permission:
    assert scope in SCOPES
    return Permission(key, description, frozenset(roles), scope)


PERMISSIONS: dict[str, Permission] = {
    p.key: p
    for p in (
        _p("account.eigen", "Eigen account: start, afmelden, eigen API-sleutels", P, C, W, B, scope=OWN),
        _p(
            "accounts.beheren",
            "Accounts van de eigen organisatie aanmaken, blokkeren en toegang geven tot overeenkomsten",
            B,
            scope=ORGANISATION,
        ),
        _p("dossiers.lezen", "Dossiers, consistentierapport en documenten inzien en downloaden", P, C),
        _p("dossiers.beheren", "Dossiers uploaden en vervangen", P),
        _p(
            "dossiers.opstellen",
            "Dossiers opstellen en wijzigen in de editor, uit Word importeren, nieuwe versies maken",
            P,
            B,
        ),
        _p("ondertekening.status", "Status van de ondertekening per ondertekenaar inzien", P, C),
        _p(
            "ondertekening.versturen",
            "Overeenkomst ter ondertekening versturen, herinneren, links intrekken",
            P,
        ),
        _p(
            "ondertekening.bevestigen",
            "Een handtekening met een eigen certificaat op een andere naam bevestigen of afwijzen",
            P,
        ),
        _p("handtekeningen.plaatsen", "Een handtekening plaatsen namens de dienst (API)", P),
        _p("vergaderingen.lezen", "Wijkoverleggen en deelnemers inzien", P, C, W),
        _p(
            "vergaderingen.beheren",
            "Wijkoverleggen plannen, deelnemers toevoegen, agendadeelnemers uitnodigen",
            C,
        ),
        _p("vergaderingen.toets", "De vergadertoets uitvoeren en als PDF downloaden", P, C, W),
        _p("verklaringen.beheren", "Geheimhoudingsverklaringen registreren (API)", C),
        _p("verstrekkingen.lezen", "Het verstrekkingenlog inzien", P, W),
        _p("verstrekkingen.vastleggen", "Een verstrekking van politiegegevens vastleggen", W),
        _p("register.lezen", "Het autorisatieregister inzien", P),
        _p(
            "audit.lezen",
            "Het auditlog inzien en de hashketen controleren (privacyfunctionaris: de regels van haar "
            "overeenkomsten; beheerder: de regels van de instantie die geen overeenkomst betreffen)",
            P,
            B,
        ),
    )
}

# Routes that do not declare their permission with ``require``. Keys: (HTTP method, path template).
ROUTES: dict[tuple[str, str], str] = {
    ("GET", "/health"): PUBLIC,
    ("GET", "/openapi.json"): PUBLIC,
    ("GET", "/docs"): PUBLIC,
    ("GET", "/docs/oauth2-redirect"): PUBLIC,
    ("GET", "/redoc"): PUBLIC,
}


def permission(key: str) -> Permission:
    try:
        return PERMISSIONS[key]
    except KeyError:
        raise KeyError(
            f"onbekende permissie '{key}' (niet in service.accounts.permissions.PERMISSIONS)"
        ) from None


def allowed(role: Role, key: str) -> bool:
    """Pure: does ``role`` hold permission ``key``? Unknown keys are refused."""
    p = PERMISSIONS.get(key)
    return p is not None and role in p.roles


def check_tables() -> None:
    """Fail loudly at start-up when ``ROUTES`` names a permission that does not exist."""
    unknown = sorted({k for k in ROUTES.values() if k != PUBLIC and k not in PERMISSIONS})
    if unknown:
        raise RuntimeError(f"ROUTES noemt onbekende permissies: {', '.join(unknown)}")
