"""What every request goes through: a forwarded protocol from a stranger dropped, a URL too long to serve answered,
a signed-in browser remembered, a page the same for everyone compressed."""

from django.conf import settings
from django.middleware.gzip import GZipMiddleware
from django.shortcuts import render
from django.utils.cache import has_vary_header

from archive.clients import from_trusted_proxy
from archive.logins import remember_device


class TrustedForwardedProto:
    """Drops X-Forwarded-Proto unless a trusted proxy sent it.

    Django believes SECURE_PROXY_SSL_HEADER from whoever connects; with DJANGO_TRUSTED_PROXIES set, a client that
    reaches gunicorn directly cannot claim HTTPS (secure cookies, no redirect). With none set there is nobody to tell
    apart, and Django's rule stands: gunicorn must then be reachable by the proxy only.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SECURE_PROXY_SSL_HEADER and settings.TRUSTED_PROXIES and not from_trusted_proxy(request):
            request.META.pop(settings.SECURE_PROXY_SSL_HEADER[0], None)
        return self.get_response(request)


class LongURLs:
    """Answers a URL longer than URL_MAX_BYTES with our 414 page.

    gunicorn refuses long request lines with a bare page of its own; gunicorn.conf.py lets them through up to its
    maximum, 8190 bytes, so that the visitor sees the site's page, in Japanese, and a way back.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if len(request.get_full_path().encode()) > settings.URL_MAX_BYTES:
            return render(request, "414.html", status=414)
        return self.get_response(request)


class RememberDevices:
    """Gives a browser that logs in the device cookie that keeps others' failed logins from locking it out
    (archive/logins.py).

    Only when the session changed, as a login changes it: reading the user on every response would make every page
    vary by cookie.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.modified:
            remember_device(request, response)
        return response


class PublicGZip(GZipMiddleware):
    """Django's gzip, for the responses that hold no secret: none with a CSRF token, a cookie, or `Vary: Cookie`.

    BREACH reads a secret out of a compressed page by reflecting guesses into it (a search's `q` is reflected on
    every results page). The public pages, feeds and exports are the same for everyone, so there is nothing to
    read; the login page, the admin and any page with a form that POSTs carry a CSRF token, a session's content
    or both, and go out uncompressed (docs/operations.md).
    """

    def process_response(self, request, response):
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or response.cookies or has_vary_header(response, "Cookie"):
            return response
        return super().process_response(request, response)
