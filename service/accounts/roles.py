"""Staff roles. The value is what is stored; the label is what a user reads."""

from __future__ import annotations

from enum import StrEnum

from service.accounts.errors import InvalidAccountInput


class Role(StrEnum):
    PRIVACYFUNCTIONARIS = "privacyfunctionaris"
    COORDINATOR = "coordinator"
    WIJKAGENT = "wijkagent"
    BEHEERDER = "beheerder"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS: dict[Role, str] = {
    Role.PRIVACYFUNCTIONARIS: "Privacyfunctionaris / jurist",
    Role.COORDINATOR: "Coördinator (wijkmanager)",
    Role.WIJKAGENT: "Wijkagent (politie)",
    Role.BEHEERDER: "Beheerder",
}


def parse_role(value: str) -> Role:
    """Accept the stored value and the Dutch spelling with a diaeresis (``coördinator``)."""
    normalised = value.strip().lower().replace("ö", "o")
    try:
        return Role(normalised)
    except ValueError:
        allowed = ", ".join(r.value for r in Role)
        raise InvalidAccountInput(
            f"rol: '{value}' is geen bekende rol (kies uit: {allowed})", field="rol"
        ) from None
