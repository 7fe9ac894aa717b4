"""The web's basics: HEAD, compression, favicon, robots.txt, sitemaps, titles and link previews, page links, clean
search URLs, a visible focus ring."""

import gzip
import html as entities
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from posts.ingest.importing import import_file, import_text
from posts.models import Post, Topic
from tests.conftest import SEED, form_fields

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def seed():
    return import_file(SEED).post


def many(count: int, word: str = "多数") -> None:
    for n in range(count):
        import_text(f"『{word}{n:02d}』(2024/5/{1 + n % 28}日経)について\n\n論評{n}。\n", name=f"{word}{n}.txt")


class Head(HTMLParser):
    """The <title>, the <meta> tags and the <link> tags of a page."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.title, self.meta, self.links, self._in_title, self._in_head = "", {}, [], False, False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "head":
            self._in_head = True
        if not self._in_head:
            return
        if tag == "title":
            self._in_title = True
        elif tag == "meta" and "content" in attrs:
            self.meta[attrs.get("property") or attrs.get("name")] = attrs["content"]
        elif tag == "link":
            self.links.append(attrs)

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag == "head":
            self._in_head = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def head_of(client, url: str) -> Head:
    response = client.get(url)
    assert response.status_code == 200, url
    return Head(response.content.decode())


# HEAD -------------------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_head_answers_like_get_on_every_kind_of_page(client, seed):
    source, topic = seed.quotes.first().source, seed.topics.first()
    urls = [
        "/", "/?q=停戦", f"/posts/{seed.pk}/", "/quotes/", "/quotes/?q=停戦", "/quotes/facets/source/",
        "/search/facets/source/", f"/links/?url={seed.links.first().url}", "/sources/", source.get_absolute_url(),
        "/topics/", topic.get_absolute_url(), "/archive/", "/archive/2025/", "/archive/2025/8/",
        "/feed/", f"{source.get_absolute_url()}feed/", f"{topic.get_absolute_url()}feed/", "/search/feed/?q=停戦",
        "/posts.json", "/posts.csv", f"/posts/{seed.pk}.json", "/quotes.json", "/quotes.csv", "/sources.json",
        "/robots.txt", "/sitemap.xml", "/sitemap-posts.xml", "/healthz", "/admin/login/",
    ]
    for url in urls:
        got, head = client.get(url), client.head(url)
        assert (url, head.status_code) == (url, got.status_code) == (url, 200)
        assert head["Content-Type"] == got["Content-Type"] and head.content == b"", url
    assert client.head("/favicon.ico").status_code == 302
    assert client.post("/").status_code == 405  # only the safe methods


def content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


# Compression ------------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_pages_feeds_and_exports_are_gzipped_for_clients_that_accept_it(client, seed):
    for url in ["/", f"/posts/{seed.pk}/", "/feed/", "/posts.csv", "/sources.json"]:
        plain = client.get(url)
        packed = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        assert "Content-Encoding" not in plain and "Accept-Encoding" in plain["Vary"], url
        assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"], url
        body, text = content(packed), content(plain)
        assert gzip.decompress(body) == text and len(body) < len(text), url


@pytest.mark.django_db
def test_no_page_with_a_csrf_token_or_a_session_is_compressed(client, seed):
    login = client.get("/admin/login/", HTTP_ACCEPT_ENCODING="gzip")
    assert login.status_code == 200 and b"csrfmiddlewaretoken" in login.content
    assert "Content-Encoding" not in login

    boss = User.objects.create_superuser("boss", password="correct horse battery staple")
    client.force_login(boss)
    for url in ["/admin/", f"/admin/posts/post/{seed.pk}/change/", "/admin/posts/importbatch/new/"]:
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200 and b"csrfmiddlewaretoken" in response.content, url
        assert "Content-Encoding" not in response, url


# Favicon, robots.txt, sitemaps ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_favicon_is_linked_from_every_page_and_answers_at_favicon_ico(client):
    icons = [link for link in head_of(client, "/").links if link.get("rel") == "icon"]
    assert [(icon["href"], icon["type"]) for icon in icons] == [("/static/img/favicon.svg", "image/svg+xml")]
    response = client.get("/favicon.ico")
    assert (response.status_code, response["Location"]) == (302, "/static/img/favicon.svg")
    assert (ROOT / "static/img/favicon.svg").read_text().startswith("<svg xmlns=")


@pytest.mark.django_db
def test_robots_txt_keeps_crawlers_out_of_the_admin_exports_and_searches_and_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for rule in ["Disallow: /admin/", "Disallow: /search/", "Disallow: /*.json", "Disallow: /*.csv", "Disallow: /*?",
                 "Allow: /*?page="]:
        assert rule in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


@pytest.mark.django_db
def test_the_sitemap_lists_posts_sources_topics_and_archive_pages(client, seed):
    index = client.get("/sitemap.xml").content.decode()
    for section in ["lists", "posts", "sources", "topics", "archive"]:
        assert f"<loc>http://testserver/sitemap-{section}.xml</loc>" in index
    urls = "".join(client.get(f"/sitemap-{section}.xml").content.decode() for section in
                   ["lists", "posts", "sources", "topics", "archive"])
    source, topic = seed.quotes.first().source, seed.topics.first()
    for path in ["/", "/quotes/", "/archive/", f"/posts/{seed.pk}/", source.get_absolute_url(), topic.get_absolute_url(),
                 "/archive/2025/", "/archive/2025/8/"]:
        assert f"<loc>http://testserver{path}</loc>" in urls, path
    assert f"<lastmod>{timezone.localdate(seed.updated_at):%Y-%m-%d}</lastmod>" in urls


@pytest.mark.django_db
def test_a_large_archive_gets_a_sitemap_in_pages(client, monkeypatch):
    from posts.web.sitemaps import PostSitemap

    many(3)
    monkeypatch.setattr(PostSitemap, "limit", 2)
    index = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://testserver/sitemap-posts.xml?p=2</loc>" in index
    first, second = (client.get("/sitemap-posts.xml", {"p": p}).content.decode() for p in (1, 2))
    assert first.count("<url>") == 2 and second.count("<url>") == 1


# Titles, descriptions, link previews ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_each_page_of_a_list_has_its_own_title_and_description(client):
    many(25)
    first, second, home = head_of(client, "/?q=多数"), head_of(client, "/?q=多数&page=2"), head_of(client, "/")
    assert first.title == "「多数」の検索結果 - 投稿アーカイブ"
    assert second.title == "「多数」の検索結果 2ページ目 - 投稿アーカイブ"
    assert home.title == "投稿アーカイブ" and head_of(client, "/?page=2").title == "投稿の一覧 2ページ目 - 投稿アーカイブ"
    assert "「多数」" in first.meta["description"] and "2ページ目" in second.meta["description"]
    assert len({first.meta["description"], second.meta["description"], home.meta["description"]}) == 3
    assert head_of(client, "/archive/2024/5/?page=2").title == "2024年5月の投稿 2ページ目 - 投稿アーカイブ"


@pytest.mark.django_db
def test_a_post_has_a_description_and_open_graph_data(client):
    post = import_text(
        "『台湾の 選挙』(2025/8/4日経 記者)について\n\n"
        "8/4Reuters<Vote=投票>\n本文。\n\nhttps://example.org/vote\n\n"
        "私の論評です。\n次の行も\u3000論評です。" + "長い。" * 60 + "\n\n記事\n\n記事の本文。\n",
        name="a.txt",
    ).post
    head = head_of(client, f"/posts/{post.pk}/?q=選挙")
    url = f"http://testserver/posts/{post.pk}/"
    assert head.meta["og:type"] == "article" and head.meta["og:site_name"] == "投稿アーカイブ"
    assert head.meta["og:title"] == "台湾の 選挙" and head.meta["og:url"] == url
    assert {"rel": "canonical", "href": url} in head.links
    description = head.meta["og:description"]
    assert description.startswith("私の論評です。 次の行も 論評です。長い。") and description.endswith("…")
    assert len(description) == 120 and head.meta["description"] == description


# Page links -------------------------------------------------------------------------------------------------------------


def pagination(url: str, number: int, count: int = 320) -> str:
    request = RequestFactory().get(url)
    page = Paginator(range(count), 20).get_page(number)
    return render_to_string("posts/_pagination.html", {"page": page}, request=request)


def links_of(html: str) -> list[tuple[str, str]]:
    """(text, href) of each link and the current page ("*", its text) in order."""
    found = re.findall(r'<a (?:rel="\w+" )?href="([^"]*)"[^>]*>(.*?)</a>|<span aria-current="page">(\d+)</span>', html)
    return [("*", current) if current else (text, entities.unescape(href)) for href, text, current in found]


def test_page_links_number_the_pages_around_the_current_one_with_first_and_last():
    html = pagination("/?q=台湾&page=6", 6)
    q = "q=%E5%8F%B0%E6%B9%BE"
    assert links_of(html) == [
        ("« 最初", f"?{q}"), ("‹ 前", f"?{q}&page=5"), ("1", f"?{q}"), ("4", f"?{q}&page=4"), ("5", f"?{q}&page=5"),
        ("*", "6"), ("7", f"?{q}&page=7"), ("8", f"?{q}&page=8"), ("16", f"?{q}&page=16"), ("次 ›", f"?{q}&page=7"),
        ("最後 »", f"?{q}&page=16"),
    ]
    assert html.count('<li class="gap">…</li>') == 2 and 'aria-label="ページ送り"' in html


def test_the_first_page_links_to_the_path_and_the_last_has_no_next():
    assert links_of(pagination("/topics/x/?page=2", 2, count=40)) == [
        ("« 最初", "/topics/x/"), ("‹ 前", "/topics/x/"), ("1", "/topics/x/"), ("*", "2"),
    ]
    assert pagination("/", 1, count=20).strip() == ""  # one page: no page links


@pytest.mark.django_db
def test_every_paged_list_uses_the_page_links(client):
    for n in range(60):
        import_text(f"『引用{n}』(2025/8/4日経)について\n\n8/4CNN<Q{n}=引用{n}>\n本文。\n\nhttps://example.org/{n}\n", name=f"{n}.txt")
    topic = Topic.objects.create(name="引用", slug="quoting")
    topic.posts.set(Post.objects.all())
    for url in ["/", "/?q=引用", "/archive/2025/8/", "/topics/quoting/", "/quotes/", "/sources/cnn/"]:
        html = client.get(url).content.decode()
        assert '<span aria-current="page">1</span>' in html and 'aria-label="2ページ目">2</a>' in html, url
    html = client.get("/sources/cnn/?page=2").content.decode()
    assert '<span aria-current="page">2</span>' in html and '<a href="/sources/cnn/" aria-label="最初のページ">« 最初</a>' in html


# The search form --------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_search_form_has_one_button_and_its_urls_carry_no_empty_parameters(client, seed):
    html = client.get("/").content.decode()
    form = html[html.index('<form class="search"') : html.index("</form>")]
    assert form.count("<button") == 1 and '<button type="submit">検索</button>' in form

    # What a browser sends: every field, and the first option of a <select> none of whose options is selected.
    sent = [(name, "停戦" if name == "q" else value) for name, value in form_fields(html)] + [("sort", "new")]
    assert [name for name, _ in sent] == ["q", "date_from", "date_to", "topic", "part", "sort"]
    response = client.get("/?" + urlencode(sent))
    assert (response.status_code, response["Location"]) == (302, "/?q=%E5%81%9C%E6%88%A6")
    assert client.get("/?q=&part=&sort=new")["Location"] == "/"
    assert client.get("/?q=停戦&sort=old&topic=")["Location"] == "/?q=%E5%81%9C%E6%88%A6&sort=old"
    assert client.get("/quotes/?q=&sort=new&lang=")["Location"] == "/quotes/"
    assert client.get("/sources/?name=&sort=quotes")["Location"] == "/sources/"
    assert client.get("/?q=停戦&sort=old").status_code == 200  # nothing to take out: the page itself


# Focus ------------------------------------------------------------------------------------------------------------------


def contrast(one: str, other: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted([luminance(one), luminance(other)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_focus_rings_have_3_to_1_against_the_page_backgrounds():
    css = (ROOT / "static/css/archive.css").read_text()
    colours = dict(re.findall(r"--(paper|soft|mark): (#[0-9a-f]{6})", css))
    rings = re.findall(r"[^{}]*:focus[^{}]*\{[^}]*outline: \d+px solid (#[0-9a-fA-F]{6})", css)
    assert rings
    for ring in rings:
        for name in ("paper", "soft", "mark"):
            assert contrast(ring, colours[name]) >= 3, (ring, name)
