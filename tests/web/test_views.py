"""Every page, feed and data format, through Django's test client, on real PostgreSQL."""

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest

from posts.ingest.importing import import_file, import_text
from posts.ingest.tagging import retag
from posts.models import Post, Source, Topic
from tests.conftest import SEED, post_quoting

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SEED_SOURCES = ["the-gateway-pundit", "rasmussen-reports", "阿波羅新聞網", "jbプレス"]
HOSTILE = "<script>alert('x')</script>"


def small(title: str, day: int, outlet: str = "Reuters", text: str = "本文。", year: int = 2024) -> Post:
    body = (
        f"『{title}』({year}/8/{day}日経 記者)について\n\n"
        f"8/{day}{outlet}<Headline {title}={title}の見出し>\n{text}\n"
        f"https://example.org/{year}/08/{day:02d}/{abs(hash(title))}\n\n論評。{text}\n"
    )
    return import_text(body, name=f"{title}.txt").post


@pytest.fixture
def seed():
    return import_file(SEED).post


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


# The home page, search and results ----------------------------------------------------------


def test_the_home_page_is_japanese_labelled_and_lists_the_latest_posts(client, seed):
    html = page(client, "/")
    assert '<html lang="ja">' in html
    assert '<label for="id_q">検索語</label>' in html
    assert 'role="search"' in html
    assert seed.title in html
    assert "検索の書き方" in html and "OR" in html


@pytest.mark.parametrize(
    "query, marked",
    [("停戦", "停戦"), ("ラトクリフ", "ラトクリフ"), ("ratcliffe", "Ratcliffe"), ("周晓辉", "周晓辉"), ("ＦＢＩ", "FBI")],
)
def test_the_seed_is_found_with_highlighted_snippets(client, seed, query, marked):
    html = page(client, f"/?q={query}")
    assert f'href="/posts/{seed.pk}/?q=' in html
    assert f"<mark>{marked}</mark>" in html
    assert "1件" in html


def test_snippets_say_where_they_were_found(client, seed):
    html = page(client, "/?q=周晓辉")
    assert "引用(阿波羅新聞網)" in html
    html = page(client, "/?q=国連総会決議")
    assert ">論評</a>" in html
    html = page(client, "/?q=カナナスキス")
    assert ">記事</a>" in html


def test_a_search_that_finds_nothing_says_so(client, seed):
    html = page(client, "/?q=存在しない語句")
    assert "該当する投稿はありません" in html and "0件" in html


HOSTILE_QUERIES = ["&", "|", "!", ":*", "()", "<->", "'", '"', "\\", "-", "OR", "(停戦", "停戦:*", "<script>", "x" * 600,
                   "、。!?", "\x00", "停戦 OR", "-停戦", "%", "'; DROP TABLE posts_post; --"]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_hostile_queries_answer_200_everywhere(client, seed, query):
    for url, params in [
        ("/", {}), ("/", {"sort": "relevance"}), ("/", {"sort": "old", "part": "quote"}),
        ("/posts.json", {}), ("/posts.csv", {"sort": "relevance"}), ("/search/feed/", {}), ("/topics/ロシア/", {}),
    ]:
        response = client.get(url, {"q": query, **params})
        if response.status_code == 400:  # every form refuses what the search form refuses (NUL), with reasons
            assert query == "\x00", (url, query)
        else:
            assert response.status_code == 200, (url, params, query)


@pytest.mark.parametrize("name", ["source", "topic", "date_from", "date_to", "part", "sort", "page"])
def test_hostile_filter_values_get_a_message_not_an_error(client, seed, name):
    for value in ["\x00", "'", "<script>", "x" * 1000, "-1", "9" * 30, "2025-02-30"]:
        for url in ["/", "/posts.json", "/posts.csv", "/search/feed/"]:
            assert client.get(url, {name: value}).status_code in (200, 400), (url, name, value)


def test_nul_and_odd_characters_in_paths_are_404(client):
    for url in ["/sources/%00/", "/sources/%00/feed/", "/topics/%00/", "/topics/a%00b/feed/", "/posts/%00/"]:
        assert client.get(url).status_code == 404, url


def test_a_query_of_punctuation_only_gets_a_message(client, seed):
    html = page(client, "/?q=!!!")
    assert "文字や数字を含まない語は無視しました" in html


def refused(client, url: str) -> str:
    """A page answered 400 (bad parameters): the search form with its messages."""
    response = client.get(url)
    assert response.status_code == 400, (url, response.status_code)
    return response.content.decode()


def test_bad_filters_get_messages_and_a_400_not_errors(client, seed):
    assert "日付を正しく入力してください" in refused(client, "/?date_from=2025-13-45")
    assert "開始日が終了日より後になっています" in refused(client, "/?date_from=2025-09-01&date_to=2025-01-01")
    assert "正しく選択してください" in refused(client, "/?source=no-such-outlet")
    assert "sideways は候補にありません" in refused(client, "/?sort=sideways")
    assert "検索条件を確かめてください" in refused(client, "/?sort=sideways")
    for url in ["/topics/ロシア/?sort=sideways", "/archive/2025/?source=no-such-outlet"]:
        assert "検索条件を確かめてください" in refused(client, url)
    for url in ["/search/facets/source/?sort=x", "/quotes/facets/source/?lang=fr"]:  # the list of every value
        assert "情報源" in refused(client, url)


def test_the_search_feed_answers_bad_parameters_with_a_400_page(client, seed):
    body = refused(client, "/search/feed/?q=停戦&date_from=2025-13-45")
    assert "検索の条件が正しくありません" in body and "日付を正しく入力してください" in body


# Filters and facets -----------------------------------------------------------------------------


@pytest.mark.parametrize("slug", SEED_SOURCES)
def test_each_seed_source_filters_to_the_seed(client, seed, slug):
    small("別の投稿", 1)
    html = page(client, f"/?source={slug}")
    assert seed.title in html and "別の投稿" not in html


def test_dates_filter_on_published_on(client, seed):
    small("古い投稿", 1, year=2020)
    assert "古い投稿" not in page(client, "/?date_from=2025-08-05")
    assert "古い投稿" in page(client, "/?date_to=2020-12-31")
    assert seed.title not in page(client, "/?date_to=2025-08-04")
    assert seed.title in page(client, "/?date_from=2025-08-05&date_to=2025-08-05")


def test_topic_and_part_filters(client, seed):
    small("北朝鮮の話", 2, text="北朝鮮がミサイルを発射。")
    assert "北朝鮮の話" in page(client, "/?topic=北朝鮮")
    assert seed.title not in page(client, "/?topic=北朝鮮")
    # カナナスキス is only in the seed's article.
    assert seed.title in page(client, "/?q=カナナスキス&part=article")
    assert seed.title not in page(client, "/?q=カナナスキス&part=quote")
    assert seed.title not in page(client, "/?q=カナナスキス&part=commentary")


def test_facets_follow_the_query_and_filters(client, seed):
    small("架空の話A", 1, outlet="Bloomberg", text="架空海峡。")
    small("架空の話B", 2, outlet="Bloomberg", text="架空海峡。")
    small("架空の話C", 3, outlet="CNN", text="架空海峡。")
    html = page(client, "/?q=架空海峡")
    facets = html[html.index('class="facets"') :]
    assert '>Bloomberg</a> <span class="count">2</span>' in facets
    assert '>CNN</a> <span class="count">1</span>' in facets
    assert "The Gateway Pundit" not in facets  # the seed does not say 架空海峡
    assert "?q=%E6%9E%B6%E7%A9%BA%E6%B5%B7%E5%B3%A1&amp;source=bloomberg" in facets
    assert '>2024年</a> <span class="count">3</span>' in facets
    narrowed = page(client, "/?q=架空海峡&source=bloomberg")
    assert "架空の話C" not in narrowed and "2件" in narrowed
    unfiltered = page(client, "/")
    assert '>The Gateway Pundit</a> <span class="count">1</span>' in unfiltered


def test_sorting(client, seed):
    small("二〇二一年の投稿", 1, year=2021)
    newest = page(client, "/")
    oldest = page(client, "/?sort=old")
    assert newest.index(seed.title) < newest.index("二〇二一年の投稿")
    assert oldest.index("二〇二一年の投稿") < oldest.index(seed.title)
    assert page(client, "/?q=停戦&sort=relevance").count('class="post"') == 1


def test_results_are_counted_and_paged(client):
    for n in range(25):
        small(f"多数{n:02d}", 1 + n % 28)
    first = page(client, "/?q=多数")
    assert "25件" in first and '<span aria-current="page">1</span>' in first and 'rel="next"' in first
    assert first.count('class="post"') == 20
    second = page(client, "/?q=多数&page=2")
    assert second.count('class="post"') == 5 and '<span aria-current="page">2</span>' in second
    assert page(client, "/?q=多数&page=abc").count('class="post"') == 20  # a bad page number shows the first page
    assert page(client, "/?q=多数&page=99").count('class="post"') == 5  # past the end, the last page


def test_past_the_cap_counts_say_more_and_facets_count_the_first(client, settings):
    for n in range(12):
        small(f"上限{n:02d}", 1 + n, outlet="Bloomberg" if n % 2 else "CNN")
    settings.SEARCH_RESULTS_CAP = 10
    html = page(client, "/?q=上限")
    assert "10件以上" in html and 'class="pagination"' not in html
    assert "最初の10件の内訳です" in html
    facets = html[html.index('class="facets"') :]
    assert '>Bloomberg</a> <span class="count">5</span>' in facets  # the newest 10 posts: days 3 to 12
    data = json.loads(page(client, "/posts.json?q=上限"))
    assert (data["count"], data["count_capped"]) == (10, True)


def test_relevance_puts_the_strongest_matches_first(client, seed):
    small("架空語の見出し架空語", 1, text="架空語。")
    small("ふつうの見出し", 2, text="本文に架空語が一度。")
    html = page(client, "/?q=架空語&sort=relevance")
    assert html.index("ふつうの見出し") > html.index("の見出し<mark>架空語</mark>")
    newest = page(client, "/?q=架空語")
    assert newest.index("ふつうの見出し") < newest.index("の見出し<mark>架空語</mark>")


def test_snippets_come_only_from_the_part_searched(client, seed):
    html = page(client, "/?q=停戦&part=article")
    snippets = html[html.index('class="snippets"') : html.index("</ul>", html.index('class="snippets"'))]
    assert ">記事</a>" in snippets and "引用(" not in snippets and ">論評</a>" not in snippets


# The post page ------------------------------------------------------------------------------------


def test_the_post_page_shows_every_part_with_anchors(client, seed):
    html = page(client, f"/posts/{seed.pk}/")
    for n in range(1, 6):
        assert f'id="quote-{n}"' in html
    assert 'id="commentary"' in html and 'id="article"' in html
    assert "CIA Director John Ratcliffe" in html and "69%が賛成" in html
    assert 'href="https://www.aboluowang.com/2025/0805/2257826.html"' in html
    assert 'href="/sources/jb%E3%83%97%E3%83%AC%E3%82%B9/"' in html
    assert "横山恭三" in html and "<mark>" not in html


def test_a_post_reached_from_a_search_highlights_the_terms(client, seed):
    html = page(client, f"/posts/{seed.pk}/?q=ラトクリフ")
    assert html.count("<mark>ラトクリフ</mark>") > 5
    assert "「ラトクリフ」に一致する箇所を強調しています" in html


def test_the_post_page_links_to_older_and_newer_posts(client, seed):
    older = small("前の投稿", 1, year=2024)
    html = page(client, f"/posts/{seed.pk}/")
    assert f'rel="prev" href="/posts/{older.pk}/"' in html
    assert f'rel="next" href="/posts/{seed.pk}/"' in page(client, f"/posts/{older.pk}/")


def test_a_missing_post_is_404(client):
    assert client.get("/posts/999999/").status_code == 404


# Sources, topics, archive ---------------------------------------------------------------------------


def test_the_sources_page_lists_outlets_with_counts_dates_language_and_kind(client, seed):
    html = page(client, "/sources/")
    assert '阿波羅新聞網</a> <small>米国</small></th>\n      <td>中国語・ニュースサイト</td>\n      <td class="number">3</td>' in html
    assert '<time datetime="2025-08-05">' in html


def test_the_sources_table_filters_and_sorts(client, seed):
    def names(**params):
        return [row["name"] for row in json.loads(page(client, "/sources.json?" + "&".join(f"{k}={v}" for k, v in params.items())))]

    assert names(language="zh") == ["阿波羅新聞網"]
    assert names(kind="japanese") == ["JBプレス"]
    assert names(name="pundit") == names(name="ゲートウェイ") == ["The Gateway Pundit"]  # a name, another spelling
    assert names(sort="name") == sorted(names(), key=str.casefold)
    assert names()[0] == "阿波羅新聞網"  # most quotes first
    assert names(sort="quotes")[-1] == "JBプレス" and names(sort="latency")[-1] == "JBプレス"  # no quote: last
    html = page(client, "/sources/?sort=latency")
    assert '<a href="?sort=name">情報源</a>' in html and '<a href="?sort=latency" aria-current="true">' in html
    assert client.get("/sources/?sort=nonsense").status_code == 400
    assert client.get("/sources.json?kind=nonsense").status_code == 400


def test_latency_is_the_days_from_each_quote_to_its_post(client):
    # The post is published on its latest dated header (8/10); its quotes are of 8/1, 8/4 and 8/10; the X
    # status of the third was issued on 8/8 in Japan, which counts instead of its date.
    status = (1_700_000_000_000 - 1288834974657) << 22  # an X status id issued at 2023-11-14 22:13:20 UTC
    text = (
        "『遅れ』(2023/8/10日経)について\n\n"
        "8/1Reuters<A=一>\n一。\n\nhttps://www.reuters.com/2023/08/01/a\n\n"
        "8/4Reuters<B=二>\n二。\n\nhttps://www.reuters.com/2023/08/04/b\n\n"
        "11/16Reuters<C=三>\n三。\n\n"
        f"https://x.com/Reuters/status/{status}\n\n論評。\n"
    )
    post = import_text(text, name="a.txt").post
    assert str(post.published_on) == "2023-11-16"
    latency = Source.objects.get(name="Reuters").latency()
    # Days: 11/16 − 8/1 = 107, 11/16 − 8/4 = 104, 11/16 − 11/15 (the status, 07:13 on 11/15 in Japan) = 1.
    assert (latency.median, latency.quotes) == (104, 3)
    assert (latency.low, latency.high) == (52.5, 105.5)
    html = page(client, "/sources/")
    assert "104日 <small>(52.5〜105.5日)</small>" in html
    reuters = next(row for row in json.loads(page(client, "/sources.json")) if row["name"] == "Reuters")
    assert reuters["latency_days"] == {"median": 104, "p25": 52.5, "p75": 105.5, "quotes": 3}
    assert (reuters["language"], reuters["region"], reuters["kind"]) == ("en", "英国", "news")


def test_a_source_page_shows_each_quotes_original_title_in_its_language_with_its_link(client, seed):
    html = page(client, "/sources/阿波羅新聞網/")
    quote = seed.quotes.get(position=3)
    assert (f'<span class="original" lang="zh">{quote.original_title}</span>\n      '
            f'<a class="original-link" href="https://www.aboluowang.com/2025/0805/2257826.html"') in html
    assert "言語: 中国語。" in html and "種類: ニュースサイト。" in html
    assert "引用が投稿されるまでの日数: 中央値 0日" in html


def test_a_source_page_lists_its_quotes_newest_first_with_a_chart(client, seed):
    small("後日の引用", 20, outlet="阿波羅新聞網", year=2025)
    html = page(client, "/sources/阿波羅新聞網/")
    assert html.index("後日の引用の見出し") < html.index("周暁輝")
    assert f'href="/posts/{seed.pk}/#quote-3"' in html
    assert "阿波羅新聞網の引用数(月別): 2025年8月に4件。" in html  # one month: said, not drawn


def test_the_topic_page_search_goes_to_the_full_search(client, seed):
    html = page(client, "/topics/ロシア/")
    assert '<form class="search" method="get" action="/" role="search">' in html
    assert '<option value="ロシア" selected>' in html


def test_an_active_facet_and_its_chip_take_it_out(client, seed):
    html = page(client, "/?q=NATO&source=阿波羅新聞網")  # NATO is in its quotes
    assert '<a href="/?q=NATO" aria-current="true" title="この条件を外す">阿波羅新聞網</a>' in html
    assert '<a href="/?q=NATO" aria-label="阿波羅新聞網の条件を外す">阿波羅新聞網 ×</a>' in html
    assert '<a href="/?q=NATO">すべて解除</a>' in html


def test_facet_values_combine_and_every_filter_is_a_chip(client):
    import_text(post_quoting("投稿0", [("Reuters", "関税の話。"), ("CNN", "別の話。")]), name="0.txt")
    for n, outlet in enumerate(["CNN", "Bloomberg"], start=1):
        import_text(post_quoting(f"投稿{n}", [(outlet, "関税の話。")]), name=f"{n}.txt")
    both = json.loads(page(client, "/posts.json?source=reuters&source=cnn"))
    assert both["count"] == 2  # any of them
    html = page(client, "/?source=reuters&part=quote&date_from=2020-01-01&q=関税")
    assert '<a href="/?source=reuters&amp;source=cnn&amp;part=quote&amp;date_from=2020-01-01&amp;q=%E9%96%A2%E7%A8%8E">CNN</a>' in html
    assert '<a href="/?part=quote&amp;date_from=2020-01-01&amp;q=%E9%96%A2%E7%A8%8E" aria-label="Reutersの条件を外す">' in html
    assert 'aria-label="引用記事の条件を外す"' in html and 'aria-label="2020-01-01 〜 …の条件を外す"' in html
    assert '<a href="/?q=%E9%96%A2%E7%A8%8E">すべて解除</a>' in html


def test_every_value_of_a_facet_with_a_filter_box(client):
    for n, outlet in enumerate(["Reuters", "CNN", "Bloomberg", "BBC"]):
        import_text(post_quoting(f"投稿{n}", [(outlet, "関税の話。")]), name=f"{n}.txt")
    # With an outlet chosen, the others are still listed, to be added: counted without that choice.
    chosen = page(client, "/search/facets/source/?q=関税&source=cnn")
    assert '<a href="/?q=%E9%96%A2%E7%A8%8E" aria-current="true" title="この条件を外す">CNN</a>' in chosen
    assert 'href="/?q=%E9%96%A2%E7%A8%8E&amp;source=cnn&amp;source=reuters">Reuters</a>' in chosen
    html = page(client, "/?q=関税")
    assert 'href="/search/facets/source/?q=%E9%96%A2%E7%A8%8E">すべて表示</a>' in html
    every = page(client, "/search/facets/source/?q=関税")
    assert all(f">{name}</a>" in every for name in ("Reuters", "CNN", "Bloomberg", "BBC"))
    assert '<input type="hidden" name="q" value="関税">' in every
    filtered = page(client, "/search/facets/source/?q=関税&filter=b")
    assert ">Bloomberg</a>" in filtered and ">BBC</a>" in filtered and ">CNN</a>" not in filtered
    assert 'href="/?q=%E9%96%A2%E7%A8%8E&amp;source=bloomberg"' in filtered  # the filter box's word stays out
    assert client.get("/search/facets/nothing/").status_code == 404


def test_topics_and_archive_pages(client, seed):
    assert "ウクライナ戦争" in page(client, "/topics/")
    assert seed.title in page(client, "/topics/ウクライナ戦争/")
    assert seed.title in page(client, "/archive/2025/")
    assert seed.title in page(client, "/archive/2025/8/")
    assert client.get("/archive/2025/7/").status_code == 404  # no posts that month
    assert client.get("/archive/2025/13/").status_code == 404
    assert client.get("/archive/9999/12/").status_code == 404
    assert client.get("/topics/nothing/").status_code == 404
    assert client.get("/sources/nothing/").status_code == 404


def test_a_topic_page_lists_its_keywords_and_apart_the_words_it_does_not_count(client, seed):
    html = page(client, "/topics/中国/")
    assert "キーワード: 中国、China、Chinese、中共" in html
    assert "(数えない語: 中国語、中国地方、中国新聞、中国電力)" in html
    assert "-中国語" not in html


# Feeds -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/feed/", "/sources/阿波羅新聞網/feed/", "/topics/ウクライナ戦争/feed/", "/search/feed/?q=停戦"]
)
def test_each_feed_is_atom_with_the_seed(client, seed, url):
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    titles = [entry.find(f"{ATOM}title").text for entry in feed.findall(f"{ATOM}entry")]
    assert titles == [seed.title]


def test_feed_summaries_escape_imported_markup(client):
    import_text("『題』(2025/8/4日経)について\n\n論評<img src=x onerror=alert(1)>です。\n", name="x.txt")
    feed = ET.fromstring(client.get("/feed/").content)
    summary = feed.find(f"{ATOM}entry/{ATOM}summary")
    assert summary.get("type") == "html"
    # A reader renders the summary as HTML: decoded once, it must still be text.
    assert summary.text == "論評&lt;img src=x onerror=alert(1)&gt;です。"


def test_a_search_feed_for_nothing_is_empty(client, seed):
    feed = ET.fromstring(client.get("/search/feed/?q=存在しない語句").content)
    assert feed.findall(f"{ATOM}entry") == []


# Data out ------------------------------------------------------------------------------------------------


def test_posts_json_has_the_documented_shape(client, seed):
    data = json.loads(page(client, "/posts.json?q=停戦"))
    assert set(data) == {"count", "count_capped", "next", "results"}
    assert (data["count"], data["count_capped"], data["next"]) == (1, False, None)
    (result,) = data["results"]
    assert list(result) == ["id", "url", "title", "published_on", "article", "sources", "topics", "snippets"]
    assert result["url"] == f"http://testserver/posts/{seed.pk}/"
    assert result["article"] == {"date": "2025-08-04", "outlet": "JBプレス", "author": "横山恭三"}
    assert result["sources"] == ["Rasmussen Reports", "The Gateway Pundit", "阿波羅新聞網"]
    assert "停戦" in result["snippets"][0]["text"] and result["snippets"][0]["where"]


def test_posts_json_pages_with_next(client):
    for n in range(25):
        small(f"多数{n:02d}", 1 + n % 28)
    data = json.loads(page(client, "/posts.json?q=多数"))
    assert data["count"] == 25 and len(data["results"]) == 20
    assert data["next"] == "http://testserver/posts.json?q=%E5%A4%9A%E6%95%B0&page=2"
    assert len(json.loads(page(client, "/posts.json?q=多数&page=2"))["results"]) == 5


def test_posts_csv_takes_the_same_parameters(client, seed):
    small("=HYPERLINK(evil)", 1)
    response = client.get("/posts.csv", {"source": "阿波羅新聞網"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["id", "url", "title", "published_on"]
    assert [row[2] for row in rows[1:]] == [seed.title]
    everything = list(csv.reader(io.StringIO(client.get("/posts.csv").content.decode("utf-8-sig"))))
    assert "'=HYPERLINK(evil)" in [row[2] for row in everything]


def test_bad_parameters_to_data_formats_are_400_with_reasons(client):
    assert client.get("/posts.json?date_from=nope").status_code == 400
    assert client.get("/posts.csv?date_from=nope").status_code == 400


def test_a_posts_json_is_its_parsed_form(client, seed):
    data = json.loads(page(client, f"/posts/{seed.pk}.json"))
    assert data["id"] == seed.pk
    assert set(data) == {"id", "file", "title", "article", "published_on", "quotes", "commentary", "article_body", "links", "warnings"}
    assert len(data["quotes"]) == 5 and len(data["links"]) == 7
    assert data["quotes"][2]["outlet"] == "阿波羅新聞網"
    assert data["quotes"][0]["links"][0] == "https://twitter.com/i/status/1952177345420243283"


def test_sources_json_lists_every_outlet_with_its_quotes(client, seed):
    data = {row["name"]: row for row in json.loads(page(client, "/sources.json"))}
    assert {key: data["阿波羅新聞網"][key] for key in ("slug", "quotes", "language", "kind")} == {
        "slug": "阿波羅新聞網", "quotes": 3, "language": "zh", "kind": "news"}
    assert data["JBプレス"]["quotes"] == 0 and data["JBプレス"]["latency_days"] is None
    assert set(data["阿波羅新聞網"]) == {"name", "slug", "quotes", "first_quoted", "last_quoted", "language", "region",
                                      "kind", "aliases", "domains", "latency_days"}


# Nothing imported is rendered as markup ------------------------------------------------------------------


@pytest.fixture
def hostile():
    text = (
        f"『{HOSTILE}』(2025/8/4日経 {HOSTILE})について\n\n"
        f"8/4Evil{HOSTILE}<{HOSTILE}={HOSTILE}の見出し>\n本文{HOSTILE}\nhttps://example.org/2025/08/04/x\n→{HOSTILE}\n\n"
        f"論評{HOSTILE}\n\n記事\n\n記事{HOSTILE}\n"
    )
    post = import_text(text, name="hostile.txt").post
    Topic.objects.create(name=HOSTILE, slug="hostile", keywords=["script"])
    retag(post, Topic.objects.rules())
    return post


def test_imported_markup_is_shown_as_text_everywhere(client, hostile):
    source = Source.objects.get(name__startswith="Evil")
    urls = [
        "/", "/?q=script", "/?q=alert", f"/posts/{hostile.pk}/", f"/posts/{hostile.pk}/?q=script",
        "/sources/", source.get_absolute_url(), "/topics/", "/topics/hostile/", "/archive/2025/",
        "/quotes/", "/quotes/?q=script", "/search/facets/source/?q=script",
        "/feed/", "/search/feed/?q=script", f"{source.get_absolute_url()}feed/", "/topics/hostile/feed/",
    ]
    for url in urls:
        body = client.get(url).content.decode()
        assert "<script>" not in body, url
    assert "&lt;script&gt;" in page(client, f"/posts/{hostile.pk}/?q=script")


# Outlet-exact search ------------------------------------------------------------------------


def test_a_search_with_an_outlet_finds_and_shows_only_that_outlets_text(client):
    own = import_text(post_quoting("自前", [("Reuters", "台湾有事の報道。"), ("CNN", "関税。")]), name="a.txt").post
    other = import_text(post_quoting("他社", [("Reuters", "関税。"), ("CNN", "台湾有事の報道。")],
                                     commentary="台湾を論じる。"), name="b.txt").post

    html = page(client, "/?q=台湾&source=reuters")
    assert f'href="/posts/{own.pk}/' in html and f'href="/posts/{other.pk}/' not in html
    assert "引用(Reuters)" in html and "引用(CNN)" not in html and ">論評<" not in html
    assert "「Reuters」の引用と記事の中だけを検索しています。" in html
    assert 'href="?q=%E5%8F%B0%E6%B9%BE&amp;source=reuters&amp;scope=post">投稿全体で探す</a>' in html

    widened = page(client, "/?q=台湾&source=reuters&scope=post")
    assert f'href="/posts/{own.pk}/' in widened and f'href="/posts/{other.pk}/' in widened
    assert "投稿全体を検索しています。" in widened and ">「Reuters」の引用と記事の中だけで探す</a>" in widened

    data = json.loads(page(client, "/posts.json?q=台湾&source=reuters"))
    assert [row["id"] for row in data["results"]] == [own.pk]
    assert {snippet["where"] for snippet in data["results"][0]["snippets"]} == {"引用(Reuters)"}
    # Without a query the outlet filters as before: every post that quotes it.
    assert {row["id"] for row in json.loads(page(client, "/posts.json?source=reuters"))["results"]} == {own.pk, other.pk}


def test_a_bad_scope_is_a_message_not_an_error(client):
    response = client.get("/?q=台湾&scope=everything")
    assert response.status_code == 400 and "検索条件を確かめてください。" in response.content.decode()
    assert client.get("/posts.json?q=台湾&scope=everything").status_code == 400


# Operators and outlets named in the search box ------------------------------------------------


@pytest.fixture
def two_outlets():
    return {
        "reuters": import_text(post_quoting("自前", [("Reuters", "台湾有事の報道。"), ("CNN", "関税。")]), name="a.txt").post,
        "cnn": import_text(post_quoting("他社", [("Reuters", "関税。"), ("CNN", "台湾有事の報道。")],
                                        commentary="台湾を論じる。"), name="b.txt").post,
    }


def found_ids(client, query: str) -> set[int]:
    data = json.loads(page(client, f"/posts.json?q={query}"))
    return {row["id"] for row in data["results"]}


@pytest.mark.parametrize("outlet", ["Reuters", "reuters.com", "www.reuters.com", "ロイター", "REUTERS"])
def test_outlet_is_the_source_filter_written_in_the_query(client, two_outlets, outlet):
    assert found_ids(client, f"台湾 outlet:{outlet}") == {two_outlets["reuters"].pk}
    html = page(client, f"/?q=台湾 outlet:{outlet}")
    assert "「Reuters」の引用と記事の中だけを検索しています。" in html


def test_minus_outlet_leaves_out_the_posts_that_quote_it(client, two_outlets):
    other = import_text(post_quoting("第三", [("Bloomberg", "台湾の報道。")]), name="c.txt").post
    assert found_ids(client, "台湾 -outlet:CNN") == {other.pk}  # both of the others quote CNN


def test_title_and_in_restrict_where_a_term_is_found(client, two_outlets):
    titled = import_text(post_quoting("台湾の行方", [("Reuters", "関税。")]), name="c.txt").post
    assert found_ids(client, "title:台湾") == {titled.pk}
    assert found_ids(client, "title:見出し1 -title:行方") == {two_outlets["reuters"].pk, two_outlets["cnn"].pk}
    assert found_ids(client, "台湾 in:commentary") == {two_outlets["cnn"].pk}
    assert found_ids(client, "台湾 in:quote") == {two_outlets["reuters"].pk, two_outlets["cnn"].pk}
    assert found_ids(client, "台湾 in:quote&part=article") == set()


@pytest.mark.parametrize("query", ["台湾 outlet:nowhere.example", "in:foo 台湾", "outlet: 台湾", 'title:"" 台湾', "title:"])
def test_a_bad_operator_is_a_message_on_the_page_never_an_error(client, two_outlets, query):
    response = client.get("/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="notice" role="status"' in html
    assert client.get("/posts.json", {"q": query}).status_code == 200
    assert client.get("/search/feed/", {"q": query}).status_code == 200


def test_an_unknown_outlet_is_named_in_the_message(client, two_outlets):
    html = page(client, "/?q=台湾 outlet:nowhere.example")
    assert "「nowhere.example」という情報源は見つかりません。" in html


@pytest.mark.parametrize("query, kept", [("Reuters", None), ("台湾 ロイター", "台湾"), ("reuters.com", None), ("The Gateway Pundit", None)])
def test_a_word_that_names_an_outlet_is_answered_with_its_filter(client, two_outlets, seed, query, kept):
    html = page(client, f"/?q={query}")
    name, slug = ("The Gateway Pundit", "the-gateway-pundit") if "Gateway" in query else ("Reuters", "reuters")
    link = f'href="/?source={slug}{"&amp;q=" + kept if kept else ""}"'.replace("台湾", "%E5%8F%B0%E6%B9%BE")
    assert f"{link}>「{name}」の引用に絞り込む</a>" in html


def test_no_suggestion_for_an_outlet_already_chosen_or_a_word_that_names_none(client, two_outlets):
    assert "の引用に絞り込む" not in page(client, "/?q=Reuters&source=reuters")
    assert "の引用に絞り込む" not in page(client, "/?q=台湾")


# Cited by -------------------------------------------------------------------------------------------


def test_a_quote_cited_by_other_posts_links_to_them_and_the_links_page_finds_every_copy(client):
    first = import_text("『一つ目』(2025/8/4日経)について\n\n8/4Reuters<Tariffs=関税>\n本文。\n\n"
                        "https://www.reuters.com/world/2025/08/04/tariffs/\n\n論評。\n", name="a.txt").post
    second = import_text("『二つ目』(2025/8/6日経)について\n\n8/4ロイター<Tariffs rise=関税上昇>\n本文。\n\n"
                         "http://reuters.com/world/2025/08/04/tariffs?utm_source=x\n\n論評。\n", name="b.txt").post
    unrelated = import_text("『三つ目』(2025/8/7日経)について\n\n8/7Reuters<Other=別>\n本文。\n\n"
                            "https://www.reuters.com/world/2025/08/07/other/\n\n論評。\n", name="c.txt").post

    html = page(client, f"/posts/{first.pk}/")
    assert 'href="/links/?url=https%3A//www.reuters.com/world/2025/08/04/tariffs/">この記事を引用した投稿 1件</a>' in html
    assert "この記事を引用した投稿" not in page(client, f"/posts/{unrelated.pk}/")

    found = page(client, "/links/?url=https://mobile.reuters.com/world/2025/08/04/tariffs#top")
    assert "引用した投稿: 2件" in found
    assert f'href="/posts/{first.pk}/#quote-1"' in found and f'href="/posts/{second.pk}/#quote-1"' in found
    assert f'href="/posts/{unrelated.pk}/' not in found
    assert "引用した投稿: 0件" in page(client, "/links/?url=https://example.org/nothing")
    assert "このURLを引用した投稿" not in page(client, "/links/")  # the empty form


XML_ILLEGAL = [chr(c) for c in range(1, 32) if chr(c) not in "\t\n\r"] + ["\ufffe", "\uffff"]  # NUL: refused on import


@pytest.mark.parametrize("character", XML_ILLEGAL)
def test_a_character_xml_cannot_hold_never_breaks_a_feed(client, character):
    post = import_text(post_quoting(f"題{character}名", [("Reuters", f"本文{character}。")], commentary=f"論評{character}。"),
                       name="a.txt").post
    assert character in Post.objects.get(pk=post.pk).title  # stored as written
    source = Source.objects.get(name="Reuters")
    for url in ("/feed/", f"{source.get_absolute_url()}feed/", f"/search/feed/?q=本文{character}", "/search/feed/?q=題"):
        response = client.get(url)
        assert response.status_code == 200, url
        feed = ET.fromstring(response.content)  # expat: strict, refuses any character XML 1.0 cannot hold
        titles = [entry.find(f"{ATOM}title").text or "" for entry in feed.iter(f"{ATOM}entry")]
        assert any(title.startswith("題") and character not in title for title in titles), (url, titles)


def test_a_lone_surrogate_in_a_search_never_breaks_its_feed(client, seed):
    for query in ("%ED%A0%80", "日本%ED%B0%80", "%F0%9F"):  # a lone high and low surrogate in UTF-8, a cut-off character
        response = client.get(f"/search/feed/?q={query}")
        assert response.status_code == 200
        ET.fromstring(response.content)
