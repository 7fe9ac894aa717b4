"""Web requests run under PostgreSQL's statement_timeout (settings.STATEMENT_TIMEOUT_MS, set for every connection
through the database options); the archive's own long work lifts it.

- migrations: for the whole `migrate` (pre_migrate and post_migrate, connected in posts/apps.py);
- the import write path and the index flush: for their own transaction (`lifted(local=True)`), so that an
  admin's import of a large post is never cut short while the next request on that connection keeps the limit;
- the bulk commands (import_posts, reindex): for their connections' sessions (posts/search/index.py).
"""

from __future__ import annotations

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper


def lift(connection: BaseDatabaseWrapper, *, local: bool = False) -> None:
    """No statement_timeout for this connection's session, or with `local` for its open transaction only."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 0" if local else "SET statement_timeout = 0")


def restore(connection: BaseDatabaseWrapper) -> None:
    """Back to the connection's own statement_timeout (the one its options set)."""
    with connection.cursor() as cursor:
        cursor.execute("RESET statement_timeout")


def lift_for_migrate(sender, using: str = "default", **kwargs) -> None:
    lift(connections[using])


def restore_after_migrate(sender, using: str = "default", **kwargs) -> None:
    restore(connections[using])
