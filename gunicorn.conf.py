"""gunicorn's settings for the archive: `gunicorn archive.wsgi` reads this file from the top of the checkout (the
Docker image names it with --config). Options given on the command line win over it.

It reads the environment and `.env` as archive/settings.py does, so that gunicorn and Django trust the same proxies.
"""

import os
from pathlib import Path

import environ

environ.Env.read_env(Path(__file__).resolve().parent / ".env")

# Only the TLS proxy should reach gunicorn: on its own host, loopback. The Docker image listens on the container's
# network (GUNICORN_BIND=0.0.0.0:8000 there) and compose publishes that port on the host's loopback only.
bind = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")]
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
timeout = 120  # an admin import of a large upload

# gunicorn sets wsgi.url_scheme from X-Forwarded-Proto only for these peers: the same as Django's
# DJANGO_TRUSTED_PROXIES (archive/clients.py), and nobody when none is set.
forwarded_allow_ips = os.environ.get("DJANGO_TRUSTED_PROXIES", "")

# gunicorn answers a longer request line with a bare 414 of its own. Up to its maximum (8190 bytes) it lets the
# line through, and Django answers URLs over DJANGO_URL_MAX_BYTES with the site's 414 page (archive/middleware.py).
limit_request_line = 8190
