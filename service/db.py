"""The database for the HTTP service: one engine per app, one transaction per request.

``get_session`` is the request dependency (shared with the access guard): it opens an
:class:`registry.session.AuditedSession` (every change goes into the hash-chained audit log); ``Tx`` commits
it when the handler has finished (before the response is sent) and any error rolls it back.
On SQLite every request's transaction takes the write lock at the start (``BEGIN IMMEDIATE``): signed-in
requests write too (the access guard records token and session use), and a deferred transaction that reads
and then writes fails at once with "database is locked" when another writer got in between, whereas
IMMEDIATE transactions queue (busy timeout). On PostgreSQL transactions run concurrently and audit-chain
appends take an advisory lock.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from sqlalchemy import Engine

from registry.database import make_engine, writer
from registry.session import SYSTEM_ACTOR, AuditedSession
from service.settings import Settings


def install(app: FastAPI, settings: Settings) -> Engine:
    """Give the app its engine (once); the schema is migrated by ``service.bootstrap.prepare``."""
    engine = getattr(app.state, "engine", None)
    if engine is None:
        engine = make_engine(settings.effective_database_url)
        app.state.engine = engine
    return engine


def get_session(request: Request) -> Iterator[AuditedSession]:
    engine: Engine = request.app.state.engine
    session = AuditedSession(writer(engine), actor=SYSTEM_ACTOR, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def transaction(session: Annotated[AuditedSession, Depends(get_session)]) -> Iterator[AuditedSession]:
    """The request's session, committed when the handler returns and BEFORE the response is sent (use with
    ``scope="function"``, see ``Tx``): a failing commit becomes an error response, never a false success.
    On an error the transaction is not committed and ``get_session`` rolls it back."""
    yield session
    session.commit()


Tx = Annotated[AuditedSession, Depends(transaction, scope="function")]
