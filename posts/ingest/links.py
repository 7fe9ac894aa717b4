"""One key for the many ways a URL is written, so that posts citing the same article can be found. Pure Python.

The key leaves out the scheme, `www.`, `m.` and `mobile.`, a trailing slash, the fragment and tracking
parameters (`utm_*`, `fbclid`, `gclid`, X's `s` and `t`, …); `x.com` is `twitter.com`; the host is lower
case and the parameters left are sorted.

    >>> url_key("https://www.Example.com/a/b/?utm_source=x&id=2#top")
    'example.com/a/b?id=2'
    >>> url_key("https://x.com/user/status/123?s=20") == url_key("http://mobile.twitter.com/user/status/123")
    True
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit

HOST_PREFIXES = ("www.", "m.", "mobile.", "amp.")
SAME_HOSTS = {"x.com": "twitter.com"}
TRACKING = frozenset({"fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "mc_cid", "mc_eid", "ref", "ref_src",
                      "ref_url", "cmpid", "ocid", "smid", "smtyp"})
TRACKING_PREFIXES = ("utm_", "__twitter", "_hs")
TWITTER_SHARE = frozenset({"s", "t"})  # who shared a status and how, not which status


def url_key(url: str) -> str:
    """The URL without what varies between copies of one link; `url` itself, trimmed, when it does not parse."""
    url = url.strip()
    try:
        parts = urlsplit(url if "//" in url else f"//{url}")
        host = (parts.hostname or "").rstrip(".")
    except ValueError:
        return url
    if not host:
        return url
    for prefix in HOST_PREFIXES:
        if host.startswith(prefix) and host.count(".") > 1:
            host = host.removeprefix(prefix)
            break
    host = SAME_HOSTS.get(host, host)
    kept = sorted(
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if name.lower() not in TRACKING
        and not name.lower().startswith(TRACKING_PREFIXES)
        and not (host == "twitter.com" and name in TWITTER_SHARE)
    )
    path = parts.path.rstrip("/")
    return host + path + (f"?{urlencode(kept)}" if kept else "")
