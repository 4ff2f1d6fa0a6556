"""Completeness of a dossier's legal model: pure rules, each finding a ``Problem`` with the path of the field.

Errors (the registry would answer wrongly or not at all): a cited key that does not exist, a flow without a
legal ground, an unknown role, ground, condition, purpose, category or party, a duplicate key, tacit renewal
without who may object. Warnings (the author weighs them): no retention period, a flow that needs a besluit
while the dossier has none, renewal after evaluation without the evaluation's provision, an indefinite term
without a notice period.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from templates.dossier.citation import known_keys
from templates.dossier.model import Dossier
from templates.errors import Problem

ERROR = "fout"
WARNING = "waarschuwing"


def _sources(d: Dossier) -> Iterator[tuple[str, list[str]]]:
    """(path of a source list, the keys in it) for every citation in the model."""
    m = d.legal
    for name in ("roles", "grounds", "conditions", "purposes", "flows", "prohibitions"):
        for i, item in enumerate(getattr(m, name)):
            yield f"legal.{name}.{i}.source", item.source
    t = m.term
    yield "legal.term.source", t.source
    yield "legal.term.objection_source", t.objection_source
    yield "legal.term.accession", t.accession
    if t.evaluation:
        yield "legal.term.evaluation.source", t.evaluation.source
    if t.withdrawal:
        yield "legal.term.withdrawal.source", t.withdrawal.source
    if m.retention:
        yield "legal.retention.source", m.retention.source
        yield "legal.retention.inzage_source", m.retention.inzage_source
    if m.besluit:
        for name in ("term_source", "revocation_source", "recording_source", "special_source"):
            yield f"legal.besluit.{name}", getattr(m.besluit, name)
    yield "legal.authorisation_register", m.authorisation_register
    yield "legal.logging", m.logging
    yield "legal.designation", m.designation


def _unknown(path: str, values: Iterable[str], known: set[str], what: str, hint: str) -> Iterator[Problem]:
    for j, value in enumerate(values):
        if value not in known:
            yield Problem(
                f"{path}.{j}",
                f"{what} '{value}' bestaat niet in dit dossier (bekend: {hint or 'geen'})",
                ERROR,
                "rechtsmodel_onbekend",
            )


def _duplicates(d: Dossier) -> Iterator[Problem]:
    m = d.legal
    for name in ("roles", "grounds", "conditions", "purposes", "flows", "prohibitions"):
        seen: set[str] = set()
        for i, item in enumerate(getattr(m, name)):
            if item.key in seen:
                yield Problem(
                    f"legal.{name}.{i}.key",
                    f"de sleutel '{item.key}' komt al voor in legal.{name}; sleutels moeten uniek zijn",
                    ERROR,
                    "dubbele_sleutel",
                )
            seen.add(item.key)


def legal_problems(d: Dossier) -> list[Problem]:
    """Every completeness problem of ``d.legal``."""
    m = d.legal
    out: list[Problem] = list(_duplicates(d))
    keys = known_keys(d)
    for path, values in _sources(d):
        for j, key in enumerate(values):
            if key not in keys:
                hint = " (dit is een partij)" if d.party(key) else ""
                out.append(
                    Problem(
                        f"{path}.{j}",
                        f"de bepaling '{key}' bestaat niet in dit dossier{hint}: verwijs naar de sleutel van "
                        "een artikel, lid, onderdeel, bijlage of besluit",
                        ERROR,
                        "onbekende_bepaling",
                    )
                )
    roles = {r.key for r in m.roles}
    grounds = {g.key for g in m.grounds}
    conditions = {c.key for c in m.conditions}
    categories = {c.key for c in d.besluit.categories} if d.besluit else set()
    purposes = {p.key for p in m.purposes} | ({u.key for u in d.besluit.uses} if d.besluit else set())
    parties = {p.key for p in d.parties}
    role_hint = ", ".join(sorted(roles))
    for i, c in enumerate(m.conditions):
        out += _unknown(f"legal.conditions.{i}.roles", c.roles, roles, "de rol", role_hint)
    for i, p in enumerate(m.prohibitions):
        out += _unknown(f"legal.prohibitions.{i}.roles", p.roles, roles, "de rol", role_hint)
    for i, f in enumerate(m.flows):
        path = f"legal.flows.{i}"
        if not f.grounds:
            out.append(
                Problem(
                    f"{path}.grounds",
                    f"de gegevensstroom '{f.key}' noemt geen grondslag; zonder grondslag verstrekt het "
                    "register niets onder deze stroom — noem de grondslag (legal.grounds) en de bepaling die "
                    "haar geeft",
                    ERROR,
                    "stroom_zonder_grondslag",
                )
            )
        out += _unknown(f"{path}.from_roles", f.from_roles, roles, "de rol", role_hint)
        out += _unknown(f"{path}.to_roles", f.to_roles, roles, "de rol", role_hint)
        out += _unknown(f"{path}.grounds", f.grounds, grounds, "de grondslag", ", ".join(sorted(grounds)))
        out += _unknown(
            f"{path}.conditions", f.conditions, conditions, "de voorwaarde", ", ".join(sorted(conditions))
        )
        out += _unknown(f"{path}.purposes", f.purposes, purposes, "het doel", ", ".join(sorted(purposes)))
        if f.data.endswith("politiegegevens") and f.categories:
            out += _unknown(
                f"{path}.categories", f.categories, categories, "de categorie", ", ".join(sorted(categories))
            )
        if isinstance(f.to_parties, list):
            out += _unknown(f"{path}.to_parties", f.to_parties, parties, "de partij", "")
        needs_besluit = f.to_parties == "besluit" or any(
            c.kind in ("besluit", "ontvanger_in_besluit") for c in m.conditions if c.key in f.conditions
        )
        if needs_besluit and d.besluit is None:
            out.append(
                Problem(
                    path,
                    f"de gegevensstroom '{f.key}' vraagt een besluit, maar het dossier heeft geen besluit: "
                    "het register staat deze verstrekking niet toe tot het besluit is opgenomen",
                    WARNING,
                    "stroom_zonder_besluit",
                )
            )
    if any(c.kind == "verklaring" for c in m.conditions) and d.declaration is None:
        out.append(
            Problem(
                "legal.conditions",
                "een voorwaarde vraagt een ondertekende geheimhoudingsverklaring, maar het dossier heeft "
                "geen verklaring (declaration)",
                WARNING,
                "verklaring_ontbreekt",
            )
        )
    t = m.term
    if t.kind == "stilzwijgend" and t.objection is None:
        out.append(
            Problem(
                "legal.term.objection",
                "bij stilzwijgende verlenging hoort wie de verlenging kan tegenhouden: 'ieder' (één partij), "
                "'meerderheid' (van de overgebleven partijen) of 'allen'",
                ERROR,
                "looptijdregel_onvolledig",
            )
        )
    if t.kind == "verlenging_na_evaluatie" and t.evaluation is None:
        out.append(
            Problem(
                "legal.term.evaluation",
                "verlenging na evaluatie: geef de termijn vóór het einde waarin de schriftelijke evaluatie "
                "moet zijn gemaakt (window_months) en de bepaling die haar vraagt (source); nu geldt 12 "
                "maanden",
                WARNING,
                "looptijdregel_onvolledig",
            )
        )
    if t.kind == "onbepaald" and t.notice_months is None:
        out.append(
            Problem(
                "legal.term.notice_months",
                "een convenant voor onbepaalde tijd noemt meestal een opzegtermijn; geef notice_months",
                WARNING,
                "looptijdregel_onvolledig",
            )
        )
    if not m.flows:
        out.append(
            Problem(
                "legal.flows",
                "het rechtsmodel noemt geen gegevensstromen: het register staat dan geen enkele verstrekking "
                "toe — beschrijf welke gegevens van welke rollen naar welke rollen gaan, op welke grondslag",
                WARNING,
                "geen_gegevensstromen",
            )
        )
    if m.retention is None:
        out.append(
            Problem(
                "legal.retention",
                "het rechtsmodel noemt geen bewaartermijn; het register past dan de ingestelde termijn toe "
                "(CONVENANT_RETENTION_YEARS) zonder artikel",
                WARNING,
                "bewaartermijn_ontbreekt",
            )
        )
    return out
