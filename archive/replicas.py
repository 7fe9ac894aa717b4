"""Read replicas: which database a query goes to.

`DATABASE_REPLICA_URLS` adds PostgreSQL hot standbys as the aliases `replica1`, `replica2`, … (archive/settings.py).
Only the archive's own tables (the `posts` app) are ever read from one, and only while a request that
`ReplicaReads` let through is being answered: a GET or HEAD of a public page, feed or export. Everything else
reads and writes the primary: the admin, every POST, the sessions, users, login counts and the cache table, the
management commands (imports, migrations), and code outside a request.

A browser that sent a POST (an admin save, an import, a login) gets a signed cookie and reads the primary for
`DATABASE_REPLICA_MAX_LAG_SECONDS`, so it never sees the archive from before its own write (read-your-writes).

Each replica-read request first asks a replica how far behind it is. A replica that does not answer, is not a
standby, or is more than `DATABASE_REPLICA_MAX_LAG_SECONDS` behind is skipped for `DATABASE_REPLICA_RETRY_SECONDS`
(logged as a warning), and the primary serves; /healthz says "degraded" (archive/health.py). A replica that
fails a read during a request is skipped the same way, and the request is answered again from the primary.
"""

from __future__ import annotations

import contextvars
import logging
import random
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import DatabaseError, connections
from django.urls import reverse
from psycopg import errors as psycopg_errors

logger = logging.getLogger(__name__)

PRIMARY = "default"
REPLICA_APPS = {"posts"}  # the archive's data; sessions, users, login counts and the cache stay on the primary
COOKIE = "read_primary"
SALT = "archive.replicas"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

# The replica the current request reads from; None: the primary (outside requests too).
_reads: contextvars.ContextVar[str | None] = contextvars.ContextVar("replica_reads", default=None)
# Replicas found unusable, and until when (time.monotonic()) they are skipped without being asked again.
_skipped_until: dict[str, float] = {}


class ReplicaRouter:
    """Reads of the archive's tables go to the request's replica, if it has one; everything else to the primary."""

    def db_for_read(self, model, **hints):
        alias = _reads.get()
        if alias and model._meta.app_label in REPLICA_APPS:
            return alias
        return PRIMARY

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replicas hold the primary's rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


@dataclass(frozen=True)
class ReplicaState:
    alias: str
    problem: str = ""  # empty: usable
    lag: float | None = None  # seconds behind the primary, when it answered


def replica_state(alias: str) -> ReplicaState:
    """Ask one replica whether it is a standby, and how many seconds of the primary's changes it has not replayed.

    A standby that has replayed all it received is 0 behind; otherwise, the age of the last change it replayed.
    """
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute(
                "SELECT pg_is_in_recovery(), CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
                "ELSE coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0) END"
            )
            standby, lag = cursor.fetchone()
    except DatabaseError as error:
        _close(alias)
        first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
        return ReplicaState(alias, f"unreachable: {first_line}")
    if not standby:
        return ReplicaState(alias, "not a standby (promoted?)", 0.0)
    lag = float(lag)
    if lag > settings.DATABASE_REPLICA_MAX_LAG_SECONDS:
        return ReplicaState(alias, f"lagging {lag:.1f} s (limit {settings.DATABASE_REPLICA_MAX_LAG_SECONDS} s)", lag)
    return ReplicaState(alias, "", lag)


def replica_states() -> list[ReplicaState]:
    """Every replica's state, asked now (for /healthz)."""
    return [replica_state(alias) for alias in settings.DATABASE_REPLICAS]


def choose_replica() -> str | None:
    """A usable replica, chosen at random among those not being skipped; None when none is (the primary serves)."""
    now = time.monotonic()
    candidates = [alias for alias in settings.DATABASE_REPLICAS if _skipped_until.get(alias, 0.0) <= now]
    random.shuffle(candidates)
    for alias in candidates:
        state = replica_state(alias)
        if not state.problem:
            _skipped_until.pop(alias, None)
            return alias
        _skipped_until[alias] = now + settings.DATABASE_REPLICA_RETRY_SECONDS
        logger.warning("replica %s skipped for %s s, the primary serves: %s",
                       alias, settings.DATABASE_REPLICA_RETRY_SECONDS, state.problem)
    return None


class ReplicaReads:
    """Let a request's reads of the archive go to a replica, unless it writes, is the admin's, or follows a write."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        alias = None
        if settings.DATABASE_REPLICAS and not self.needs_primary(request):
            alias = choose_replica()
        token = _reads.set(alias)
        try:
            response = self.get_response(request)
        finally:
            _reads.reset(token)
        if request.method not in SAFE_METHODS and settings.DATABASE_REPLICAS:
            response.set_signed_cookie(
                COOKIE, "1", salt=SALT, max_age=settings.DATABASE_REPLICA_MAX_LAG_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Lax",
            )
        return response

    def process_exception(self, request, exception):
        """A replica that fails a read mid-request (it stopped, say): skip it, and answer the request from the primary.

        A search that reached statement_timeout is not retried: it would take as long there (posts/web/limits.py).
        """
        alias = _reads.get()
        if not (alias and isinstance(exception, DatabaseError) and connections[alias].errors_occurred):
            return None
        if isinstance(exception.__cause__, psycopg_errors.QueryCanceled):
            return None
        _skipped_until[alias] = time.monotonic() + settings.DATABASE_REPLICA_RETRY_SECONDS
        logger.warning("replica %s failed a read and is skipped for %s s, the primary answers again: %s",
                       alias, settings.DATABASE_REPLICA_RETRY_SECONDS, exception)
        _close(alias)
        _reads.set(None)  # until __call__ resets it
        match = request.resolver_match
        response = match.func(request, *match.args, **match.kwargs)
        if callable(getattr(response, "render", None)):
            response = response.render()
        return response

    @staticmethod
    def needs_primary(request) -> bool:
        if request.method not in SAFE_METHODS or request.path.startswith(reverse("admin:index")):
            return True
        try:
            request.get_signed_cookie(COOKIE, salt=SALT, max_age=settings.DATABASE_REPLICA_MAX_LAG_SECONDS)
        except (KeyError, signing.BadSignature):
            return False
        return True


def _close(alias: str) -> None:
    try:
        connections[alias].close()
    except DatabaseError:
        pass  # it was broken already; the next use opens a new one
