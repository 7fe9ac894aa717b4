"""Who is asking: the client address that login throttling (and any rate limit) counts against.

Behind a reverse proxy every connection comes from the proxy, and X-Forwarded-For says whom it serves. Anybody can
write that header, so it is believed only as far as proxies listed in DJANGO_TRUSTED_PROXIES wrote it: each proxy
appends the address it was talking to, so reading from the right, past our own proxies, the first other address is
the one a trusted proxy saw. Everything further left is the client's own word.
"""

import ipaddress

from django.conf import settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def address(text: str) -> Address | None:
    """`text` as an IP address (an IPv4 address written as IPv6, `::ffff:10.0.0.1`, as IPv4), or None."""
    try:
        found = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    return getattr(found, "ipv4_mapped", None) or found


def is_trusted_proxy(peer: Address | None) -> bool:
    return peer is not None and any(peer in network for network in settings.TRUSTED_PROXIES)


def from_trusted_proxy(request) -> bool:
    """Whether the connection itself comes from one of our proxies (which may then speak for the client)."""
    return is_trusted_proxy(address(request.META.get("REMOTE_ADDR", "")))


def client_ip(request) -> str:
    """The visitor's address: REMOTE_ADDR, or behind trusted proxies the first untrusted X-Forwarded-For entry from
    the right.

    With no trusted proxies configured, or a connection from elsewhere, the headers are ignored. A malformed entry
    stops the walk: nothing left of it can be believed, and the last address a trusted proxy gave stands (at worst
    the proxy's own, which puts its visitors together rather than letting one of them pick an address). When every
    entry is a trusted proxy, the left-most one is the client.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    client = address(remote)
    if not is_trusted_proxy(client):
        return str(client) if client else remote
    for entry in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        hop = address(entry)
        if hop is None:
            break
        client = hop
        if not is_trusted_proxy(hop):
            break
    return str(client)
