from datetime import date

import pytest

from registry.agreements import agreement_status, record_evaluation, record_objection, renew
from registry.errors import RenewalRefused
from registry.session import AuditedSession
from registry.sync import get_agreement, sync_dossier
from templates.dossier.model import Dossier


def test_renewal_without_evaluation_refused_then_allowed(
    zeist_registry: AuditedSession, zeist_dossier: Dossier
) -> None:
    with pytest.raises(RenewalRefused) as info:
        renew(zeist_registry, zeist_dossier.id, date(2021, 5, 1))
    assert "schriftelijke evaluatie" in info.value.message and "artikel 6 van het besluit" in (
        info.value.article or ""
    )
    record_evaluation(zeist_registry, zeist_dossier.id, date(2021, 4, 15), "evaluatie-2021.pdf")
    answer = renew(zeist_registry, zeist_dossier.id, date(2021, 5, 1))
    zeist_registry.commit()
    assert answer.until == date(2024, 6, 13)
    agreement = get_agreement(zeist_registry, zeist_dossier.id)
    assert agreement_status(zeist_registry, agreement, date(2022, 1, 1)).allowed


def test_amsterdam_tacit_renewal_and_majority_objection(
    db_session: AuditedSession, amsterdam_dossier: Dossier
) -> None:
    agreement = sync_dossier(db_session, amsterdam_dossier)
    db_session.commit()
    assert agreement_status(db_session, agreement, date(2019, 6, 1)).allowed  # renewed tacitly each year
    parties = [p.key for p in amsterdam_dossier.parties]
    for key in parties[: len(parties) // 2 + 1]:
        record_objection(db_session, amsterdam_dossier.id, key, date(2019, 10, 1))
    db_session.commit()
    status = agreement_status(db_session, agreement, date(2019, 12, 15))
    assert (
        not status.allowed and "meerderheid" in status.reason and "artikel 32, eerste lid" in status.article
    )
