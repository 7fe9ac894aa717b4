import pytest

from posts.ingest.links import url_key


@pytest.mark.parametrize(
    "written",
    [
        "https://www.aboluowang.com/2025/0805/2257826.html",
        "http://aboluowang.com/2025/0805/2257826.html/",
        "https://m.aboluowang.com/2025/0805/2257826.html?utm_source=twitter&utm_medium=social",
        "https://mobile.aboluowang.com/2025/0805/2257826.html#comments",
        "HTTPS://WWW.ABOLUOWANG.COM/2025/0805/2257826.html?fbclid=abc",
    ],
)
def test_the_ways_one_url_is_written_share_a_key(written):
    assert url_key(written) == "aboluowang.com/2025/0805/2257826.html"


def test_x_and_twitter_are_one_site_and_share_parameters_do_not_count():
    assert url_key("https://x.com/Patel/status/1952?s=46&t=xyz") == url_key("https://mobile.twitter.com/Patel/status/1952")
    assert url_key("https://x.com/Patel/status/1952") == "twitter.com/Patel/status/1952"


def test_what_tells_pages_apart_stays():
    assert url_key("https://example.org/a?page=2&id=7") == "example.org/a?id=7&page=2"
    assert url_key("https://example.org/a?id=7") != url_key("https://example.org/a?id=8")
    assert url_key("https://example.org/A") != url_key("https://example.org/a")  # paths are case-sensitive
    assert url_key("https://example.org/s?s=1") == "example.org/s?s=1"  # s is X's share parameter only on X
    assert url_key("https://m.jp/x") == "m.jp/x"  # a host that is only a prefix and a suffix keeps it


def test_what_is_no_url_is_kept_as_written():
    assert url_key("  not a url ") == "not a url"
    assert url_key("https://[bad") == "https://[bad"
