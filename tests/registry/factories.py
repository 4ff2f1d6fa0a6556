"""Factories for dossier model objects used by the registry tests (plain values, no database)."""

from __future__ import annotations

from datetime import date

from templates.dossier.model import Mandate, Official, Party, Signatory


def politie_party(signatories: list[Signatory] | None = None) -> Party:
    return Party(
        key="politie",
        name="Politie Midden-Nederland",
        kind="politie",
        represented_by="de teamchef",
        signatories=signatories or [],
    )


def bogerd(capacity: str = "mandaat", mandate: str | None = "mandaat-bogerd") -> Signatory:
    return Signatory(
        key="bogerd",
        name="J.D. Bogerd",
        function="Teamchef",
        capacity=capacity,
        mandate=mandate,  # type: ignore[arg-type]
    )


def barendse_mandate(
    *, documents: list[str] | None = None, on: date = date(2018, 4, 11), until: date | None = None
) -> Mandate:
    return Mandate(
        key="mandaat-bogerd",
        mandator=Official(name="Mw. drs. M.H.C. Barendse", function="Politiechef Eenheid Midden-Nederland"),
        mandatary=Official(name="J.D. Bogerd", function="Teamchef district Oost-Utrecht"),
        documents=documents or ["overeenkomst"],
        document_title="Overeenkomst Wijkgericht Werken Zeist",
        date=on,
        valid_until=until,
        place="Utrecht",
    )


# --- facts for the access and term rules -------------------------------------------------------------------
from functools import cache  # noqa: E402
from pathlib import Path  # noqa: E402

import yaml  # noqa: E402

from registry.rules import (  # noqa: E402
    AgreementFacts,
    BesluitFacts,
    DeclarationFacts,
    DesignationFacts,
    LegalFacts,
    PersonFacts,
)
from registry.sync import legal_facts  # noqa: E402
from templates.dossier.model import Dossier  # noqa: E402

ZEIST_START = date(2018, 6, 14)
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@cache
def example(name: str) -> Dossier:
    return Dossier.model_validate(yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text("utf-8")))


@cache
def example_legal(name: str) -> LegalFacts:
    """The legal model of an example dossier with its citations, as the registry stores it on sync."""
    return legal_facts(example(name))


def zeist_agreement(**kw: object) -> AgreementFacts:
    values: dict[str, object] = dict(
        key="zeist",
        title="Samenwerkingsovereenkomst Wijkgericht Werken Zeist",
        term_start=ZEIST_START,
        term_end=date(2021, 6, 13),
        legal=example_legal("zeist"),
        parties=("gemeente", "politie", "rkwbv", "meander", "woongoed"),
    )
    values.update(kw)
    return AgreementFacts(**values)  # type: ignore[arg-type]


def amsterdam_agreement(**kw: object) -> AgreementFacts:
    values: dict[str, object] = dict(
        key="amsterdam",
        title="Convenant Meldpunt Zorg en Woonoverlast",
        term_start=date(2015, 12, 1),
        term_end=date(2016, 11, 30),
        legal=example_legal("amsterdam"),
        parties=("gemeente", "politie", "ymere", "eigen-haard", "ggz-ingeest"),
    )
    values.update(kw)
    return AgreementFacts(**values)  # type: ignore[arg-type]


def zeist_besluit(**kw: object) -> BesluitFacts:
    values: dict[str, object] = dict(
        key="besluit-art20",
        title="Besluit gegevensverstrekking",
        decided_on=date(2018, 3, 28),
        in_force_from=date(2018, 3, 28),
        in_force_until=date(2021, 6, 13),
        recipients=("gemeente", "woongoed", "rkwbv", "meander"),
        categories=("a", "b", "c", "d", "e"),
        uses=("zorg", "overlast", "opsporing", "openbare-orde"),
    )
    values.update(kw)
    return BesluitFacts(**values)  # type: ignore[arg-type]


def person(
    name: str,
    role: str,
    party: str | None,
    start: date = ZEIST_START,
    until: date | None = None,
    declarations: tuple[DeclarationFacts, ...] = (),
    designated_by: str | None = None,
) -> PersonFacts:
    return PersonFacts(name, (DesignationFacts(role, party, start, until, designated_by),), declarations)
