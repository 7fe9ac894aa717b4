"""URLs too long to serve get the site's own 414 page (archive/middleware.py), through Django and through gunicorn
with gunicorn.conf.py, and what gunicorn still answers itself past its maximum."""

import urllib.error
import urllib.request

import pytest

from tests.servers import gunicorn

pytestmark = pytest.mark.django_db


def assert_our_414(status: int, body: str) -> None:
    assert status == 414
    assert "アドレスが長すぎます" in body and "投稿と検索のページへ戻る" in body
    assert "xxxx" not in body  # nothing of the URL is repeated


def test_a_url_over_the_limit_gets_our_414_page(client, settings):
    settings.URL_MAX_BYTES = 4096  # the default
    query = "x" * (4096 - len("/?q="))
    assert client.get(f"/?q={query}").status_code == 200  # at the limit: served
    response = client.get(f"/?q={query}x")
    assert_our_414(response.status_code, response.content.decode())
    assert response["Content-Security-Policy"] and response["X-Frame-Options"] == "DENY"


def test_the_limit_counts_bytes_as_sent(client, settings):
    settings.URL_MAX_BYTES = 100
    assert client.get("/", {"q": "停" * 30}).status_code == 414  # 30 characters, 270 bytes percent-encoded


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_gunicorn_with_its_config_shows_our_page_for_a_6_kb_url():
    with gunicorn() as (base, _):
        assert_our_414(*get(f"{base}/?q={'x' * 6 * 1024}"))
        # Past gunicorn's own maximum (8190 bytes for the request line) it answers with its bare page.
        status, body = get(f"{base}/?q={'x' * 9 * 1024}")
        assert status == 414 and "アドレスが長すぎます" not in body
