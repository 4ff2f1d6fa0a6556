"""Staff accounts: roles, Argon2 passwords, server-side sessions, CSRF, API tokens and the permission table.

Public surface:

- ``require(permission)``  FastAPI dependency: the route needs ``permission``; returns the ``Principal``.
- ``public()``             FastAPI dependency: anybody may reach the route (it checks its own token).
- ``guard``                installed app-wide; refuses every route that is not in the permission table.
- ``PERMISSIONS``, ``ROUTES``, ``PUBLIC``  the declarative table (``service/accounts/permissions.py``).
- ``Role``, ``Principal``; ``service`` (create_user, authenticate, sessions, API tokens).
"""

from service.accounts.guard import guard, public, require
from service.accounts.permissions import PERMISSIONS, PUBLIC, ROUTES
from service.accounts.roles import Role
from service.accounts.service import Principal

__all__ = ["PERMISSIONS", "PUBLIC", "ROUTES", "Principal", "Role", "guard", "public", "require"]
