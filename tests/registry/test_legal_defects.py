"""The legal defects found when the example covenants were tested as a lawyer would (issue 9, point 6).
Each test failed before the legal model (see the issue) and passes now."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path

import pytest
import yaml
from sqlmodel import select

from registry.agreements import provisions_after_revocation, revoke_besluit
from registry.errors import Refused
from registry.meetings import check_attendees, check_meeting
from registry.models import BesluitRecord, Designation, Person, Provision
from registry.provisions import ProvisionInput, list_provisions, record_provision
from registry.register import authorisation_register
from registry.rules import Capacity, DesignationFacts, PersonFacts, may_receive_police_data
from registry.session import AuditedSession
from registry.sync import get_agreement, load_people, sync_dossier
from templates import check_dossier
from templates.dossier.model import Dossier
from templates.dossier.values import compute_value
from tests.registry.factories import ZEIST_START, zeist_agreement, zeist_besluit

ROOT = Path(__file__).resolve().parents[2]


def _provision(dossier: Dossier, **kw: object) -> ProvisionInput:
    values: dict[str, object] = dict(
        agreement=dossier.id,
        provider="wijkagent",
        recipient="coord",
        provided_on=date(2019, 5, 1),
        reason="ernstige overlast",
        category="d",
        content_summary="twee meldingen",
        purposes=("overlast",),
    )
    values.update(kw)
    return ProvisionInput(**values)  # type: ignore[arg-type]


# --- the Zeist besluit's end: one computation ------------------------------------------------------------
def test_the_besluit_ends_on_the_same_day_in_check_register_meeting_check_and_documents(
    zeist_registry: AuditedSession, zeist_dossier: Dossier
) -> None:
    # Before: the registry counted three years from the agreement's start (police data "ja" on 1 April
    # 2021), `convenant check` from the besluit's date (ended 28 March 2021). Now the dossier declares that
    # the three years run with the samenwerkingsverband (besluit §6), and every place computes the same day.
    assert compute_value("besluit.einde", zeist_dossier) == "13 juni 2021"
    assert not [p for p in check_dossier(zeist_dossier) if p.code == "besluit_eindigt_eerder"]
    record = zeist_registry.exec(select(BesluitRecord)).one()
    assert record.in_force_until == date(2021, 6, 13)
    on = date(2021, 4, 1)
    check = check_attendees(zeist_registry, get_agreement(zeist_registry, zeist_dossier.id), ["coord"], on)
    assert check.besluit.allowed and check.besluit.until == date(2021, 6, 13)
    assert check.attendees[0].police.allowed and check.attendees[0].police.until == date(2021, 6, 13)
    coord = next(
        r
        for r in authorisation_register(zeist_registry, zeist_dossier.id, on).rows
        if r.name.startswith("Carla")
    )
    assert coord.police.allowed and coord.police.until == date(2021, 6, 13)


# --- two designations; the capacity at a meeting ---------------------------------------------------------
def test_a_valid_designation_suffices_when_a_person_has_two() -> None:
    # Professional of a partner that is not a recipient (until 2025) and of one that is (until 2020): the
    # rules used to judge only the designation that lasted longest, and refused.
    person = PersonFacts(
        "Twee Petten",
        (
            DesignationFacts("professional", "sportclub", ZEIST_START, date(2025, 1, 1)),
            DesignationFacts("professional", "woongoed", ZEIST_START, date(2020, 1, 31)),
        ),
    )
    answer = may_receive_police_data(person, zeist_agreement(), zeist_besluit(), date(2019, 5, 1))
    assert answer.allowed and answer.until == date(2020, 1, 31)


def test_the_capacity_recorded_for_a_meeting_decides_what_someone_receives(
    zeist_registry: AuditedSession, zeist_dossier: Dossier
) -> None:
    people = {
        "people": [
            {
                "key": "twee-petten",
                "name": "Tessa Tweepet",
                "organisation": "woongoed",
                "role": "professional",
                "designated_from": "2018-06-14",
            },
            {
                "key": "twee-petten",
                "name": "Tessa Tweepet",
                "organisation": None,
                "role": "agendadeelnemer",
                "designated_from": "2018-06-14",
            },
        ],
        "meetings": [
            {
                "key": "als-agendadeelnemer",
                "date": "2019-05-01",
                "attendees": [{"person": "twee-petten", "role": "agendadeelnemer"}],
            },
            {
                "key": "als-professional",
                "date": "2019-05-01",
                "attendees": [{"person": "twee-petten", "role": "professional", "party": "woongoed"}],
            },
            {"key": "niet-vastgelegd", "date": "2019-05-01", "attendees": ["twee-petten"]},
        ],
    }
    load_people(zeist_registry, people, zeist_dossier.id)
    guest = check_meeting(zeist_registry, "als-agendadeelnemer").attendees[0]
    assert not guest.police.allowed and "agendadeelnemer" in guest.police.reason
    professional = check_meeting(zeist_registry, "als-professional").attendees[0]
    assert professional.police.allowed
    unrecorded = check_meeting(zeist_registry, "niet-vastgelegd").attendees[0]
    assert not unrecorded.police.allowed  # only what every capacity allows
    assert any("hoedanigheid" in w for w in unrecorded.warnings)


def test_load_people_keeps_a_second_designation_at_another_party(db_session: AuditedSession) -> None:
    # Before: designations were matched on (person, role, start), so the second party overwrote the first.
    dossier = Dossier.model_validate(yaml.safe_load((ROOT / "examples" / "veiligheidshuis.yaml").read_text()))
    sync_dossier(db_session, dossier)
    people = yaml.safe_load((ROOT / "examples" / "people" / "veiligheidshuis.yaml").read_text())
    load_people(db_session, people, dossier.id)
    load_people(db_session, people, dossier.id)  # idempotent
    person = db_session.exec(select(Person).where(Person.key == "ggz-vt-zvh")).one()
    rows = db_session.exec(select(Designation).where(Designation.person_id == person.id)).all()
    assert len(rows) == 2 and len({r.party_id for r in rows}) == 2


# --- revocation dated in the past -----------------------------------------------------------------------
def test_provisions_after_a_revocation_dated_in_the_past_are_flagged(
    zeist_registry: AuditedSession, zeist_dossier: Dossier
) -> None:
    view = record_provision(zeist_registry, _provision(zeist_dossier), recorded_by="wijkagent")
    assert view.flag is None
    besluit = revoke_besluit(zeist_registry, zeist_dossier.id, "besluit-art20", date(2019, 4, 1), "fout")
    assert [p.id for p in provisions_after_revocation(zeist_registry, besluit)] == [view.id]
    (listed,) = list_provisions(zeist_registry, zeist_dossier.id)
    assert listed.flag is not None and "intrekking" in listed.flag


# --- purpose and special police data ---------------------------------------------------------------------
def test_a_provision_for_a_purpose_the_besluit_does_not_name_is_refused(
    zeist_registry: AuditedSession, zeist_dossier: Dossier
) -> None:
    with pytest.raises(Refused) as info:
        record_provision(zeist_registry, _provision(zeist_dossier, purposes=("buurtfeest",)), recorded_by="w")
    assert info.value.field == "purpose" and "'buurtfeest'" in info.value.message
    assert info.value.article == "artikel 3 van het besluit"


def test_a_provision_records_every_purpose_chosen(
    zeist_registry: AuditedSession, zeist_dossier: Dossier
) -> None:
    # Issue 14, item 2: several purposes may be chosen; each is recorded (before: one purpose only).
    view = record_provision(
        zeist_registry, _provision(zeist_dossier, purposes=("zorg", "overlast")), recorded_by="w"
    )
    assert view.purposes == ("zorg", "overlast")
    row = zeist_registry.get(Provision, view.id)
    assert row is not None and row.purposes == ["zorg", "overlast"]


def test_one_purpose_outside_the_besluit_refuses_the_whole_provision_naming_the_article(
    zeist_registry: AuditedSession, zeist_dossier: Dossier
) -> None:
    before = len(zeist_registry.exec(select(Provision)).all())
    with pytest.raises(Refused) as info:
        record_provision(
            zeist_registry,
            _provision(zeist_dossier, purposes=("overlast", "buurtfeest", "zorg", "reclame")),
            recorded_by="w",
        )
    refused = [p for p in info.value.problems if p["pad"] == "purpose"]
    assert [("'buurtfeest'" in p["melding"], "'reclame'" in p["melding"]) for p in refused] == [
        (True, False),
        (False, True),
    ]
    assert all(p["artikel"] == "artikel 3 van het besluit" for p in refused)
    assert "'overlast'" not in info.value.message.split("toegestaan")[0]
    assert len(zeist_registry.exec(select(Provision)).all()) == before  # nothing stored


def test_a_provision_without_any_purpose_is_refused_naming_the_article(
    zeist_registry: AuditedSession, zeist_dossier: Dossier
) -> None:
    with pytest.raises(Refused) as info:
        record_provision(zeist_registry, _provision(zeist_dossier, purposes=()), recorded_by="w")
    assert info.value.field == "purpose" and "een of meer doelen" in info.value.message
    assert info.value.article == "artikel 3 van het besluit"


def test_special_police_data_in_addition_is_accepted_where_the_besluit_allows_it(
    zeist_registry: AuditedSession, zeist_dossier: Dossier
) -> None:
    # Zeist: "Bijzondere politiegegevens ... worden uitsluitend verstrekt in aanvulling op andere
    # verstrekte politiegegevens" (privacyregeling art. 7 lid 4, besluit §4 lid 2). Refused before.
    view = record_provision(zeist_registry, _provision(zeist_dossier, special=True), recorded_by="w")
    assert view.special


def test_special_police_data_is_refused_where_the_model_says_never(db_session: AuditedSession) -> None:
    from tests.registry.conftest import ZEIST_PEOPLE

    data = yaml.safe_load((ROOT / "examples" / "zeist.yaml").read_text())
    strict = copy.deepcopy(data)
    strict["legal"]["besluit"]["special_police_data"] = "nooit"
    dossier = Dossier.model_validate(strict)
    sync_dossier(db_session, dossier)
    load_people(db_session, ZEIST_PEOPLE, dossier.id)
    with pytest.raises(Refused) as info:
        record_provision(db_session, _provision(dossier, special=True), recorded_by="w")
    assert info.value.field == "special"
    assert (
        info.value.article == "artikel 7, vierde lid, van bijlage 1; artikel 4, tweede lid, van het besluit"
    )


def test_capacity_is_part_of_the_rule() -> None:
    guest_and_pro = PersonFacts(
        "Tessa",
        (
            DesignationFacts("agendadeelnemer", None, ZEIST_START),
            DesignationFacts("professional", "woongoed", ZEIST_START),
        ),
    )
    on = date(2019, 5, 1)
    assert may_receive_police_data(guest_and_pro, zeist_agreement(), zeist_besluit(), on).allowed
    as_guest = may_receive_police_data(
        guest_and_pro, zeist_agreement(), zeist_besluit(), on, capacity=Capacity("agendadeelnemer")
    )
    assert not as_guest.allowed


def test_adding_an_attendee_keeps_the_capacities_already_recorded(
    zeist_registry: AuditedSession, zeist_dossier: Dossier
) -> None:
    from registry.sync import save_meeting

    agreement = get_agreement(zeist_registry, zeist_dossier.id)
    save_meeting(
        zeist_registry,
        agreement,
        "met-hoedanigheid",
        date(2019, 5, 1),
        ["woongoed"],
        capacities={"woongoed": ("agendadeelnemer", None)},
    )
    save_meeting(zeist_registry, agreement, "met-hoedanigheid", date(2019, 5, 1), ["woongoed", "coord"])
    row = next(
        a for a in check_meeting(zeist_registry, "met-hoedanigheid").attendees if a.given_as == "woongoed"
    )
    assert not row.police.allowed and "niet zo aangewezen" in row.police.reason
