"""The request's database session, as used by the guard and the pages (from ``service.db``).

``db_session``  the request's session (``service.db.get_session``): shared by the guard and the handler.
``DbTx``        the same session for a handler, committed when the handler returns and *before* the
                response is sent (``service.db.Tx``): a browser following a redirect right after signing in
                never sees a session row that is not yet committed, and a failing commit is an error page,
                never a false success.
"""

from __future__ import annotations

from service.db import Tx as DbTx
from service.db import get_session as db_session

__all__ = ["DbTx", "db_session"]
