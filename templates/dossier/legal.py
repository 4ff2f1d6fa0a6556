"""The legal model (rechtsmodel) of a covenant: what the text establishes, as data.

Every item points at the key(s) of the article, lid, onderdeel, bijlage or besluit paragraph that
establishes it (``source``); answers of the registry cite those keys in the dossier's own numbering.
Nothing here knows a particular covenant: roles, flows, grounds and conditions are declared per dossier.

- ``roles``: the roles the covenant defines (partner professional, wijkagent, agendadeelnemer, derde, ...);
  ``of_party`` says whether a person in the role acts for a party.
- ``grounds``: legal grounds (Wpg art. 16/18/19/20, Besluit politiegegevens, AVG art. 6, consent, a sector
  law).
- ``conditions``: what must hold before data flow (a designation, a signed declaration, a besluit in force,
  the recipient's party named in the besluit, attending the meeting, consent, "only in special cases").
- ``flows``: which data (politiegegevens, persoonsgegevens, bijzondere ...) go from which roles to which
  roles, for which purposes, on which grounds, under which conditions, until when.
- ``prohibitions``: data a role never receives ("nooit politiegegevens aan agendadeelnemers").
- ``term``: fixed, renewal after a written evaluation within a window, tacit renewal unless any / a majority
  of the remaining / all parties object, or indefinite with a notice period; accession and withdrawal.
- ``retention``: retention period and the term to answer a request for inzage.
- ``besluit``: what the besluit's term runs from (its own date or the cooperation), revocation, recording,
  special police data.
- ``authorisation_register`` / ``logging``: where the authorisation register and logging duties are
  established.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Key = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_.-]*$", max_length=80)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=4_000)]
Label = Annotated[str, StringConstraints(min_length=1, max_length=300, strip_whitespace=True)]
Sources = Annotated[
    list[Key],
    Field(
        min_length=1,
        description="Sleutels van de artikelen, leden, onderdelen, bijlagen of besluitparagrafen die dit "
        "vastleggen; antwoorden citeren ze in de nummering van het dossier.",
    ),
]

DataKind = Literal[
    "politiegegevens", "bijzondere_politiegegevens", "persoonsgegevens", "bijzondere_persoonsgegevens"
]
DATA_LABELS: dict[str, str] = {
    "politiegegevens": "politiegegevens",
    "bijzondere_politiegegevens": "bijzondere politiegegevens",
    "persoonsgegevens": "persoonsgegevens",
    "bijzondere_persoonsgegevens": "bijzondere persoonsgegevens",
}
GroundKind = Literal[
    "wpg",  # Wet politiegegevens (art. 16, 18, 19, 20, ...)
    "besluit_politiegegevens",  # Besluit politiegegevens
    "avg",  # AVG art. 6 lid 1 (c, e, f, ...), art. 9
    "toestemming",  # consent of the data subject
    "vitaal_belang",
    "sectorwet",  # Jeugdwet, Wmo 2015, Wet publieke gezondheid, Wgbo, ...
    "overig",
]
ConditionKind = Literal[
    "aanwijzing",  # designated by the party (or invited) in the role, on the date (always checked)
    "verklaring",  # a signed geheimhoudingsverklaring for this agreement, before receiving
    "besluit",  # a besluit (art. 20 Wpg) in force and not revoked
    "ontvanger_in_besluit",  # the recipient's party is named as recipient in the besluit
    "deelname_overleg",  # attends the meeting in this capacity
    "per_geval",  # to be weighed per case (consent, special cases, legal duty): stated, not checked
]
TermKind = Literal["vast", "verlenging_na_evaluatie", "stilzwijgend", "onbepaald"]
ObjectionRule = Literal["ieder", "meerderheid", "allen"]


class LegalItem(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Role(LegalItem):
    """A role the covenant defines, with its own definition."""

    key: Key
    label: Label
    definition: Text | None = None
    of_party: bool = Field(
        default=True, description="Een persoon in deze rol handelt voor een partij (anders: geen partij)."
    )
    source: Sources


class LegalGround(LegalItem):
    """A legal ground for processing or providing, e.g. artikel 20 Wpg or AVG art. 6 lid 1 onder e."""

    key: Key
    kind: GroundKind
    label: Text  # "artikel 20 Wpg (besluit van de politiechef)"
    source: Sources


class Condition(LegalItem):
    """A condition a flow depends on. ``roles``: the recipient roles it applies to (empty: all)."""

    key: Key
    kind: ConditionKind
    text: Text
    roles: list[Key] = Field(default_factory=list)
    source: Sources


class Purpose(LegalItem):
    key: Key
    text: Text
    source: Sources


class Flow(LegalItem):
    """Data that may flow from roles to roles, on grounds, under conditions, for purposes."""

    key: Key
    data: DataKind
    from_roles: list[Key] = Field(min_length=1)
    to_roles: list[Key] = Field(min_length=1)
    to_parties: list[Key] | Literal["besluit"] | None = Field(
        default=None,
        description="Alleen personen van deze partijen ('besluit': de ontvangers in het besluit); "
        "leeg: elke partij.",
    )
    categories: list[Key] = Field(
        default_factory=list,
        description="Categorieën (bij politiegegevens: die van het besluit); leeg: alle.",
    )
    purposes: list[Key] = Field(default_factory=list)
    grounds: list[Key] = Field(default_factory=list)
    conditions: list[Key] = Field(default_factory=list)
    until: dt.date | None = None
    source: Sources


class Prohibition(LegalItem):
    """Data that roles never receive, e.g. police data for agendadeelnemers."""

    key: Key
    data: DataKind
    roles: list[Key] = Field(min_length=1)
    text: Text
    source: Sources


class Evaluation(LegalItem):
    """A written evaluation: before a renewal (within ``window_months`` before the end), and/or periodically
    (``every_months``)."""

    window_months: int = Field(default=12, ge=1, le=120)
    every_months: int | None = Field(default=None, ge=1, le=120)
    source: Sources


class Withdrawal(LegalItem):
    notice_months: int = Field(default=0, ge=0, le=60)
    source: Sources


class TermRule(LegalItem):
    """How the agreement's term runs and ends (dates stay in ``Dossier.term``)."""

    kind: TermKind
    source: Sources
    renewal_years: int = Field(default=1, ge=1, le=10)
    evaluation: Evaluation | None = None
    objection: ObjectionRule | None = None  # tacit renewal: who may stop it
    objection_source: list[Key] = Field(default_factory=list)
    notice_months: int | None = Field(default=None, ge=0, le=60)  # indefinite: opzegtermijn
    accession: list[Key] = Field(default_factory=list, description="Toetreding: de bepalingen.")
    withdrawal: Withdrawal | None = None


class Retention(LegalItem):
    """Retention of personal data and the term to answer data-subject requests."""

    years: int = Field(ge=1, le=100)
    source: Sources
    inzage_weeks: int | None = Field(default=None, ge=1, le=52)
    inzage_source: list[Key] = Field(default_factory=list)


class BesluitRule(LegalItem):
    """What the besluit's term runs from, and where revocation, recording and special data are set."""

    runs_from: Literal["besluit", "samenwerking"]
    term_source: Sources
    revocation_source: list[Key] = Field(default_factory=list)
    recording_source: list[Key] = Field(default_factory=list)
    special_police_data: Literal["nooit", "aanvulling", "toegestaan"] = "nooit"
    special_source: list[Key] = Field(default_factory=list)
    cites_later_dates: bool = Field(
        default=False,
        description="Het besluit noemt bewust een datum ná zijn eigen datum (bv. de ondertekening).",
    )


class LegalModel(LegalItem):
    """What the covenant establishes; see the module docstring."""

    roles: list[Role] = Field(min_length=1)
    grounds: list[LegalGround] = Field(default_factory=list)
    conditions: list[Condition] = Field(default_factory=list)
    purposes: list[Purpose] = Field(default_factory=list)
    flows: list[Flow] = Field(default_factory=list)
    prohibitions: list[Prohibition] = Field(default_factory=list)
    term: TermRule
    retention: Retention | None = None
    besluit: BesluitRule | None = None
    authorisation_register: list[Key] = Field(
        default_factory=list, description="Plicht tot een autorisatieregister."
    )
    logging: list[Key] = Field(default_factory=list, description="Plicht tot logging van handelingen.")
    designation: list[Key] = Field(default_factory=list, description="Wie aanwijst/uitnodigt.")

    def role(self, key: str) -> Role | None:
        return next((r for r in self.roles if r.key == key), None)

    def ground(self, key: str) -> LegalGround | None:
        return next((g for g in self.grounds if g.key == key), None)

    def condition(self, key: str) -> Condition | None:
        return next((c for c in self.conditions if c.key == key), None)

    def cited_keys(self) -> list[str]:
        """Every key the model cites, in order, once."""
        keys: list[str] = []
        for items in (
            self.roles,
            self.grounds,
            self.conditions,
            self.purposes,
            self.flows,
            self.prohibitions,
        ):
            for item in items:
                keys += item.source
        t = self.term
        keys += t.source + t.objection_source + t.accession
        if t.evaluation:
            keys += t.evaluation.source
        if t.withdrawal:
            keys += t.withdrawal.source
        if self.retention:
            keys += self.retention.source + self.retention.inzage_source
        if self.besluit:
            b = self.besluit
            keys += b.term_source + b.revocation_source + b.recording_source + b.special_source
        keys += self.authorisation_register + self.logging + self.designation
        return list(dict.fromkeys(keys))


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` plus ``years`` calendar years; 29 February becomes 28 February in a common year."""
    return day + relativedelta(years=years)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months (the last day of a shorter month when needed)."""
    return day + relativedelta(months=months)


def besluit_period(
    besluit_date: dt.date, term_years: int, runs_from: str, agreement_start: dt.date
) -> tuple[dt.date, dt.date]:
    """(first day, last day) of a besluit: it applies from its own date; its ``term_years`` run from its own
    date (``runs_from`` "besluit") or from the start of the cooperation ("samenwerking"). The one computation
    used by the check, the registry and the documents."""
    start = besluit_date if runs_from == "besluit" else agreement_start
    return besluit_date, add_years(start, term_years) - dt.timedelta(days=1)


V1_TERM_KINDS = {"geen": "vast", "na_evaluatie": "verlenging_na_evaluatie", "stilzwijgend": "stilzwijgend"}


def draft_legal(
    source: str, kind: str = "vast", renewal_years: int = 1, objection: str | None = None
) -> dict[str, object]:
    """The smallest legal model a new or imported draft can carry (plain data): one role and the term rule,
    both citing ``source``. The check then asks for what is missing (flows, grounds, retention); the author
    completes it (docs/dossier.md, 'Het rechtsmodel')."""
    term: dict[str, object] = {"kind": kind, "source": [source], "renewal_years": renewal_years}
    if kind == "stilzwijgend":
        term["objection"] = objection or "meerderheid"
        term["objection_source"] = [source]
    return {
        "roles": [{"key": "deelnemer", "label": "deelnemer", "source": [source]}],
        "term": term,
    }
