"""What every request goes through: X-Forwarded-Proto from anybody but a trusted proxy dropped."""

from django.conf import settings

from archive.clients import from_trusted_proxy


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
