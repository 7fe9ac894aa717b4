"""Phrases are checked only as far as a search page needs, and never wrongly."""

import pytest
from django.http import QueryDict

from posts.ingest.importing import import_text
from posts.models import Post
from posts.search.matching import Lookup, search
from posts.search.query import parse_query
from posts.web.results import Search
from tests.conftest import small_post

pytestmark = pytest.mark.django_db

# Day → body: the phrase 停戦交渉, its bigrams apart (a candidate the index cannot tell from a hit), or neither.
BODIES = {
    1: "停戦交渉が始まった。",
    2: "交渉の前に停戦した。停戦は戦交なし。",  # 停戦, 戦交 and 交渉 all here, never in a row
    3: "停戦交渉は続く。",
    4: "関係のない話。",
    5: "交渉、停戦、戦交。",  # the bigrams again, apart
    6: "長い停戦交渉。",
    7: "停戦交渉。",
}


@pytest.fixture
def posts():
    return {day: import_text(small_post(title=f"投稿{day}", day=day, body=body), name=f"{day}.txt").post.pk for day, body in BODIES.items()}


def newest(ids) -> list[int]:
    return list(Post.objects.filter(id__in=ids).newest().values_list("id", flat=True))


def test_the_index_finds_candidates_and_the_check_keeps_only_the_phrase(posts):
    lookup = Lookup(parse_query("停戦交渉"))
    candidates = list(lookup.narrow(Post.objects.all()).newest().values_list("id", flat=True))
    assert set(candidates) == {posts[d] for d in (1, 2, 3, 5, 6, 7)}
    assert lookup.check(candidates) == [posts[d] for d in (7, 6, 3, 1)]


def test_first_reads_candidates_in_order_and_stops_once_it_has_enough(posts, monkeypatch):
    monkeypatch.setattr("posts.search.matching.MIN_BATCH", 1)
    lookup = Lookup(parse_query("停戦交渉"))
    ordered = list(lookup.narrow(Post.objects.all()).newest().values_list("id", flat=True))
    assert ordered == [posts[d] for d in (7, 6, 5, 3, 2, 1)]
    (hits,) = lookup.positive[0]
    read = []
    holding = hits.holding
    monkeypatch.setattr(hits, "holding", lambda ids, timeout_ms=None: read.append(sorted(ids)) or holding(ids))
    assert lookup.first(ordered, 2) == [posts[7], posts[6]]
    assert read == [sorted([posts[7], posts[6], posts[5]])]  # 2 wanted, 5% more read: 3 posts; both hits, done
    read.clear()
    assert lookup.first(ordered, 4) == [posts[d] for d in (7, 6, 3, 1)]
    # 4 wanted: 5 read, 3 of them hits (60%), so 1 missing takes 2 more: only 1 is left
    assert read == [sorted([posts[7], posts[6], posts[5], posts[3], posts[2]]), [posts[1]]]
    assert lookup.first(ordered, 100) == [posts[d] for d in (7, 6, 3, 1)]


def test_a_phrase_is_read_in_its_first_candidate_passage_then_in_the_others(posts, monkeypatch):
    later = import_text(small_post(title="停戦と交渉と戦交", day=8, body="停戦交渉が始まった。"), name="8.txt").post.pk
    (hits,) = Lookup(parse_query("停戦交渉")).positive[0]
    assert len(hits.passages[later]) > 1  # the title, then the quote: both have the phrase's bigrams
    read = []
    _read = hits._read
    monkeypatch.setattr(hits, "_read", lambda ids, timeout_ms=None: read.append(sorted(ids)) or _read(ids))
    assert hits.holding([later, posts[7], posts[2]]) == {later, posts[7]}
    first = sorted(hits.passages[pk][0] for pk in (later, posts[7], posts[2]))
    assert read == [first, sorted(hits.passages[later][1:] + hits.passages[posts[2]][1:])]


def test_a_negated_phrase_excludes_only_posts_that_hold_it(posts):
    found = set(search(Post.objects.all(), parse_query("投稿 -停戦交渉")).values_list("id", flat=True))
    assert found == {posts[d] for d in (2, 4, 5)}


def test_a_phrase_or_a_word(posts):
    found = set(search(Post.objects.all(), parse_query("停戦交渉 OR 関係")).values_list("id", flat=True))
    assert found == {posts[d] for d in (1, 3, 4, 6, 7)}


def test_a_search_page_counts_only_real_hits_and_caps_in_order(posts):
    search = Search(QueryDict("q=停戦交渉"))
    assert search.ids == [posts[d] for d in (7, 6, 3, 1)]
    assert search.total_label == "4件"
    capped = Search(QueryDict("q=停戦交渉"), cap=2)
    assert capped.ids == [posts[7], posts[6]] and capped.capped
    oldest = Search(QueryDict("q=停戦交渉&sort=old"), cap=2)
    assert oldest.ids == [posts[1], posts[3]]


def test_a_phrase_within_a_part(posts):
    assert Search(QueryDict("q=停戦交渉&part=commentary")).ids == []
    assert Search(QueryDict("q=停戦交渉&part=quote")).ids == [posts[d] for d in (7, 6, 3, 1)]
