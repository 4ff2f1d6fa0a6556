"""Shared test wiring.

Tests that touch the database use fixtures whose names are listed in ``DB_FIXTURES``; they get the
``db`` marker automatically, so the second test pass (PostgreSQL, see scripts/run_tests.py) runs them.
"""

from __future__ import annotations

import os

import pytest

DB_FIXTURES = {
    "engine",
    "db_session",
    "session",
    "registry_db",
    "client",
    "app",
    "live_server",
    "database_url",
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if DB_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.db)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "db: uses the database (runs on SQLite and on PostgreSQL)")


@pytest.fixture(scope="session")
def test_database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """PostgreSQL when CONVENANT_TEST_DATABASE_URL is set (second pass), else a fresh SQLite file."""
    url = os.environ.get("CONVENANT_TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(autouse=True, scope="session")
def _signed_files_stay_pdfa() -> object:
    """Every file pyHanko signs or timestamps in any test is checked with ``tests.pdfa``: the update may not
    add a PDF/A-3 problem the input did not have (for PDF/A input: the output must conform outright)."""
    from io import BytesIO

    from pyhanko.sign import signers

    from tests.pdfa import PdfANotConform, pdfa_problems

    def checked(original):  # type: ignore[no-untyped-def]
        def run(self, pdf_out, *args, **kwargs):  # type: ignore[no-untyped-def]
            stream = pdf_out.prev.stream
            stream.seek(0)
            before = stream.read()
            result = original(self, pdf_out, *args, **kwargs)
            try:
                old = set(pdfa_problems(before))
            except Exception:  # input unreadable for pypdf (hostile-PDF tests): nothing to compare
                return result
            after = result.getvalue() if isinstance(result, BytesIO) else None
            if after is not None:
                new = [p for p in pdfa_problems(after) if p not in old]
                if new:
                    raise PdfANotConform(
                        "de ondertekening maakt het bestand geen PDF/A-3 meer: " + "; ".join(new)
                    )
            return result

        return run

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(signers.PdfSigner, "sign_pdf", checked(signers.PdfSigner.sign_pdf))
        mp.setattr(signers.PdfTimeStamper, "timestamp_pdf", checked(signers.PdfTimeStamper.timestamp_pdf))
        yield
