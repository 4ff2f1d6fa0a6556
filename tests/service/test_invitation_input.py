# ruff: noqa: F811  (pytest fixtures imported from the support modules)
"""Issue 10 item 13: a line break in an agendadeelnemer's name (header injection into the invitation mail)
is refused with a Dutch 422 naming the field, before anything is stored."""

from __future__ import annotations

import pytest
from accounts_support import https_client, login
from links_support import post_form
from mail_support import smtp_server  # noqa: F401
from sqlmodel import Session, select
from test_links import _meeting_with_invitation, world  # noqa: F401

from registry.models import Person
from service.accounts.roles import Role
from service.invitations.models import SigningLink

pytestmark = pytest.mark.db


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("naam", "Dr. B. Bakker\r\nBcc: iedereen@aanvaller.example"),
        ("naam", "Dr. B. Bakker\nX"),
        ("instelling", "Praktijk\rZeist"),
        ("functie", "huisarts\n"),
    ],
)
def test_a_line_break_in_an_invited_name_is_a_dutch_422_and_nothing_is_stored(world, field, value):
    _meeting_with_invitation(world)
    app = world["app"]
    coordinator = login(https_client(app), world["staff"][Role.COORDINATOR].email)
    guest = f"b.bakker.{field}@huisarts.example.nl"
    form = {"naam": "Dr. B. Bakker", "email": guest, "instelling": "Praktijk Zeist", "functie": "huisarts"}
    form[field] = value
    url = f"/portaal/overleggen/{world['meeting']}"
    r = post_form(coordinator, url, f"{url}/uitnodigen", form)
    assert r.status_code == 422, r.text[:500]
    # The message names the field by sitting at it (issue 14: no field keys in front of messages).
    at_field = r.text.split(f'id="{field}-fout"', 1)[1].split("</span></span>", 1)[0]
    assert "regeleinden" in at_field
    assert f'id="{field}" name="{field}"' in r.text and 'aria-invalid="true"' in r.text
    with Session(app.state.engine) as db:
        assert db.exec(select(Person).where(Person.email == guest)).first() is None
        assert db.exec(select(SigningLink).where(SigningLink.email == guest)).first() is None
    assert not world["inbox"].to(guest)


@pytest.mark.parametrize(
    "address",
    [
        "b..bakker@huisarts.example.nl",  # two dots in a row: the old hand-written pattern let it through
        "b.bakker@praktijk.test",  # a reserved name (RFC 2606): no mail can ever arrive there
        "b.bakker@huisarts.example.nl.",  # ends with a dot
        "b.bakker@huisarts",  # no dot in the domain
    ],
)
def test_an_invalid_invited_address_is_a_dutch_422_at_the_field_and_nothing_is_stored(world, address):
    _meeting_with_invitation(world)
    app = world["app"]
    coordinator = login(https_client(app), world["staff"][Role.COORDINATOR].email)
    form = {"naam": "Dr. B. Bakker", "email": address, "instelling": "Praktijk Zeist", "functie": "huisarts"}
    url = f"/portaal/overleggen/{world['meeting']}"
    r = post_form(coordinator, url, f"{url}/uitnodigen", form)
    assert r.status_code == 422, r.text[:500]
    at_field = r.text.split('id="email-fout"', 1)[1].split("</span></span>", 1)[0]
    assert "geen geldig e-mailadres" in at_field
    with Session(app.state.engine) as db:
        assert db.exec(select(SigningLink).where(SigningLink.email == address.lower())).first() is None
        assert db.exec(select(Person).where(Person.email == address.lower())).first() is None
    assert not world["inbox"].to(address)
