"""Which article each rule rests on, per kind of text (Zeist overeenkomst vs Amsterdam convenant).

The Zeist set has a privacyregeling (bijlage 1), a geheimhoudingsverklaring (bijlage 1.a) and a separate
Besluit ex art. 20 Wpg with numbered paragraphs (§1–§6). The Amsterdam convenant has the rules in its own
articles and attaches the art. 20 Wpg besluit (art. 22 lid 2).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Citations:
    police_recipient: str
    police_never_agendadeelnemer: str
    police_provider: str
    provision_record: str
    besluit_revoked: str
    besluit_term: str
    personal_partner: str
    personal_agendadeelnemer: str
    designation: str
    term: str
    renewal: str
    register: str
    audit: str
    withdrawal: str


ZEIST = Citations(
    police_recipient="Besluit art. 20 Wpg §3 en §4; privacyregeling art. 7 lid 1 en 2",
    police_never_agendadeelnemer=(
        "Besluit art. 20 Wpg §4 ('niet zijnde agendadeelnemers'); privacyregeling art. 11 lid 1"
    ),
    police_provider="Besluit art. 20 Wpg §3; privacyregeling art. 7 lid 7",
    provision_record=(
        "Besluit art. 20 Wpg §3 (vastlegging: besluit, datum, reden, inhoud, ontvanger); §4 (categorieën)"
    ),
    besluit_revoked="Besluit art. 20 Wpg §6 (intrekking); privacyregeling art. 14 lid 4",
    besluit_term="Besluit art. 20 Wpg §6 (looptijd)",
    personal_partner="privacyregeling art. 6 lid 1 en art. 10",
    personal_agendadeelnemer="privacyregeling art. 11 lid 2; bijlage 1.a (geheimhoudingsverklaring)",
    designation="privacyregeling art. 1 (partner, professional, agendadeelnemer) en art. 3 lid 1",
    term="privacyregeling art. 14 lid 1; Besluit art. 20 Wpg §6",
    renewal=(
        "Besluit art. 20 Wpg §6 (verlenging na schriftelijke evaluatie); privacyregeling art. 14 lid 1 en 2"
    ),
    register="privacyregeling art. 4 lid 2",
    audit="privacyregeling art. 4 lid 1 onder c",
    withdrawal="privacyregeling art. 1 ('partner': organisatie die de overeenkomst heeft ondertekend)",
)

AMSTERDAM = Citations(
    police_recipient="convenant art. 22 lid 2 en art. 24 lid 3 (besluit art. 20 Wpg); art. 25 lid 6",
    police_never_agendadeelnemer=(
        "convenant art. 25 lid 1 en lid 6 (politiegegevens alleen aan bevoegde medewerkers van partijen)"
    ),
    police_provider=(
        "convenant art. 25 lid 6 en art. 5 lid 1 (de wijkagent); besluit art. 20 Wpg (art. 22 lid 2)"
    ),
    provision_record="besluit art. 20 Wpg (bijlage bij convenant art. 22 lid 2); convenant art. 26 lid 3",
    besluit_revoked="besluit art. 20 Wpg (bijlage bij convenant art. 22 lid 2): intrekking",
    besluit_term="besluit art. 20 Wpg (bijlage bij convenant art. 22 lid 2): looptijd",
    personal_partner="convenant art. 25 lid 1 en lid 2",
    personal_agendadeelnemer=(
        "convenant art. 12 lid 5, art. 19 lid 3 en art. 25 lid 5 (geheimhoudingsverklaring)"
    ),
    designation="convenant art. 25 lid 1 en 2; art. 12 lid 4",
    term="convenant art. 32 lid 1; art. 33",
    renewal="convenant art. 32 lid 1 (stilzwijgende verlenging, tenzij een meerderheid zich verzet)",
    register="convenant art. 12 lid 4 en art. 25 lid 2",
    audit="convenant art. 26 lid 3",
    withdrawal="convenant art. 32 lid 2 (tussentijdse beëindiging door een partij)",
)


def citations_for(kind: str) -> Citations:
    """The citations for an agreement of ``kind`` (``"convenant"`` → Amsterdam texts, else Zeist texts)."""
    return AMSTERDAM if kind == "convenant" else ZEIST
