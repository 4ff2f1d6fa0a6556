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
        key="bogerd", name="J.D. Bogerd", function="Teamchef", capacity=capacity, mandate=mandate  # type: ignore[arg-type]
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
