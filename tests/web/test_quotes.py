"""Quotes as records: /quotes/, quotes.json and quotes.csv, through Django's test client, on real PostgreSQL."""

import csv
import io
import json

import pytest

from posts.ingest.importing import import_file, import_text
from posts.models import Quote, Topic
from tests.conftest import SEED, post_quoting

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed():
    return import_file(SEED).post


def page(client, url: str, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, (url, params, response.status_code)
    return response.content.decode()


def results(client, **params) -> dict:
    return json.loads(page(client, "/quotes.json", **params))


def test_each_quote_is_a_row_with_its_outlet_titles_link_and_post(client, seed):
    html = page(client, "/quotes/")
    quotes = list(seed.quotes.select_related("source").order_by("position"))
    assert html.count('<tr>\n        <td>') == len(quotes) == 5
    first = quotes[0]
    assert f'<a href="{first.source.get_absolute_url()}">The Gateway Pundit</a>' in html
    assert f'<span class="original" lang="en">{first.original_title}</span>' in html
    assert f'<a class="original-link" href="{first.links.order_by("position").first().url}"' in html
    assert f'href="/posts/{seed.pk}/#quote-1"' in html
    assert '<time datetime="2025-08-05">2025年8月5日</time>' in html
    zh = quotes[2]
    assert zh.lang == "zh" and f'<span class="original" lang="zh">{zh.original_title}</span>' in html


def test_the_json_has_every_field_in_the_posts_envelope(client, seed):
    data = results(client)
    assert set(data) == {"count", "count_capped", "next", "results"}
    assert data["count"] == 5 and data["count_capped"] is False and data["next"] is None
    row = next(r for r in data["results"] if r["position"] == 3)
    assert set(row) == {"id", "post_id", "post_url", "position", "date", "outlet", "original_title",
                        "translated_title", "lang", "links", "snippets"}
    assert row["post_id"] == seed.pk and row["post_url"].endswith(f"/posts/{seed.pk}/#quote-3")
    assert row["outlet"] == {"name": "阿波羅新聞網", "slug": "阿波羅新聞網"} and row["lang"] == "zh"
    assert row["date"] == "2025-08-05" and row["links"] == ["https://www.aboluowang.com/2025/0805/2257826.html"]


def test_a_search_finds_the_quotes_whose_own_text_holds_every_term(client):
    post = import_text(post_quoting("甲", [("Reuters", "台湾有事の報道。"), ("CNN", "関税の話。"), ("Reuters", "台湾と関税。")],
                                    remark="台湾に触れる一言。"), name="a.txt").post
    by_position = {q.position: q.pk for q in post.quotes.all()}
    assert {r["id"] for r in results(client, q="台湾")["results"]} == {by_position[1], by_position[3]}
    assert {r["id"] for r in results(client, q="台湾 関税")["results"]} == {by_position[3]}
    assert {r["id"] for r in results(client, q="台湾有事")["results"]} == {by_position[1]}  # a phrase, checked
    assert {r["id"] for r in results(client, q="台湾 -関税")["results"]} == {by_position[1]}
    assert {r["id"] for r in results(client, q="台湾 in:commentary")["results"]} == {by_position[3]}  # the remark
    assert {r["id"] for r in results(client, q="title:見出し2")["results"]} == {by_position[2]}
    snippet = results(client, q="台湾有事")["results"][0]["snippets"]
    assert snippet == [{"where": "本文", "text": "台湾有事の報道。"}]


def test_filters_by_outlets_dates_language_and_topic(client):
    import_text(post_quoting("甲", [("Reuters", "一。"), ("CNN", "二。"), ("阿波羅新聞網", "三。")]), name="a.txt")
    war = Topic.objects.create(name="戦争", slug="war")
    earlier = import_text("『乙』(2024/9/9日経 記者)について\n\n9/9Bloomberg<台湾の行方=台湾の行方>\n四。\n\n"
                          "https://example.org/2024/09/09/b\n\n論評。\n", name="b.txt").post
    earlier.topics.add(war)

    def outlets(**params):
        return sorted(r["outlet"]["name"] for r in results(client, **params)["results"])

    assert outlets(source=["reuters", "cnn"]) == ["CNN", "Reuters"]  # repeatable: any of them
    assert outlets(q="outlet:cnn.com") == ["CNN"]
    assert outlets(q="-outlet:CNN -outlet:Reuters") == ["Bloomberg", "阿波羅新聞網"]
    assert outlets(date_to="2024-12-31") == ["Bloomberg"]
    assert outlets(date_from="2025-01-01") == ["CNN", "Reuters", "阿波羅新聞網"]
    assert outlets(date_from="2024-09-09", date_to="2024-09-09") == ["Bloomberg"]
    assert outlets(lang="ja") == ["Bloomberg"] and outlets(lang="en") == ["CNN", "Reuters", "阿波羅新聞網"]
    assert outlets(topic="war") == ["Bloomberg"]


def test_sort_facets_and_numbered_pages(client):
    for n in range(3):
        quotes = [("Reuters", f"本文{n}の{k}。") for k in range(9)]
        import_text(post_quoting(f"投稿{n}", quotes), name=f"{n}.txt")
    data = results(client)
    assert data["count"] == 27 and data["next"].endswith("/quotes.json?page=2")
    newest = [r["date"] for r in data["results"]]
    assert newest == sorted(newest, reverse=True)
    oldest = [r["date"] for r in results(client, sort="old")["results"]]
    assert oldest == sorted(oldest)
    html = page(client, "/quotes/")
    assert '<span aria-current="page">1</span>' in html and '<a href="?page=2" aria-label="2ページ目">2</a>' in html
    assert 'Reuters</a> <span class="count">27</span>' in html
    assert '英語</a> <span class="count">27</span>' in html
    year = newest[0][:4]  # the posts give no year: the import's
    assert f'{year}年</a> <span class="count">27</span>' in html and '8月</a> <span class="count">' in html


def test_the_csv_has_every_quote_and_runs_no_formula(client):
    import_text(post_quoting("甲", [("Reuters", "本文。")]).replace("Headline 1=見出し1", "=HYPERLINK(1)=見出し1"), name="a.txt")
    response = client.get("/quotes.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff"))))
    assert rows[0][:6] == ["id", "post_id", "post_url", "position", "date", "outlet"]
    assert len(rows) == 2 and rows[1][rows[0].index("original_title")].startswith("'=")


@pytest.mark.parametrize("params", [{"date_from": "x"}, {"lang": "fr"}, {"source": "nowhere"}, {"sort": "relevance"}])
def test_bad_parameters_are_a_message_or_a_400_never_an_error(client, params):
    response = client.get("/quotes/", params)
    assert response.status_code == 400 and "検索条件を確かめてください。" in response.content.decode()
    assert client.get("/quotes.json", params).status_code == 400
    assert client.get("/quotes.csv", params).status_code == 400


def test_a_bad_operator_is_a_message(client):
    html = page(client, "/quotes/", q="in:foo outlet:nowhere.example 台湾")
    assert "「in:」に使えるのは" in html and "「nowhere.example」という情報源は見つかりません。" in html


def test_the_import_reads_each_original_titles_language(seed):
    assert list(Quote.objects.filter(post=seed).order_by("position").values_list("lang", flat=True)) == ["en", "en", "zh", "zh", "zh"]


def test_every_outlet_of_a_quotes_search_with_a_filter_box(client):
    import_text(post_quoting("甲", [(outlet, "関税の話。") for outlet in ("Reuters", "CNN", "Bloomberg", "BBC")]), name="a.txt")
    html = page(client, "/quotes/", q="関税", source="cnn")
    assert 'href="/quotes/facets/source/?q=%E9%96%A2%E7%A8%8E&amp;source=cnn">すべて表示</a>' in html
    every = page(client, "/quotes/facets/source/", q="関税", source="cnn")
    assert 'href="/quotes/?q=%E9%96%A2%E7%A8%8E&amp;source=cnn&amp;source=reuters">Reuters</a> <span class="count">1</span>' in every
    filtered = page(client, "/quotes/facets/source/", q="関税", filter="b")
    assert ">Bloomberg</a>" in filtered and ">BBC</a>" in filtered and ">CNN</a>" not in filtered
