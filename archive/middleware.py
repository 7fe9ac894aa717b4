"""What every request goes through: X-Forwarded-Proto from anybody but a trusted proxy dropped, a browser that logs in
remembered."""

from django.conf import settings

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
