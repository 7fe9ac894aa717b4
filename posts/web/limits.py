"""What a request may cost: searches and exports are limited per client (django-ratelimit), and a search that runs
over its budget or the database's statement_timeout gets a plain page that says so instead of a 500.

    @search_rate_limited          # a search (q) or an export over DJANGO_SEARCH_RATE: 429, templates/429.html
    def posts_json(request): ...
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.db import OperationalError
from django.shortcuts import render
from django_ratelimit.decorators import ratelimit
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
search_rate_limited = ratelimit(group="search", key="ip", rate=search_rate, block=True)


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
