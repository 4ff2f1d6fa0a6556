"""The request's database session, as used by the guard and the pages.

Delegates to ``service.db.get_session`` (one transaction per request, committed at the end) when the
registry's wiring provides it; otherwise opens a session on ``app.state.engine`` itself.
"""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import Request
from sqlmodel import Session

try:  # pragma: no cover - depends on which wiring is present
    from service.db import get_session as db_session  # type: ignore[import-not-found,unused-ignore]
except ImportError:  # pragma: no cover

    def db_session(request: Request) -> Iterator[Session]:  # type: ignore[misc]
        with Session(request.app.state.engine) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise
