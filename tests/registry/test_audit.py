from sqlalchemy import text

from registry.audit import verify_chain
from registry.database import writer
from registry.session import AuditedSession


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
        "INSERT INTO reg_audit (seq, at, actor, action, entity, entity_id, changes, prev_hash, hash) "
        "SELECT 5, at, actor, action, entity, entity_id, changes, hash, hash FROM reg_audit WHERE seq = 4",
    )
    report = _verify(zeist_registry)
    assert not report.ok and any("regel 5" in p for p in report.problems)


def test_removing_the_newest_rows_is_detected_against_a_kept_head(zeist_registry: AuditedSession) -> None:
    head = _verify(zeist_registry).head
    _exec(zeist_registry, "DELETE FROM reg_audit WHERE seq = (SELECT MAX(seq) FROM reg_audit)")
    with writer(zeist_registry.get_bind()).connect() as conn:  # type: ignore[arg-type]
        report = verify_chain(conn, expected_head=head)
    assert not report.ok
