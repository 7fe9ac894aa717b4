"""Search against a plain Python substring search over a small corpus built here, on real PostgreSQL."""

import random
import re

import pytest

from posts.ingest.importing import import_text
from posts.models import Post, Source, Topic
from posts.search.facets import facet_counts
from posts.search.matching import Lookup, search
from posts.search.query import parse_query
from posts.search.ranking import relevance
from posts.search.scope import Scope, parts_named
from posts.search.tokens import CJK, LATIN, char_class, normalize
from tests.conftest import post_quoting

pytestmark = pytest.mark.django_db

EXTRA_WORDS = ["周晓辉", "Ratcliffe", "RATCLIFFE", "ＦＢＩ", "FBI", "停戦", "関税", "台湾", "ﾃｽﾄ", "Ｔｒｕｍｐ", "习近平", "尖閣"]


def corpus_posts(seed_text: str, count: int = 24) -> list[str]:
    """Posts in the seed's format, each from a random selection of the seed's paragraphs and extra words."""
    rng = random.Random(7)
    paragraphs = [p for p in seed_text.split("\n") if p.strip() and not p.startswith(("http", "8/", "『"))]
    posts = []
    for n in range(count):
        chosen = rng.sample(paragraphs, 6)
        extra = " ".join(rng.sample(EXTRA_WORDS, rng.randint(0, 4)))
        quotes = "".join(
            f"8/{1 + i}Reuters<Headline {n} {i} {rng.choice(['Ratcliffe', 'tariffs', 'Taiwan'])}=見出し{n}の{i}>\n"
            f"{chosen[i]}\n\nhttps://www.reuters.com/2025/08/0{1 + i}/{n}-{i}/\n\n"
            for i in range(2)
        )
        # A long article, cut into several passages, some of them inside long paragraphs.
        article = "".join(rng.choice(paragraphs) for _ in range(24)) + "\n\n" + "\n\n".join(rng.sample(paragraphs, 30))
        posts.append(
            f"『投稿{n} {chosen[2][:12]}』(8/{3 + n % 5}日経 記者{n})について\n\n{quotes}"
            f"{chosen[3]} {extra}\n\n記事\n\n{chosen[4]}\n\n{article}\n\n{chosen[5]}\n"
        )
    return posts


@pytest.fixture(scope="module")
def corpus(django_db_setup, django_db_blocker, seed_text):
    """The corpus, imported once for the module (and removed after it)."""
    with django_db_blocker.unblock():
        for n, text in enumerate(corpus_posts(seed_text)):
            assert import_text(text, name=f"{n}.txt").outcome == "created"
        yield {post.pk: [text.text for text in post.texts()] for post in Post.objects.prefetch_related("quotes")}
        Post.objects.all().delete()
        Source.objects.all().delete()


def found(query: str) -> set[int]:
    return set(search(Post.objects.all(), parse_query(query)).values_list("id", flat=True))


def containing(corpus, query: str) -> set[int]:
    """Posts with a text that holds `query` (NFKC, lower case) as a substring."""
    needle, _ = normalize(query)
    return {pk for pk, texts in corpus.items() if any(needle in normalize(text)[0] for text in texts)}


def having_word(corpus, word: str) -> set[int]:
    """Posts with a text that holds a word starting with `word` (English is searched by words)."""
    needle, _ = normalize(word)
    pattern = re.compile(re.escape(needle))
    return {pk for pk, texts in corpus.items() if any(_word_start(pattern, normalize(t)[0]) for t in texts)}


def _word_start(pattern, text) -> bool:
    return any(m.start() == 0 or char_class(text[m.start() - 1]) != LATIN for m in pattern.finditer(text))


@pytest.mark.parametrize(
    "query",
    ["停", "税", "湾", "戦", "停戦", "関税", "台湾", "周晓辉", "习近平", "ウクライナ", "機密解除", "テスト", "ﾃｽﾄ",
     "2", "25年", "5年", "2016", "30日間停戦"],
)
def test_cjk_queries_find_exactly_the_posts_that_contain_them(corpus, query):
    expected = containing(corpus, query)
    assert found(query) == expected


@pytest.mark.parametrize("query", ["Ratcliffe", "ratcliffe", "RATCLIFFE", "ＦＢＩ", "fbi", "trump", "Ｔｒｕｍｐ", "tariff", "ratcl"])
def test_english_queries_find_words_in_any_case_and_width(corpus, query):
    expected = having_word(corpus, query)
    assert expected, "the corpus should hold the word"
    assert found(query) == expected


def test_the_corpus_is_long_enough_to_be_cut_into_passages(corpus):
    from posts.models import Passage

    assert Passage.objects.filter(part="article", start__gt=0).count() > len(corpus)


def test_random_cjk_substrings_are_found_exactly(corpus):
    rng = random.Random(11)
    checked = 0
    texts = [(pk, text) for pk, found_texts in corpus.items() for text in found_texts]
    while checked < 200:
        pk, text = rng.choice(texts)
        normalized, _ = normalize(text)
        start = rng.randrange(len(normalized))
        piece = normalized[start : start + rng.randint(1, 12)]
        if not piece or any(char_class(ch) != CJK for ch in piece):
            continue
        checked += 1
        result = found(piece)
        assert pk in result, piece
        assert result == containing(corpus, piece), piece


def test_spaces_mean_and_or_means_either_and_minus_excludes(corpus):
    rng = random.Random(5)
    words = ["停戦", "台湾", "周晓辉", "尖閣", "関税", "機密", "ロシア", "習近平", "ウクライナ", "2025"]
    for _ in range(30):
        a, b = rng.sample(words, 2)
        assert found(f"{a} {b}") == containing(corpus, a) & containing(corpus, b), (a, b)
        assert found(f"{a} OR {b}") == containing(corpus, a) | containing(corpus, b), (a, b)
        assert found(f"{a} -{b}") == containing(corpus, a) - containing(corpus, b), (a, b)


def test_a_phrase_in_quotes_keeps_its_words_together(corpus):
    assert found('"Headline 3 0"') == {pk for pk, texts in corpus.items() if any("Headline 3 0" in t for t in texts)}
    assert found('"0 Headline"') == set()
    rng = random.Random(3)
    for _ in range(20):
        pk, texts = rng.choice(list(corpus.items()))
        words = rng.choice(texts).split()
        if len(words) < 3:
            continue
        phrase = " ".join(words[:2])
        assert pk in found(f'"{phrase}"'), phrase


def test_the_part_filter_limits_where_the_hit_must_be(corpus):
    def hits(text, part):
        return set(search(Post.objects.all(), parse_query(text), Scope(parts_named((part,)))).values_list("id", flat=True))

    # 見出し is only in the quotes' translated titles; 記者 only in the title line's author, which is not searched.
    assert hits("見出し", "quote") == set(corpus)
    assert hits("見出し", "article") == hits("見出し", "commentary") == set()
    everywhere = containing(corpus, "停戦")
    assert set() < hits("停戦", "article") <= everywhere
    assert hits("停戦", "article") | hits("停戦", "quote") | hits("停戦", "commentary") == everywhere


@pytest.mark.parametrize(
    "query",
    ["&", "|", "!", ":*", "()", "<->", "'", '"', "\\", "a & b | !c", "停戦:*", "(停戦", "<script>", "’'‘", "-", "OR",
     "-OR", '"" OR ""', "x" * 500, "停" * 500, "\x00", "%", "_", "停戦<->関税", "!台湾"],
)
def test_any_input_gives_results_or_a_message_never_an_error(corpus, query):
    parsed = parse_query(query)
    posts = search(Post.objects.all(), parsed)
    count = posts.count()  # runs the SQL
    assert count >= 0
    if not parsed:
        assert count == Post.objects.count() or parsed.problems or query.strip() in ("", "OR")


def test_relevance_puts_title_matches_first(corpus):
    query = parse_query("周晓辉 OR 見出し3の")
    ids = sorted(found("周晓辉 OR 見出し3の"))
    scores = relevance(ids, Lookup(query), Post.objects.count())
    assert set(scores) == set(ids)
    in_titles = {pk for pk in ids if "周晓辉" in Post.objects.get(pk=pk).title}
    assert not in_titles  # the corpus has no 周晓辉 in titles: title weight must come from elsewhere
    title_query = parse_query("投稿3")
    title_hits = sorted(found("投稿3"))
    body_hit = sorted(found("見出し5の0"))
    scores = relevance(title_hits + body_hit, Lookup(parse_query("投稿3 OR 見出し5の0")), Post.objects.count())
    assert min(scores[pk] for pk in title_hits) > max(scores[pk] for pk in body_hit)
    assert title_query


def quoting(title: str, date: str, outlets: list[str], article_outlet: str = "日経") -> Post:
    year, month, day = date.split("-")
    quotes = "".join(
        f"{int(month)}/{int(day)}{outlet}<Headline {n}={title}の見出し{n}>\n本文{n}。\nhttps://example.org/{title}/{n}\n\n"
        for n, outlet in enumerate(outlets)
    )
    body = f"『{title}』({year}/{int(month)}/{int(day)}{article_outlet} 記者)について\n\n{quotes}論評。\n"
    return import_text(body, name=f"{title}.txt").post


def test_facet_counts_count_each_post_once_per_outlet():
    first = quoting("甲", "2024-08-01", ["Bloomberg", "Bloomberg", "CNN"], article_outlet="Bloomberg")
    second = quoting("乙", "2023-08-02", ["CNN"])
    third = quoting("丙", "2024-09-03", ["Reuters"])
    war, trade = Topic.objects.create(name="戦争", slug="war"), Topic.objects.create(name="貿易", slug="trade")
    first.topics.add(war, trade)
    second.topics.add(war)
    ids = [first.id, second.id, third.id]

    counts = facet_counts(ids)

    names = {Source.objects.get(name=name).slug: name for name in ("Bloomberg", "CNN", "Reuters", "日経")}
    assert [(row["name"], row["posts"]) for row in counts["sources"]] == [("CNN", 2), ("日経", 2), ("Bloomberg", 1), ("Reuters", 1)]
    assert all(names[row["slug"]] == row["name"] for row in counts["sources"])
    assert [(row["name"], row["posts"]) for row in facet_counts(ids, limit=2)["sources"]] == [("CNN", 2), ("日経", 2)]
    assert counts["years"] == [{"year": 2024, "posts": 2}, {"year": 2023, "posts": 1}]
    assert [(row["month"].isoformat(), row["posts"]) for row in counts["months"]] == [("2023-08-01", 1), ("2024-08-01", 1), ("2024-09-01", 1)]
    topics = {}
    for post in (first, second, third):
        for topic in post.topics.all():
            topics[topic.slug] = topics.get(topic.slug, 0) + 1
    assert {row["slug"]: row["posts"] for row in counts["topics"]} == topics
    assert topics["war"] == 2 and topics["trade"] == 1  # the topics added above, besides any the rules gave
    assert facet_counts([]) == {"sources": [], "topics": [], "years": [], "months": []}


def test_han_variants_find_each_other_both_ways():
    traditional = import_text(post_quoting("繁体", [("Reuters", "臺灣與習近平、周曉輝。")]), name="t.txt").post
    japanese = import_text(post_quoting("新字体", [("Reuters", "台湾と習近平、周暁輝。")]), name="j.txt").post
    simplified = import_text(post_quoting("简体", [("Reuters", "台湾和习近平、周晓辉。")]), name="s.txt").post
    every = {traditional.pk, japanese.pk, simplified.pk}
    mine = Post.objects.filter(id__in=every)  # the module's corpus may be there too
    for query in ("台灣", "臺灣", "台湾", "习近平", "習近平", "周曉輝", "周暁輝", "周晓辉", '"习近平、周曉輝"'):
        assert set(search(mine, parse_query(query)).values_list("id", flat=True)) == every, query
    assert not search(mine, parse_query("國")).exists()  # nothing else folds: none of them has 国 or 國
