"""Factories for test dossiers: a small, complete and *clean* dossier (the consistency check finds nothing in
it), as plain data, so a test changes exactly the one thing it is about and validates the result.

    data = dossier_data()
    party_data(data, "woonstichting")["signatories"] = []
    dossier = make_dossier(data)

Shared by the template tests (check, numbering, rendering).
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from templates.dossier.model import Dossier

SIGNED = date(2019, 3, 1)

_BASE: dict[str, Any] = {
    "schema_version": 2,
    "id": "testdorp",
    "title": "Samenwerkingsovereenkomst Wijkzaken Testdorp",
    "kind": "samenwerkingsovereenkomst",
    "municipality": "Testdorp",
    "cooperation": "Wijkoverleg Testdorp",
    "period_label": "2019 – 2022",
    "signing": {"date": SIGNED, "place": "Testdorp"},
    "term": {"start": SIGNED, "duration_years": 3},
    "laws": ["AVG", "UAVG", "Wpg"],
    # A small but complete legal model: every key it cites is an article of the privacyregeling above.
    "legal": {
        "roles": [
            {"key": "professional", "label": "professional van een partner", "source": ["doel"]},
            {"key": "wijkagent", "label": "wijkagent", "source": ["doel"]},
            {"key": "agendadeelnemer", "label": "agendadeelnemer", "of_party": False, "source": ["doel"]},
        ],
        "grounds": [
            {"key": "wpg-20", "kind": "wpg", "label": "artikel 20 Wpg", "source": ["doel"]},
            {"key": "publieke-taak", "kind": "avg", "label": "AVG art. 6 lid 1 onder e", "source": ["doel"]},
        ],
        "conditions": [
            {"key": "besluit", "kind": "besluit", "text": "een geldend besluit", "source": ["doel"]},
            {
                "key": "verklaring",
                "kind": "verklaring",
                "text": "een ondertekende verklaring",
                "roles": ["agendadeelnemer"],
                "source": ["geheimhoudingsverklaring"],
            },
        ],
        "flows": [
            {
                "key": "politie",
                "data": "politiegegevens",
                "from_roles": ["wijkagent"],
                "to_roles": ["professional"],
                "to_parties": "besluit",
                "grounds": ["wpg-20"],
                "conditions": ["besluit"],
                "source": ["doel"],
            },
            {
                "key": "persoonsgegevens",
                "data": "persoonsgegevens",
                "from_roles": ["professional", "wijkagent"],
                "to_roles": ["professional", "wijkagent", "agendadeelnemer"],
                "grounds": ["publieke-taak"],
                "conditions": ["verklaring"],
                "source": ["informeren"],
            },
        ],
        "term": {
            "kind": "verlenging_na_evaluatie",
            "source": ["doel"],
            "evaluation": {"window_months": 6, "source": ["doel"]},
        },
        "retention": {"years": 5, "source": ["doel"]},
        "besluit": {"runs_from": "besluit", "term_source": ["doel"]},
    },
    "parties": [
        {
            "key": "gemeente",
            "name": "Gemeente Testdorp",
            "kind": "gemeente",
            "description": "de onderdelen Sociaal Team en Toezicht",
            "represented_by": "de burgemeester",
            "signatories": [
                {
                    "key": "burgemeester",
                    "name": "Drs. A. Jansen",
                    "function": "Burgemeester",
                    "email": "burgemeester@testdorp.example.nl",
                },
            ],
        },
        {
            "key": "politie",
            "name": "Politie Midden-Nederland",
            "kind": "politie",
            "represented_by": "de politiechef",
            "signatories": [
                {
                    "key": "teamchef",
                    "name": "B. de Vries",
                    "function": "Teamchef",
                    "capacity": "mandaat",
                    "mandate": "mandaat-teamchef",
                    "email": "teamchef@politie.example.nl",
                    "on_behalf_of": "De politiechef van de eenheid Midden-Nederland, Mw. drs. M. Barendse",
                },
            ],
        },
        {
            "key": "woonstichting",
            "name": "Woonstichting Het Dak",
            "kind": "woningcorporatie",
            "represented_by": "de directeur-bestuurder",
            "signatories": [
                {
                    "key": "directeur-dak",
                    "name": "C. Pieters",
                    "function": "Directeur-bestuurder",
                    "email": "directie@hetdak.example.nl",
                },
            ],
        },
    ],
    "footnotes": {"avg": "Vanaf 25 mei 2018: de Algemene Verordening Gegevensbescherming."},
    "agreement": {
        "title": "Overeenkomst Wijkzaken Testdorp",
        "parts": [
            {"blocks": ["Het bevoegd gezag van:", {"generated": "partijen"}, "Hierna te noemen de partners"]},
            {
                "considerations": {
                    "items": [
                        "Dat [[partij:woonstichting]] woningen verhuurt in de wijk;",
                        "Dat de partners samenwerken.",
                    ],
                    "closing": "Maken de volgende afspraken.",
                }
            },
            {
                "blocks": [
                    "De partners zijn gebonden aan de privacyregeling die als [[ref:privacyregeling]] deel "
                    "uitmaakt van deze overeenkomst."
                ]
            },
            {"ondertekening": True},
        ],
    },
    "annexes": [
        {
            "key": "privacyregeling",
            "title": "Privacyregeling Wijkoverleg Testdorp",
            "body": {
                "title": "Privacyregeling Wijkoverleg Testdorp",
                "parts": [
                    {
                        "articles": [
                            {
                                "key": "doel",
                                "title": "Doel",
                                "blocks": [
                                    "Doel is de leefbaarheid in de wijk te bevorderen.[[voetnoot:avg]]"
                                ],
                            },
                            {
                                "key": "informeren",
                                "title": "Vooraf informeren",
                                "leden": [
                                    {
                                        "key": "informeren-vooraf",
                                        "text": "Een partner informeert de inwoner vooraf.",
                                    },
                                    {
                                        "key": "informeren-uitzonderingen",
                                        "text": "Het contact zoals beschreven in [[ref:informeren-vooraf]] "
                                        "kan achterwege blijven in verband met:",
                                        "items": [
                                            "de veiligheid van de Staat;",
                                            "de bescherming van de betrokkene.",
                                        ],
                                    },
                                ],
                            },
                            {
                                "key": "rechten",
                                "title": "Rechten van betrokkenen",
                                "leden": [
                                    "De verantwoordelijke kan rechten beperken in verband met de belangen "
                                    "zoals genoemd in [[ref:informeren-uitzonderingen]]."
                                ],
                            },
                        ]
                    },
                ],
            },
            "annexes": [
                {
                    "key": "geheimhoudingsverklaring",
                    "title": "Geheimhoudingsverklaring agendadeelnemer",
                    "declaration": True,
                },
            ],
        },
    ],
    "budget": {
        "per_year": "1000.00",
        "years": 2,
        "reference_year": 2018,
        "groups": [
            {
                "label": "Vaste kosten",
                "lines": [{"key": "vast", "label": "Vaste kosten", "amount": "500.00"}],
            },
            {
                "label": "Wijkinitiatieven",
                "lines": [
                    {"key": "wijkteams", "label": "Wijkteambudget", "quantity": 2, "unit_amount": "250.00"},
                    {"key": "projecten", "label": "Wijkprojecten", "remainder": True},
                ],
            },
        ],
    },
    "besluit": {
        "issuer": {
            "name": "Mw. drs. M. Barendse",
            "function": "De politiechef van de eenheid Midden-Nederland",
        },
        "eenheid": "Midden-Nederland",
        "date": date(2019, 2, 1),
        "place": "Utrecht",
        "recipients": ["gemeente", "woonstichting"],
        "categories": [
            {"key": "naw", "text": "Naam en adres;"},
            {"key": "contact", "text": "Contactgegevens."},
        ],
        "uses": [
            {"key": "zorg", "text": "het aanbieden van zorg;"},
            {"key": "overlast", "text": "het beëindigen van overlast."},
        ],
        "term_years": 4,
        "body": {
            "title": "Besluit gegevensverstrekking ingevolge artikel 20 Wpg",
            "parts": [
                {
                    "blocks": [
                        "Verstrekking in verband met de belangen van [[ref:doel]] beperkt zich tot:",
                        {"generated": "besluit.categorieen"},
                    ]
                }
            ],
        },
    },
    "mandates": [
        {
            "key": "mandaat-teamchef",
            "mandator": {
                "name": "Mevrouw drs. M. Barendse",
                "function": "De Politiechef Eenheid Midden-Nederland",
            },
            "mandatary": {"name": "Dhr. B. de Vries", "function": "teamchef"},
            "documents": ["overeenkomst"],
            "document_title": "Overeenkomst Wijkzaken Testdorp",
            "date": date(2019, 1, 15),
            "place": "Utrecht",
            "legal_basis": ["Gelet op de Algemene wet bestuursrecht;"],
        },
    ],
    "declaration": {
        "title": "Geheimhoudingsverklaring agendadeelnemer Wijkoverleg Testdorp",
        "grounds": [
            {"key": "toestemming", "label": "ondubbelzinnige toestemming inwoner"},
            {
                "key": "vitaal-belang",
                "label": "vitaal levens- of gezondheidsbelang van de inwoner of van een ander",
            },
        ],
        "body": {
            "title": "Geheimhoudingsverklaring agendadeelnemer Wijkoverleg Testdorp",
            "parts": [
                {
                    "blocks": [
                        "[[waarde:deelnemer.naam]] zal zich houden aan [[ref:privacyregeling]].",
                        "[[waarde:deelnemer.datum]]",
                    ]
                }
            ],
        },
    },
}


def dossier_data(**overrides: Any) -> dict[str, Any]:
    """A fresh deep copy of the clean test dossier as plain data; top-level fields may be replaced."""
    data = copy.deepcopy(_BASE)
    data.update(copy.deepcopy(overrides))
    return data


def make_dossier(data: dict[str, Any] | None = None, **overrides: Any) -> Dossier:
    """Validate ``data`` (default: the clean test dossier) into a ``Dossier``."""
    return Dossier.model_validate(data if data is not None else dossier_data(**overrides))


def party_data(data: dict[str, Any], key: str) -> dict[str, Any]:
    """The party with ``key`` in ``data`` (to change in place)."""
    return next(p for p in data["parties"] if p["key"] == key)


def signatory_data(data: dict[str, Any], key: str) -> dict[str, Any]:
    """The signatory with ``key`` in ``data`` (to change in place)."""
    return next(s for p in data["parties"] for s in p["signatories"] if s["key"] == key)


def privacy_articles(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The articles of the privacyregeling (bijlage 1) in ``data`` (to change in place)."""
    articles: list[dict[str, Any]] = data["annexes"][0]["body"]["parts"][0]["articles"]
    return articles
