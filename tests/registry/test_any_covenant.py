"""Any covenant: every answer of the registry cites the dossier's own numbering (issue 9).

For each of the three example dossiers (Zeist, Amsterdam, the Zorg- en Veiligheidshuis), with its example
people: the meeting check, the authorisation register, the provision log, the warnings and the term answers
are collected; then an article is inserted at the front of every numbered text of the dossier and a bijlage
before the first one, the dossier is synced again, and every citation in every answer must have shifted
with it — "artikel 7" becoming "artikel 8", "bijlage 1.a" becoming "bijlage 2.a" — and nothing else changed.
"""

from __future__ import annotations

import copy
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from registry.agreements import agreement_status
from registry.meetings import check_meeting
from registry.provisions import ProvisionInput, list_provisions, record_provision
from registry.register import authorisation_register
from registry.repository import agreement_facts, term_events
from registry.rules import may_renew
from registry.session import AuditedSession
from registry.sync import get_agreement, load_people, sync_dossier
from registry.warnings import upcoming_endings
from templates.dossier.model import Dossier

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = {
    # dossier, its meeting, a provision to record (police data under a besluit), the reference date
    "zeist": (
        "wijkoverleg-centrum-2018-10-16",
        ("wijkagent-centrum", "woonconsulent-rkwbv"),
        date(2018, 10, 16),
    ),
    "amsterdam": ("klein-overleg-oost-2016-02-09", None, date(2016, 2, 9)),
    "veiligheidshuis": ("casusoverleg-2020-05-12", None, date(2020, 5, 12)),
}
CITATION = re.compile(r"\b(artikel|bijlage) (\d+)(?=[,.; )]|$)(?! Wpg)")


def _data(name: str) -> dict[str, Any]:
    return yaml.safe_load((ROOT / "examples" / f"{name}.yaml").read_text("utf-8"))


def _new_article(key: str) -> dict[str, Any]:
    return {"key": key, "title": "Nieuw artikel", "leden": ["Een nieuw eerste artikel."]}


def _insert_in_body(body: dict[str, Any], key: str) -> bool:
    for part in body.get("parts", []):
        if part.get("articles"):
            part["articles"].insert(0, _new_article(key))
            return True
        if part.get("chapters"):
            part["chapters"][0]["articles"].insert(0, _new_article(key))
            return True
    return False


def with_article_in_front(data: dict[str, Any]) -> dict[str, Any]:
    """The dossier with a new first article in every text that has articles, and a new first bijlage."""
    out = copy.deepcopy(data)
    bodies = [out["agreement"]]
    for annex in out.get("annexes", []):
        if annex.get("body"):
            bodies.append(annex["body"])
        bodies += [sub["body"] for sub in annex.get("annexes", []) if sub.get("body")]
    if out.get("besluit"):
        bodies.append(out["besluit"]["body"])
    if out.get("declaration"):
        bodies.append(out["declaration"]["body"])
    inserted = [_insert_in_body(body, f"nieuw-artikel-{i}") for i, body in enumerate(bodies)]
    assert any(inserted)
    out["annexes"] = [
        {
            "key": "nieuwe-bijlage",
            "title": "Nieuwe bijlage",
            "body": {"title": "Nieuwe bijlage", "parts": [{"blocks": ["Een nieuwe eerste bijlage."]}]},
        },
        *out.get("annexes", []),
    ]
    return out


def shifted(text: str) -> str:
    return CITATION.sub(lambda m: f"{m.group(1)} {int(m.group(2)) + 1}", text)


def answers(session: AuditedSession, key: str, meeting: str, on: date) -> list[str]:
    """Every citation the registry gives for this agreement: articles of every answer, and the warnings
    (which quote their article)."""
    out: list[str] = []
    check = check_meeting(session, meeting)
    out += [check.term.article, check.besluit.article, *check.warnings]
    for a in check.attendees:
        for answer in (a.police, a.personal):
            out += [answer.article, *answer.warnings]
    register = authorisation_register(session, key, on)
    out.append(register.article)
    for row in register.rows:
        out += [row.police.article, row.personal.article]
        if row.provides_police is not None:
            out.append(row.provides_police.article)
    out += [v.article for v in list_provisions(session, key)]
    out += [u.article for u in upcoming_endings(session, key, on, days=3 * 366)]
    agreement = get_agreement(session, key)
    assert agreement.id is not None
    status = agreement_status(session, agreement, on)
    renew = may_renew(agreement_facts(session, agreement), term_events(session, agreement.id), on)
    out += [status.article, *status.warnings, renew.article]
    return out


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_every_citation_shifts_with_an_article_inserted_at_the_front(
    db_session: AuditedSession, name: str
) -> None:
    meeting, provision, on = EXAMPLES[name]
    data = _data(name)
    dossier = Dossier.model_validate(data)
    sync_dossier(db_session, dossier)
    people = yaml.safe_load((ROOT / "examples" / "people" / f"{name}.yaml").read_text("utf-8"))
    load_people(db_session, people, dossier.id)
    if provision is not None:
        provider, recipient = provision
        record_provision(
            db_session,
            ProvisionInput(
                dossier.id, provider, recipient, on, "overlast", "d", "melding", purposes=("overlast",)
            ),
            recorded_by="test",
        )
    db_session.flush()
    before = answers(db_session, dossier.id, meeting, on)

    sync_dossier(db_session, Dossier.model_validate(with_article_in_front(data)))
    db_session.flush()
    after = answers(db_session, dossier.id, meeting, on)

    cited = [b for b in before if CITATION.search(b)]
    assert len(cited) >= 20, before  # the answers cite articles at all
    assert len(after) == len(before)
    for old, new in zip(before, after, strict=True):
        assert new == shifted(old), (old, new)
    assert all(new != old for old, new in zip(before, after, strict=True) if CITATION.search(old))


def test_shifting_is_not_vacuous() -> None:
    assert shifted("artikel 7, tweede lid, van bijlage 1; artikel 6 van het besluit") == (
        "artikel 8, tweede lid, van bijlage 2; artikel 7 van het besluit"
    )
    assert shifted("bijlage 1.a") == "bijlage 2.a"
    assert shifted("het besluit ex artikel 20 Wpg") == "het besluit ex artikel 20 Wpg"


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_each_example_cites_its_own_articles(db_session: AuditedSession, name: str) -> None:
    """Each dossier's answers cite articles that exist in that dossier's own text (not another's)."""
    from templates.dossier.citation import citations

    meeting, _, on = EXAMPLES[name]
    dossier = Dossier.model_validate(_data(name))
    sync_dossier(db_session, dossier)
    load_people(
        db_session,
        yaml.safe_load((ROOT / "examples" / "people" / f"{name}.yaml").read_text("utf-8")),
        dossier.id,
    )
    own = set(citations(dossier, dossier.legal.cited_keys()).values())
    for text in answers(db_session, dossier.id, meeting, on):
        for part in re.findall(r"(?:artikel|bijlage) \d[^;()]*", text):
            part = part.strip().rstrip(".")
            if "Wpg" in part:
                continue
            assert any(part == c or c.startswith(part) for c in own), (name, part)
