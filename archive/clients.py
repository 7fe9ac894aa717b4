"""Who is asking: the client address that login throttling counts failures against."""

from django.conf import settings


def client_ip(request) -> str:
    """The visitor's address: behind the TLS proxy (HTTPS on), the one it appended to X-Forwarded-For.

    Only the right-most entry is the proxy's own word; entries left of it come from the client and can be
    forged. Without a proxy, REMOTE_ADDR.
    """
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1].strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR", "")
