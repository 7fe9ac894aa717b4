"""Time as a way in: the archive's years and months, the year→month facet, and charts whose bars are links."""

import pytest

from posts.ingest.importing import import_text
from posts.models import Post

pytestmark = pytest.mark.django_db

WORD = "%E8%AB%96%E8%A9%95"  # 論評, in every post below


def dated(title: str, year: int, month: int, day: int = 4) -> Post:
    text = (
        f"『{title}』({year}/{month}/{day}日経)について\n\n"
        f"{month}/{day}Reuters<Headline {title}={title}の見出し>\n本文。\nhttps://example.org/{year}/{month}/{day}/{title}\n\n"
        "論評。\n"
    )
    return import_text(text, name=f"{title}.txt").post


@pytest.fixture
def posts():
    found = [dated("一", 2023, 5), dated("二", 2024, 8, 3), dated("三", 2024, 8, 20), dated("四", 2025, 2), dated("五", 2025, 8)]
    assert [str(post.published_on) for post in found] == ["2023-05-04", "2024-08-03", "2024-08-20", "2025-02-04", "2025-08-04"]
    return found


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_the_archive_lists_every_year_with_its_count_and_its_months(client, posts):
    html = page(client, "/archive/")
    years = [html.index(f'<a href="/archive/{year}/">{year}年</a>') for year in (2025, 2024, 2023)]
    assert years == sorted(years)  # newest first
    assert '<td class="number">2件</td>' in html and '<td class="number">1件</td>' in html
    assert '<a href="/archive/2024/8/" aria-label="2024年8月: 2件">8月</a>' in html
    assert '<a href="/archive/2025/2/" aria-label="2025年2月: 1件">2月</a>' in html
    assert "/archive/2024/1/" not in html and "/archive/2022/" not in html


def test_a_year_lists_only_its_months_with_posts_with_their_counts(client, posts):
    html = page(client, "/archive/2025/")
    assert '<a href="/archive/2025/2/">2月</a> <span class="count">1</span>' in html
    assert '<a href="/archive/2025/8/">8月</a> <span class="count">1</span>' in html
    assert not any(f'"/archive/2025/{month}/"' in html for month in (1, 3, 4, 5, 6, 7, 9, 10, 11, 12))
    month = page(client, "/archive/2025/8/?q=論評")
    assert '<a href="/archive/2025/8/?q=%E8%AB%96%E8%A9%95" aria-current="page">8月</a>' in month
    assert '<a href="/archive/2025/?q=%E8%AB%96%E8%A9%95">2025年</a>' in month  # back to the year, the search kept


@pytest.mark.parametrize("url", [
    "/archive/2030/", "/archive/2030/1/", "/archive/2022/", "/archive/2025/3/", "/archive/2025/13/", "/archive/0/",
    "/archive/2025/0/", "/archive/99999999999999999999999/",
])
def test_years_and_months_without_posts_are_our_404_page(client, posts, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "ページが見つかりません" in response.content.decode()


def test_every_page_links_to_the_archive(client, posts):
    for url in ["/", f"/posts/{posts[0].pk}/", "/sources/", "/quotes/", "/topics/", "/archive/", "/archive/2024/8/"]:
        assert '<li><a href="/archive/">年月別</a></li>' in page(client, url), url


def test_the_year_facet_reveals_its_months_each_a_link_to_that_month_keeping_the_other_parameters(client, posts):
    html = page(client, "/?q=論評&sort=old&page=1")
    year = f"/?q={WORD}&amp;sort=old&amp;date_from=2024-01-01&amp;date_to=2024-12-31"
    facets = html.split('class="facets"')[1]
    assert f'<a href="{year}">2024年</a>' in facets
    assert "date_from=2024-08-01" not in facets  # a year's months come with the year

    chosen = page(client, year.replace("&amp;", "&"))
    assert f'<a href="/?q={WORD}&amp;sort=old" aria-current="true" title="この条件を外す">2024年</a>' in chosen
    month = f"/?q={WORD}&amp;sort=old&amp;date_from=2024-08-01&amp;date_to=2024-08-31"
    assert f'<a href="{month}" aria-label="2024年8月: 2件">8月</a>' in chosen
    assert "2023年" not in chosen.split('class="facets"')[1]  # another year's posts are not counted

    in_month = page(client, month.replace("&amp;", "&"))
    assert f'<a href="{year}" aria-label="2024年8月: 2件" aria-current="true" title="この条件を外す">8月</a>' in in_month
    assert 'aria-label="2024年8月の条件を外す">2024年8月 ×</a>' in in_month  # the chip says the month in words


def test_each_chart_bar_links_to_its_month(client, posts):
    html = page(client, "/?sort=old")
    assert '<a href="/?sort=old&amp;date_from=2024-08-01&amp;date_to=2024-08-31" aria-label="2024年8月: 2件">' in html
    assert "2024-07-01" not in html  # a month without posts is no link
    year = page(client, "/archive/2025/?q=論評")  # on the archive's pages, to the month's page
    assert f'<a href="/archive/2025/8/?q={WORD}" aria-label="2025年8月: 1件">' in year
    source = page(client, "/sources/reuters/")  # an outlet's quotes, by the quote's own month
    assert '<a href="/quotes/?source=reuters&amp;date_from=2023-05-01&amp;date_to=2023-05-31" aria-label="2023年5月: 1件">' in source
    quotes = page(client, "/quotes/?source=reuters&date_from=2023-05-01&date_to=2023-05-31")
    assert "一の見出し" in quotes and "二の見出し" not in quotes
