"""The public pages, feeds and exports, cached by the data version (posts/models/versions.py).

For a GET or HEAD of a URL of posts/web/urls.py from a browser without a session (nobody signed in):

- the response is looked up in the `pages` cache (settings.CACHES: Redis with REDIS_URL, else a table in
  PostgreSQL), keyed by the URL (scheme, host, path and query) and the data version, and rendered only when it is
  not there; every gunicorn worker shares the cache, and a change of the data makes every older key unreachable;
- it carries `ETag` (version and URL), `Last-Modified` (when the data last changed) and
  `Cache-Control: public, max-age=DJANGO_CACHE_MAX_AGE`; a request whose `If-None-Match` still holds gets 304.

A cached page is served before the view, so before the per-client limits of searches and exports
(posts/web/limits.py): a repeated search costs one small query and a cache read, not a search. A search not in
the cache is rendered by the view, under the limits. Only a 200 that sets no cookie, holds no CSRF token and does
not vary by cookie is shared; the admin, /healthz and every request with a session cookie pass straight through,
and a page for someone signed in goes out `private, no-store`.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import caches
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response, has_vary_header, patch_cache_control
from django.utils.http import http_date

from posts.models.versions import DataVersion, data_version


def page_key(request, version: DataVersion) -> tuple[str, str]:
    """The cache key and the ETag of a request's page at a version."""
    url = hashlib.sha256(f"{request.scheme}://{request.get_host()}{request.get_full_path()}".encode()).hexdigest()
    return f"page:{version.tag}:{url}", f'"{version.tag}-{url[:16]}"'


class PublicPages:
    """The middleware (settings.MIDDLEWARE, below PublicGZip so that the cache keeps pages uncompressed)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if signed_in(request):
            response = self.get_response(request)
            patch_cache_control(response, private=True, no_store=True)
            return response
        if not (settings.PAGE_CACHE and public(request)):
            return self.get_response(request)
        version = data_version()
        key, etag = page_key(request, version)
        last_modified = int(version.changed_at.timestamp())
        pages = caches["pages"]
        response = pages.get(key)
        if response is None:
            response = self.get_response(request)
            if not shareable(request, response):
                return response
            response["ETag"] = etag
            response["Last-Modified"] = http_date(last_modified)
            patch_cache_control(response, public=True, max_age=settings.CACHE_MAX_AGE)
            pages.set(key, response)
        # By the ETag only: Last-Modified is when a transaction first wrote, which can be before another's commit
        # that came earlier, so a client asking If-Modified-Since alone could be told 304 after a change.
        return get_conditional_response(request, etag=etag, response=response)


def signed_in(request) -> bool:
    """A browser with a session: someone signed in (or was), whose pages are their own."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def public(request) -> bool:
    """A GET or HEAD of one of the public pages, feeds and exports (the URLs of posts/web/urls.py)."""
    if request.method not in ("GET", "HEAD"):
        return False
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.view_name in _public_names()


def shareable(request, response) -> bool:
    """A page that is the same for everyone: a 200 with no cookie, no CSRF token, no `Vary: Cookie`, not streamed."""
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not has_vary_header(response, "Cookie")
        and not response.has_header("Cache-Control")
    )


_names: set[str] = set()


def _public_names() -> set[str]:
    if not _names:
        from posts.web.urls import urlpatterns  # the URL patterns import the views: not at this module's import

        _names.update(pattern.name for pattern in urlpatterns if pattern.name)
    return _names
