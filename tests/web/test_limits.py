"""What a request may cost: the per-client search rate (429), and a search over its budget or the database's
statement_timeout (503), each with a plain Japanese page and no traceback."""

import csv
import io

import pytest
from django.db import connection, transaction
from django.test import override_settings

from posts.ingest.importing import import_file, import_text
from posts.search import matching
from posts.search.matching import Budget, Lookup, SearchTooBroad
from posts.search.query import parse_query
from posts.web import exports, results
from posts.web.limits import LOCK_NAMESPACE
from tests.conftest import SEED, small_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed():
    return import_file(SEED).post


# Different searches: the same one again is served from the pages' cache, before the limit (posts/web/caching.py).
SEARCHES = ["停戦", "ロシア", "ウクライナ", "トランプ", "関税"]


@override_settings(SEARCH_RATE="3/h")
@pytest.mark.parametrize("url", ["/", "/posts.json", "/posts.csv", "/quotes/", "/quotes.csv", "/search/feed/"])
def test_searches_past_the_rate_get_a_japanese_429_for_that_client_only(client, seed, url):
    for q in SEARCHES[:3]:
        assert client.get(url, {"q": q}).status_code == 200
    refused = client.get(url, {"q": SEARCHES[3]})
    assert refused.status_code == 429
    assert "検索が多すぎます" in refused.content.decode() and refused["Retry-After"] == "60"
    assert client.get(url, {"q": SEARCHES[4]}, REMOTE_ADDR="192.0.2.7").status_code == 200  # another client


@override_settings(SEARCH_RATE="3/h")
def test_a_search_already_in_the_cache_is_served_past_the_rate(client, seed):
    for q in SEARCHES[:3]:
        assert client.get("/", {"q": q}).status_code == 200
    assert client.get("/", {"q": SEARCHES[3]}).status_code == 429
    again = client.get("/", {"q": SEARCHES[0]})
    assert again.status_code == 200 and "<mark>停戦</mark>" in again.content.decode()


@override_settings(SEARCH_RATE="3/h")
def test_one_allowance_covers_every_expensive_endpoint(client, seed):
    for url, q in zip(["/", "/posts.json", "/quotes/"], SEARCHES):
        assert client.get(url, {"q": q}).status_code == 200
    assert client.get("/posts.csv", {"q": SEARCHES[3]}).status_code == 429


@override_settings(SEARCH_RATE="3/h")
def test_browsing_without_a_query_is_not_limited(client, seed):
    for q in SEARCHES[:3]:
        client.get("/", {"q": q})
    for url in ["/", "/?source=the-gateway-pundit", "/feed/", f"/posts/{seed.pk}/", "/sources/", "/topics/"]:
        assert client.get(url).status_code == 200, url


@override_settings(SEARCH_RATE="3/h")
def test_ipv6_clients_are_counted_by_their_64_network(client, seed):
    for n in range(3):
        assert client.get("/", {"q": SEARCHES[n]}, REMOTE_ADDR=f"2001:db8::{n + 1}").status_code == 200
    assert client.get("/", {"q": SEARCHES[3]}, REMOTE_ADDR="2001:db8::ffff").status_code == 429
    assert client.get("/", {"q": SEARCHES[4]}, REMOTE_ADDR="2001:db8:0:1::1").status_code == 200


@override_settings(SEARCH_RATE="3/h", RATELIMIT_ENABLE=False)
def test_the_limit_can_be_turned_off(client, seed):
    for _ in range(5):
        assert client.get("/", {"q": "停戦"}).status_code == 200


def test_a_client_without_an_address_is_still_counted_not_an_error(client, seed):
    assert client.get("/", {"q": "停戦"}, REMOTE_ADDR="").status_code == 200


# The budget ------------------------------------------------------------------------------------


def test_a_lookup_stops_once_its_budget_is_spent(seed):
    query = parse_query("停戦 関税 台湾")
    with pytest.raises(SearchTooBroad):
        Lookup(query, budget=Budget(ms=1e-6))
    lookup = Lookup(query, budget=Budget(ms=10_000))
    assert len(lookup.positive) == 3


def test_a_lookup_may_overrun_the_budget_by_its_overrun_and_no_more():
    budget = Budget(ms=500)
    assert budget.timeout_ms is None  # the first lookup runs to its end
    budget.spent = 0.1
    assert budget.timeout_ms == 800
    budget.spent = 0.6
    assert budget.timeout_ms == 300 and budget.left is False
    assert Budget(ms=0).timeout_ms is None


def test_postgresql_cancels_a_lookup_past_the_overrun_and_the_search_is_too_broad():
    budget = Budget(ms=100)
    budget.spent = 0.01  # a first lookup took 10 ms: the next may take 170
    with pytest.raises(SearchTooBroad), budget.spending(), matching.search_plans(budget.timeout_ms):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(5)")
    assert 0.17 <= budget.spent < 2  # cancelled at 180 ms in all, not after 5 s


def test_a_budget_of_zero_is_no_budget(seed):
    assert len(Lookup(parse_query("停戦 関税 台湾"), budget=Budget(ms=0)).positive) == 3


@pytest.mark.parametrize("url", ["/", "/posts.json", "/posts.csv", "/quotes/", "/search/feed/"])
def test_a_search_over_its_budget_gets_a_japanese_503(client, seed, settings, url):
    settings.SEARCH_BUDGET_MS = 1e-6
    response = client.get(url, {"q": "停戦 関税 <b>台湾</b>"})
    assert response.status_code == 503
    body = response.content.decode()
    assert "検索の範囲が広すぎます" in body and "<b>台湾</b>" not in body and "Traceback" not in body


def test_one_term_is_never_too_broad(client, seed, settings):
    settings.SEARCH_BUDGET_MS = 1e-6  # the budget is checked before a lookup starts: the first always runs
    assert client.get("/", {"q": "停戦"}).status_code == 200


# statement_timeout -----------------------------------------------------------------------------


def test_a_statement_timeout_becomes_the_same_503(client, seed, monkeypatch):
    def slow(term, scope, of, timeout_ms=None):
        with transaction.atomic(), connection.cursor() as cursor:  # as TermHits.find's own (search_plans)
            cursor.execute("SET LOCAL statement_timeout = 50")
            cursor.execute("SELECT pg_sleep(2)")

    monkeypatch.setattr(matching.TermHits, "find", staticmethod(slow))
    response = client.get("/", {"q": "停戦"})
    assert response.status_code == 503 and "検索の範囲が広すぎます" in response.content.decode()
    assert client.get("/").status_code == 200  # the connection is usable again


def test_a_client_searches_one_at_a_time_and_the_lock_is_released(client, seed):
    other = connection.get_new_connection(connection.get_connection_params())  # another worker, mid-search
    try:
        other.execute("SELECT pg_advisory_lock(%s, hashtext('127.0.0.1'))", [LOCK_NAMESPACE])
        assert client.get("/", {"q": "停戦"}).status_code == 429
        assert client.get("/", {"q": "停戦"}, REMOTE_ADDR="192.0.2.7").status_code == 200  # another client
        assert client.get("/").status_code == 200  # browsing is not a search
        other.execute("SELECT pg_advisory_unlock(%s, hashtext('127.0.0.1'))", [LOCK_NAMESPACE])
        for _ in range(2):  # each request let go of its own lock
            assert client.get("/", {"q": "停戦"}).status_code == 200
    finally:
        other.close()


# What an export reads past its lookups ------------------------------------------------------------


@pytest.fixture
def slow_clock(monkeypatch):
    """Each stretch a budget times takes one second: one lookup spends 1 s, one batch of an export 1 s."""
    ticks = iter(range(10_000))
    monkeypatch.setattr(Budget, "clock", staticmethod(lambda: next(ticks)))


@pytest.fixture
def four_posts():
    for day in range(1, 5):
        import_text(small_post(f"停戦の投稿{day}", day=day, body="停戦の交渉が続く。"), name=f"p{day}.txt")


@override_settings(SEARCH_BUDGET_MS=1500, RATELIMIT_ENABLE=False)
@pytest.mark.parametrize("url", ["/posts.csv", "/quotes.csv"])
def test_an_export_past_its_budget_keeps_every_row_but_reads_no_more_texts(client, four_posts, slow_clock, monkeypatch,
                                                                           url):
    monkeypatch.setattr(results, "EXPORT_BATCH", 1)
    response = client.get(url, {"q": "停戦"})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    # The lookup spent 1 s of 1.5; the first batch was read (2 s), then nothing more.
    assert len(rows) == 4
    assert "停戦" in rows[0]["snippets"] and exports.SNIPPETS_OMITTED not in rows[0]["snippets"]
    assert [row["snippets"] for row in rows[1:]] == [exports.SNIPPETS_OMITTED] * 3


@override_settings(RATELIMIT_ENABLE=False)
def test_an_export_within_its_budget_has_every_snippet(client, four_posts):
    rows = list(csv.DictReader(io.StringIO(client.get("/posts.csv", {"q": "停戦"}).content.decode("utf-8-sig"))))
    assert len(rows) == 4 and all("停戦" in row["snippets"] for row in rows)

