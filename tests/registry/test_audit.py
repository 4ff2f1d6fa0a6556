from datetime import UTC, datetime

from sqlalchemy import text
from sqlmodel import select

from registry.audit import Change, append, verify_chain
from registry.database import writer
from registry.models import AuditEntry
from registry.session import AuditedSession
from service.accounts.models import AuthAttempt, StaffUser


def _verify(session: AuditedSession):  # type: ignore[no-untyped-def]
    session.commit()
    with writer(session.get_bind()).connect() as conn:  # type: ignore[arg-type]
        return verify_chain(conn)


def _exec(session: AuditedSession, sql: str) -> None:
    with writer(session.get_bind()).begin() as conn:  # type: ignore[arg-type]
        conn.execute(text(sql))


def test_chain_of_a_loaded_registry_verifies(zeist_registry: AuditedSession) -> None:
    report = _verify(zeist_registry)
    assert report.ok and report.entries > 10


def test_edited_row_is_detected(zeist_registry: AuditedSession) -> None:
    _exec(zeist_registry, "UPDATE reg_audit SET actor = 'iemand anders' WHERE seq = 3")
    report = _verify(zeist_registry)
    assert not report.ok and any("regel 3: inhoud gewijzigd" in p for p in report.problems)


def test_removed_row_is_detected(zeist_registry: AuditedSession) -> None:
    _exec(zeist_registry, "DELETE FROM reg_audit WHERE seq = 5")
    report = _verify(zeist_registry)
    assert not report.ok and any("ontbreken" in p for p in report.problems)


def test_inserted_row_is_detected(zeist_registry: AuditedSession) -> None:
    _exec(zeist_registry, "UPDATE reg_audit SET seq = seq + 1000 WHERE seq > 4")
    _exec(zeist_registry, "UPDATE reg_audit SET seq = seq - 999 WHERE seq > 1000")
    _exec(
        zeist_registry,
        "INSERT INTO reg_audit "
        "(seq, at, actor, action, entity, entity_id, changes, changes_digest, prev_hash, hash) "
        "SELECT 5, at, actor, action, entity, entity_id, changes, changes_digest, hash, hash FROM reg_audit "
        "WHERE seq = 4",
    )
    report = _verify(zeist_registry)
    assert not report.ok and any("regel 5" in p for p in report.problems)


def test_removing_the_newest_rows_is_detected_against_a_kept_head(zeist_registry: AuditedSession) -> None:
    head = _verify(zeist_registry).head
    _exec(zeist_registry, "DELETE FROM reg_audit WHERE seq = (SELECT MAX(seq) FROM reg_audit)")
    with writer(zeist_registry.get_bind()).connect() as conn:  # type: ignore[arg-type]
        report = verify_chain(conn, expected_head=head)
    assert not report.ok


def test_edited_changes_text_is_detected_although_the_hash_column_is_untouched(
    zeist_registry: AuditedSession,
) -> None:
    _exec(zeist_registry, 'UPDATE reg_audit SET changes = \'{"naam":"verzonnen"}\' WHERE seq = 2')
    report = _verify(zeist_registry)
    assert not report.ok and any("regel 2: inhoud gewijzigd" in p for p in report.problems)


def test_redaction_blanks_personal_data_and_the_chain_still_verifies(zeist_registry: AuditedSession) -> None:
    from registry.audit import REDACTED_CHANGES, redact

    zeist_registry.commit()
    with writer(zeist_registry.get_bind()).begin() as conn:  # type: ignore[arg-type]
        row = conn.execute(
            text("SELECT entity, entity_id FROM reg_audit WHERE entity = 'reg_person' LIMIT 1")
        ).one()
        assert row.entity_id != "?"  # created rows are logged with their own id
        seqs = redact(conn, [(row.entity, row.entity_id)], actor="test", reason="bewaartermijn verstreken")
    assert seqs
    report = _verify(zeist_registry)
    assert report.ok, report.problems
    with writer(zeist_registry.get_bind()).connect() as conn:  # type: ignore[arg-type]
        blanked = conn.execute(text(f"SELECT changes FROM reg_audit WHERE seq = {seqs[0]}")).scalar_one()
        last = conn.execute(text("SELECT action, changes FROM reg_audit ORDER BY seq DESC LIMIT 1")).one()
    assert blanked == REDACTED_CHANGES
    assert last.action == "geredigeerd" and str(seqs[0]) in last.changes


def test_blanking_an_entry_without_a_recorded_redaction_is_detected(zeist_registry: AuditedSession) -> None:
    from registry.audit import REDACTED_CHANGES

    _exec(zeist_registry, f"UPDATE reg_audit SET changes = '{REDACTED_CHANGES}' WHERE seq = 3")
    report = _verify(zeist_registry)
    assert not report.ok and any(
        "regel 3: inhoud verwijderd zonder vastgelegde redactie" in p for p in report.problems
    )


def test_tables_marked_not_audited_stay_out_of_the_chain_and_others_do_not(
    db_session: AuditedSession,
) -> None:
    now = datetime.now(UTC)
    db_session.add(AuthAttempt(kind="aanmelden", subject="x@gemeente.nl", ip_address="127.0.0.1", at=now))
    db_session.add(
        StaffUser(email="x@gemeente.nl", name="X", role="beheerder", password_hash="h", created_at=now)
    )
    db_session.flush()
    entities = {e.entity for e in db_session.exec(select(AuditEntry)).all()}
    db_session.rollback()
    assert "account_user" in entities
    assert "account_attempt" not in entities


def test_a_security_event_with_a_long_action_name_is_stored(db_session: AuditedSession) -> None:
    # PostgreSQL enforces the column length that SQLite ignores (issue 10 item 11's event names).
    with writer(db_session.get_bind()).begin() as conn:  # type: ignore[arg-type]
        append(conn, [Change("beheer@gemeente.nl", "download ondertekend document", "beveiliging", "-", {})])
    actions = {e.action for e in db_session.exec(select(AuditEntry)).all()}
    assert "download ondertekend document" in actions
