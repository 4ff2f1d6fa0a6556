from datetime import date

import pytest
from sqlmodel import select

from registry.agreements import revoke_besluit
from registry.errors import NotInRegistry, Refused
from registry.models import AuditEntry, Provision
from registry.provisions import ProvisionInput, list_provisions, provisions_csv, record_provision
from registry.session import AuditedSession
from templates.dossier.model import Dossier


def _input(dossier: Dossier, **kw: object) -> ProvisionInput:
    values: dict[str, object] = dict(
        agreement=dossier.id,
        provider="wijkagent",
        recipient="woongoed",
        provided_on=date(2019, 5, 1),
        reason="ernstige overlast Dorpsstraat",
        category="d",
        purposes=("overlast",),
        content_summary="twee meldingen geluidsoverlast",
    )
    values.update(kw)
    return ProvisionInput(**values)  # type: ignore[arg-type]


def _counts(session: AuditedSession) -> tuple[int, int]:
    return len(session.exec(select(Provision)).all()), len(session.exec(select(AuditEntry)).all())


def test_wijkagent_records_provision_with_every_field(
    zeist_registry: AuditedSession, zeist_dossier: Dossier
) -> None:
    view = record_provision(zeist_registry, _input(zeist_dossier), recorded_by="w.agent@example.nl")
    zeist_registry.commit()
    assert view.besluit == "besluit-art20" and view.recipient == "Wendy Woongoed" and view.category == "d"
    assert view.article == "artikel 3 van het besluit"
    listed = list_provisions(zeist_registry, zeist_dossier.id)
    assert [v.id for v in listed] == [view.id]
    csv_text = provisions_csv(listed)
    assert "Wendy Woongoed" in csv_text and "ernstige overlast" in csv_text


def test_substitute_may_record_while_designated(
    zeist_registry: AuditedSession, zeist_dossier: Dossier
) -> None:
    record_provision(zeist_registry, _input(zeist_dossier, provider="vervanger"), recorded_by="v")
    zeist_registry.commit()


@pytest.mark.parametrize(
    ("overrides", "field", "fragment"),
    [
        ({"provider": "woongoed"}, "provider", "geen wijkagent of vervanger van de wijkagent"),
        ({"recipient": "huisarts"}, "recipient", "agendadeelnemer"),
        ({"recipient": "meander"}, "recipient", "geëindigd"),
        ({"category": "f"}, "category", "valt niet onder het besluit"),
        ({"provided_on": date(2021, 7, 1)}, "besluit", "verlopen"),
        ({"provider": "vervanger", "provided_on": date(2020, 1, 6)}, "provider", "geëindigd"),
    ],
)
def test_refused_provisions_store_nothing(
    zeist_registry: AuditedSession,
    zeist_dossier: Dossier,
    overrides: dict[str, object],
    field: str,
    fragment: str,
) -> None:
    before = _counts(zeist_registry)
    with pytest.raises(Refused) as info:
        record_provision(zeist_registry, _input(zeist_dossier, **overrides), recorded_by="x")
    zeist_registry.rollback()
    assert any(p["pad"] == field and fragment in p["melding"] for p in info.value.problems), (
        info.value.problems
    )
    assert all(p.get("artikel") for p in info.value.problems)
    assert info.value.message.startswith("Verstrekking geweigerd")
    assert _counts(zeist_registry) == before


def test_revoked_besluit_refuses_provision(zeist_registry: AuditedSession, zeist_dossier: Dossier) -> None:
    revoke_besluit(zeist_registry, zeist_dossier.id, "besluit-art20", date(2019, 3, 1), "ingetrokken")
    zeist_registry.commit()
    with pytest.raises(Refused) as info:
        record_provision(zeist_registry, _input(zeist_dossier), recorded_by="x")
    assert "ingetrokken" in info.value.message and "artikel 6 van het besluit" in (info.value.article or "")


def test_unknown_recipient_is_reported(zeist_registry: AuditedSession, zeist_dossier: Dossier) -> None:
    with pytest.raises(NotInRegistry):
        record_provision(
            zeist_registry, _input(zeist_dossier, recipient="niemand@example.nl"), recorded_by="x"
        )
