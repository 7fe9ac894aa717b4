"""The public pages, feeds and exports: cached by URL and data version, with ETag, Last-Modified and 304; the admin
and signed-in pages never."""

import os
import uuid

import pytest
import redis
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.db import connection

from posts.ingest.importing import import_file, import_text
from posts.web.caching import PublicPages
from tests.conftest import SEED, small_post

pytestmark = pytest.mark.django_db

PUBLIC = ["/", "/?q=停戦", "/posts.json?q=停戦", "/posts.csv", "/quotes/", "/sources/", "/topics/", "/feed/",
          "/search/feed/?q=停戦", "/archive/"]


@pytest.fixture
def seed():
    return import_file(SEED).post


@override_settings(CACHE_MAX_AGE=120)
@pytest.mark.parametrize("url", PUBLIC)
def test_public_pages_say_how_long_they_keep_and_answer_a_conditional_request_with_304(client, seed, url):
    first = client.get(url)
    assert first.status_code == 200
    assert first["Cache-Control"] == "public, max-age=120"
    assert first["ETag"] and first["Last-Modified"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"], HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


def test_if_modified_since_alone_gets_the_page_since_last_modified_is_not_exact(client, seed):
    first = client.get("/")
    assert client.get("/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 200


def test_a_compressed_page_is_revalidated_by_its_weak_etag(client, seed):
    first = client.get("/", HTTP_ACCEPT_ENCODING="gzip")
    assert first["Content-Encoding"] == "gzip" and first["ETag"].startswith("W/")
    assert client.get("/", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_each_url_has_its_own_etag(client, seed):
    assert client.get("/?q=停戦")["ETag"] != client.get("/?q=ロシア")["ETag"] != client.get("/")["ETag"]


def test_a_repeated_page_is_served_from_the_cache_without_searching(client, seed):
    client.get("/", {"q": "停戦"})
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/", {"q": "停戦"})
    assert again.status_code == 200 and "<mark>停戦</mark>" in again.content.decode()
    assert len(queries) == 2, [q["sql"] for q in queries]  # the data version, the cache's row


def test_an_import_invalidates_the_cached_page_and_its_etag(client, seed):
    first = client.get("/", {"q": "関税"})
    assert "新しい投稿の関税" not in first.content.decode()
    import_text(small_post("新しい投稿"), name="new.txt")
    conditional = client.get("/", {"q": "関税"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert conditional.status_code == 200 and conditional["ETag"] != first["ETag"]
    assert "新しい投稿" in conditional.content.decode()


def test_an_edit_shows_on_the_post_page_at_once(client, seed):
    client.get(f"/posts/{seed.pk}/")
    seed.title = "直した題名"
    seed.save()
    assert "直した題名" in client.get(f"/posts/{seed.pk}/").content.decode()


def test_the_admin_is_never_cached(admin_client, seed):
    response = admin_client.get("/admin/posts/post/")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert not response.has_header("ETag")


def test_someone_signed_in_gets_fresh_private_pages(admin_client, client, seed):
    client.get("/")  # cached for everyone else
    response = admin_client.get("/")
    assert response["Cache-Control"] == "private, no-store" and not response.has_header("ETag")
    with CaptureQueriesContext(connection) as queries:
        admin_client.get("/")
    assert len(queries) > 2  # rendered, not read from the cache


def test_a_page_that_sets_a_cookie_is_neither_cached_nor_public(seed):
    def view(request):
        response = HttpResponse("秘密")
        response.set_cookie("token", "x")
        return response

    response = PublicPages(view)(RequestFactory().get("/sources/"))
    assert not response.has_header("ETag") and not response.has_header("Cache-Control")
    assert PublicPages(lambda request: HttpResponse("別のページ"))(RequestFactory().get("/sources/")).content == "別のページ".encode()


@override_settings(PAGE_CACHE=False)
def test_the_cache_can_be_turned_off(client, seed):
    client.get("/", {"q": "停戦"})
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/", {"q": "停戦"})
    assert len(queries) > 2 and not response.has_header("ETag") and not response.has_header("Cache-Control")


def test_a_post_is_not_cached(client, seed):
    response = client.post("/", {"q": "停戦"})
    assert not response.has_header("ETag")


# The machine's Redis (`make test` starts it when it is not running): TEST_REDIS_URL to use another.
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def redis_pages(settings):
    """The pages in Redis (REDIS_URL), as a deployment with several web nodes keeps them; keys of this test only."""
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": prefix},
    }
    yield
    server = redis.Redis.from_url(REDIS_URL)  # not clear(): that empties the whole database, others' keys too
    for key in server.scan_iter(f"{prefix}:*"):
        server.delete(key)


@pytest.mark.usefixtures("redis_pages")
def test_pages_cached_in_redis_show_an_import_at_once(client, seed):
    first = client.get("/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").content == first.content
    assert len(queries) == 1  # the data version only: the page came from Redis
    import_text(small_post("新しい投稿"), name="new.txt")
    assert "新しい投稿" in client.get("/").content.decode()
