"""Registry tables: organisations, persons, agreements, parties, designations, mandates, besluiten,
declarations, meetings, provisions, term events and the audit chain.

Revision ID: 0001_registry
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_registry"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reg_agreement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("title", sa.String(length=2000), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("municipality", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("term_start", sa.Date(), nullable=False),
        sa.Column("term_end", sa.Date(), nullable=False),
        sa.Column("renewal", sa.String(length=20), nullable=False),
        sa.Column("renewal_years", sa.Integer(), nullable=False),
        sa.Column("objection", sa.String(length=20), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    op.create_table(
        "reg_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.Column("actor", sa.String(length=300), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("entity", sa.String(length=80), nullable=False),
        sa.Column("entity_id", sa.String(length=80), nullable=False),
        sa.Column("changes", sa.Text(), nullable=False),
        sa.Column("changes_digest", sa.String(length=64), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("seq"),
    )
    op.create_table(
        "reg_organisation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    op.create_table(
        "reg_besluit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("title", sa.String(length=2000), nullable=False),
        sa.Column("issuer_name", sa.String(length=300), nullable=False),
        sa.Column("issuer_function", sa.String(length=300), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("in_force_from", sa.Date(), nullable=False),
        sa.Column("in_force_until", sa.Date(), nullable=False),
        sa.Column("revoked_on", sa.Date(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revocation_reason", sa.String(length=2000), nullable=True),
        sa.Column("recipients", sa.JSON(), nullable=False),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("providers", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["reg_agreement.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("agreement_id", "key", name="uq_reg_besluit_agreement_key"),
    )
    with op.batch_alter_table("reg_besluit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reg_besluit_agreement_id"), ["agreement_id"], unique=False)

    op.create_table(
        "reg_mandate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("mandator_name", sa.String(length=300), nullable=False),
        sa.Column("mandator_function", sa.String(length=300), nullable=False),
        sa.Column("mandatary_name", sa.String(length=300), nullable=False),
        sa.Column("mandatary_function", sa.String(length=300), nullable=False),
        sa.Column("documents", sa.JSON(), nullable=False),
        sa.Column("document_title", sa.String(length=2000), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["reg_agreement.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("agreement_id", "key", name="uq_reg_mandate_agreement_key"),
    )
    with op.batch_alter_table("reg_mandate", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reg_mandate_agreement_id"), ["agreement_id"], unique=False)

    op.create_table(
        "reg_party",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("represented_by", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["reg_agreement.id"],
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["reg_organisation.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("agreement_id", "key", name="uq_reg_party_agreement_key"),
    )
    with op.batch_alter_table("reg_party", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reg_party_agreement_id"), ["agreement_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reg_party_organisation_id"), ["organisation_id"], unique=False)

    op.create_table(
        "reg_person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("function", sa.String(length=300), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["reg_organisation.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    with op.batch_alter_table("reg_person", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reg_person_email"), ["email"], unique=False)
        batch_op.create_index(batch_op.f("ix_reg_person_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_reg_person_organisation_id"), ["organisation_id"], unique=False)

    op.create_table(
        "reg_declaration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("ground", sa.String(length=80), nullable=False),
        sa.Column("document_ref", sa.String(length=500), nullable=True),
        sa.Column("document_sha256", sa.String(length=64), nullable=True),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["reg_agreement.id"],
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["reg_person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("reg_declaration", schema=None) as batch_op:
        batch_op.create_index(
            "ix_reg_declaration_agreement_person", ["agreement_id", "person_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_reg_declaration_person_id"), ["person_id"], unique=False)

    op.create_table(
        "reg_designation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("designated_from", sa.Date(), nullable=False),
        sa.Column("designated_until", sa.Date(), nullable=True),
        sa.Column("designated_by", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["reg_agreement.id"],
        ),
        sa.ForeignKeyConstraint(
            ["party_id"],
            ["reg_party.id"],
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["reg_person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("reg_designation", schema=None) as batch_op:
        batch_op.create_index(
            "ix_reg_designation_agreement_person", ["agreement_id", "person_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_reg_designation_person_id"), ["person_id"], unique=False)

    op.create_table(
        "reg_meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("coordinator_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["reg_agreement.id"],
        ),
        sa.ForeignKeyConstraint(
            ["coordinator_id"],
            ["reg_person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    with op.batch_alter_table("reg_meeting", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reg_meeting_agreement_id"), ["agreement_id"], unique=False)

    op.create_table(
        "reg_provision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("besluit_id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("provided_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=4000), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("content_summary", sa.String(length=4000), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["reg_agreement.id"],
        ),
        sa.ForeignKeyConstraint(
            ["besluit_id"],
            ["reg_besluit.id"],
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["reg_person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["reg_person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("reg_provision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reg_provision_agreement_id"), ["agreement_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reg_provision_besluit_id"), ["besluit_id"], unique=False)

    op.create_table(
        "reg_term_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=True),
        sa.Column("document_ref", sa.String(length=500), nullable=True),
        sa.Column("note", sa.String(length=4000), nullable=True),
        sa.Column("new_term_end", sa.Date(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["reg_agreement.id"],
        ),
        sa.ForeignKeyConstraint(
            ["party_id"],
            ["reg_party.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("reg_term_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reg_term_event_agreement_id"), ["agreement_id"], unique=False)

    op.create_table(
        "reg_meeting_attendee",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("given_as", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["reg_meeting.id"],
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["reg_person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("reg_meeting_attendee", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reg_meeting_attendee_meeting_id"), ["meeting_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("reg_meeting_attendee", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reg_meeting_attendee_meeting_id"))

    op.drop_table("reg_meeting_attendee")
    with op.batch_alter_table("reg_term_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reg_term_event_agreement_id"))

    op.drop_table("reg_term_event")
    with op.batch_alter_table("reg_provision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reg_provision_besluit_id"))
        batch_op.drop_index(batch_op.f("ix_reg_provision_agreement_id"))

    op.drop_table("reg_provision")
    with op.batch_alter_table("reg_meeting", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reg_meeting_agreement_id"))

    op.drop_table("reg_meeting")
    with op.batch_alter_table("reg_designation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reg_designation_person_id"))
        batch_op.drop_index("ix_reg_designation_agreement_person")

    op.drop_table("reg_designation")
    with op.batch_alter_table("reg_declaration", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reg_declaration_person_id"))
        batch_op.drop_index("ix_reg_declaration_agreement_person")

    op.drop_table("reg_declaration")
    with op.batch_alter_table("reg_person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reg_person_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_reg_person_name"))
        batch_op.drop_index(batch_op.f("ix_reg_person_email"))

    op.drop_table("reg_person")
    with op.batch_alter_table("reg_party", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reg_party_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_reg_party_agreement_id"))

    op.drop_table("reg_party")
    with op.batch_alter_table("reg_mandate", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reg_mandate_agreement_id"))

    op.drop_table("reg_mandate")
    with op.batch_alter_table("reg_besluit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reg_besluit_agreement_id"))

    op.drop_table("reg_besluit")
    op.drop_table("reg_organisation")
    op.drop_table("reg_audit")
    op.drop_table("reg_agreement")
