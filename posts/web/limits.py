"""What a request may cost: searches and exports are limited per client (django-ratelimit), and a search that runs
over its budget or the database's statement_timeout gets a plain page that says so instead of a 500.

    @search_rate_limited          # a search (q) or an export over DJANGO_SEARCH_RATE: 429, templates/429.html
    def posts_json(request): ...
"""

from __future__ import annotations

import ipaddress

from functools import wraps

from django.conf import settings
from django.db import OperationalError, connection
from django.shortcuts import render
from django_ratelimit.decorators import ratelimit
from django_ratelimit.exceptions import Ratelimited
from psycopg import errors

from archive.clients import client_ip
from posts.search.matching import SearchTooBroad

RETRY_AFTER_SECONDS = 60


def client_address(request) -> str:
    """RATELIMIT_IP_META_KEY: the client's address (archive/clients.py), or 0.0.0.0 when it has none to tell
    (gunicorn on a Unix socket without a proxy header): django-ratelimit would fail on an empty one."""
    address = client_ip(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return "0.0.0.0"


def search_rate(group, request) -> str | None:
    """The rate for a request: DJANGO_SEARCH_RATE for one that searches or exports, None (no limit) otherwise.

    Listing and browsing (no q) cost one index scan of the posts and stay open to everyone, feed readers included.
    """
    costly = request.GET.get("q", "").strip() or request.path.endswith((".json", ".csv"))
    return settings.SEARCH_RATE if costly else None


# One group for every expensive endpoint, so that a client cannot multiply its allowance by spreading over them.
_per_minute = ratelimit(group="search", key="ip", rate=search_rate, block=True)

LOCK_NAMESPACE = 16_016  # the first key of the advisory locks below (the second is the client's hash)


def one_at_a_time(view):
    """One search or export at a time per client (IPv6 by /64): another that arrives meanwhile gets the 429 page.

    A rate alone lets a client send its whole allowance at once, each request holding a worker; with this, one
    client holds at most one worker however many connections it opens, and the others stay free for everyone
    else. The lock is PostgreSQL's (an advisory lock, shared by every worker, gone with the connection if a
    worker dies).
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not (settings.RATELIMIT_ENABLE and search_rate(None, request)):
            return view(request, *args, **kwargs)
        client = _network(client_address(request))
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s, hashtext(%s))", [LOCK_NAMESPACE, client])
            if not cursor.fetchone()[0]:
                raise Ratelimited()
        try:
            return view(request, *args, **kwargs)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, hashtext(%s))", [LOCK_NAMESPACE, client])

    return wrapped


def search_rate_limited(view):
    """One at a time (`one_at_a_time`), then DJANGO_SEARCH_RATE per client, for a view that searches or exports.

    The lock is tried first: it costs one query where the rate's count costs several, and a client that floods
    is refused by it, many times a second, without its count being written each time.
    """
    return one_at_a_time(_per_minute(view))


def _network(address: str) -> str:
    return str(ipaddress.ip_network(f"{address}/64", strict=False)) if ":" in address else address


def too_many_requests(request, exception):
    """RATELIMIT_VIEW: what a client over its rate gets."""
    response = render(request, "429.html", {"retry_after": RETRY_AFTER_SECONDS}, status=429)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class TooBroadMiddleware:
    """A search that spent its budget (SearchTooBroad) or hit statement_timeout (QueryCanceled): 503, no traceback."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        timed_out = isinstance(exception, OperationalError) and isinstance(exception.__cause__, errors.QueryCanceled)
        if not (timed_out or isinstance(exception, SearchTooBroad)):
            return None
        response = render(request, "503_too_broad.html", {"query": request.GET.get("q", "")[:200]}, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
