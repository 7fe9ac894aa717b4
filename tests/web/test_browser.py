"""The archive in a real headless Chromium (Debian's `chromium`, installed by `make test`), driven by Playwright."""

import pytest

from posts.ingest.importing import import_file, import_text
from tests.conftest import SEED

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow, pytest.mark.usefixtures("unlimited")]


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="ja-JP")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def seed():
    return import_file(SEED).post


def test_a_researcher_finds_what_one_outlet_said_about_a_word_in_a_month(page, seed):
    """台湾 in quotes from 阿波羅新聞網 in 2025: three actions from the home page, and every match in its quotes.

    The seed (August 2025) has 台湾 in a 阿波羅新聞網 quote (台湾ドル); the other posts have 台湾 only where
    the question does not ask: another outlet's quote in a post that also quotes 阿波羅新聞網, a
    阿波羅新聞網 quote of 2024, and a post that does not quote it.
    """
    for n, text in enumerate((
        "『他社の台湾』(2025/8/3日経)について\n\n8/3阿波羅新聞網<关税=関税>\n関税の話。\n"
        "https://www.aboluowang.com/2025/0803/1.html\n\n8/3ZeroHedge<Taiwan=台湾>\n台湾の話。\n"
        "https://www.zerohedge.com/2025/08/03/taiwan\n\n論評。\n",
        "『去年の台湾』(2024/8/3日経)について\n\n8/3阿波羅新聞網<台湾=台湾>\n台湾の話。\n"
        "https://www.aboluowang.com/2024/0803/2.html\n\n論評。\n",
        "『台湾の話』(2025/8/4日経)について\n\n8/4Reuters<Taiwan=台湾>\n台湾の話。\n"
        "https://www.reuters.com/2025/08/04/taiwan\n\n論評。\n",
    )):
        import_text(text, name=f"other{n}.txt")  # a file's name is a post's identity: one name, one post

    page.goto("/")
    page.get_by_label("検索語").fill("台湾")
    page.get_by_label("検索語").press("Enter")  # 1
    page.wait_for_url("**/?q=*")
    assert page.url.endswith("/?q=%E5%8F%B0%E6%B9%BE")  # the form's empty fields left out (posts/web/canonical.py)
    assert page.get_by_role("heading", name="「台湾」の検索結果: 4件").is_visible()

    page.locator(".facets").get_by_role("link", name="阿波羅新聞網").click()  # 2
    page.wait_for_url("**source=*")
    page.locator(".facets").get_by_role("link", name="2025年").click()  # 3
    page.wait_for_url("**date_from=2025-01-01*")

    assert page.get_by_role("heading", name="「台湾」の検索結果: 1件").is_visible()
    assert page.locator("li.post h3").all_inner_texts() == [seed.title]
    assert page.get_by_text("「阿波羅新聞網」の引用と記事の中だけを検索しています。").is_visible()
    snippets = page.locator("li.post .snippets li")
    assert snippets.count() >= 1
    for n in range(snippets.count()):
        assert snippets.nth(n).locator("a.where").inner_text() == "引用(阿波羅新聞網)"
        assert "台湾" in snippets.nth(n).locator("mark").all_inner_texts()

    snippets.first.locator("a.where").click()
    page.wait_for_url(f"**/posts/{seed.pk}/?q=*#quote-*")
    quote = page.url.rsplit("#", 1)[1]
    assert "阿波羅新聞網" in page.locator(f"#{quote}").inner_text()
    assert "台湾" in page.locator(f"#{quote} mark").all_inner_texts()


def test_paging_through_results(page):
    for n in range(25):
        import_text(f"『連番の投稿{n:02d}』(2024/5/{1 + n}日経)について\n\n論評{n}。\n", name=f"{n}.txt")

    page.goto("/?q=連番")
    current = page.locator(".pagination [aria-current=page]")
    assert current.inner_text() == "1"
    assert page.locator("li.post").count() == 20
    page.get_by_role("link", name="次のページ").click()
    page.wait_for_url("**page=2*")
    assert current.inner_text() == "2"
    assert page.locator("li.post").count() == 5
    page.get_by_role("link", name="前のページ").click()
    page.wait_for_url("**/?q=*")
    assert current.inner_text() == "1" and "page=" not in page.url


def test_the_pages_work_on_a_phone_without_javascript(browser, live_server, seed):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.goto("/")
    page.get_by_label("検索語").fill("ratcliffe")
    page.get_by_role("button", name="検索").click()
    assert page.locator("li.post mark").first.inner_text() == "Ratcliffe"
    # Nothing is wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    for path in ("/sources/", "/quotes/", "/quotes/?q=FBI"):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
    page.goto("/sources/")
    lines = """cell => { const range = document.createRange(); range.selectNodeContents(cell);
                         return new Set([...range.getClientRects()].map(rect => Math.round(rect.top))).size; }"""
    for cell in ("td.date", "td.number"):  # each on one line, not broken in two or stacked a character a line
        assert page.locator(f"table.sources {cell}").first.evaluate(lines) == 1, cell
    context.close()


def test_an_admin_imports_two_files_and_sees_the_post_on_the_site(browser, live_server, tmp_path):
    from django.contrib.auth.models import User

    User.objects.create_superuser("editor", password="a-long-password-1")
    (tmp_path / "seed.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "other.txt").write_text(
        "『もう一つの投稿』(2025/9/1日経 記者)について\n\n9/1Reuters<Truce=停戦>\n本文。\nhttps://www.reuters.com/2025/09/01/x\n\n論評。\n",
        encoding="utf-8",
    )
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)

    page.goto("/admin/posts/importbatch/new/")
    page.get_by_label("ユーザー名").fill("editor")
    page.get_by_label("パスワード").fill("a-long-password-1")
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url("**/importbatch/new/")

    page.get_by_label("ファイル").set_input_files([str(tmp_path / "seed.txt"), str(tmp_path / "other.txt")])
    page.get_by_role("button", name="確認画面へ").click()
    page.wait_for_url("**/review/")
    assert page.get_by_role("heading", name="インポートの確認").is_visible()
    assert page.locator(".plan-created").count() == 2
    assert page.get_by_text("周晓辉:FBI在新西兰设办事处 中共为何不满").is_visible()

    page.get_by_role("button", name="取り込む(2ファイル)").click()
    page.wait_for_url("**/review/")
    assert page.get_by_role("heading", name="インポートの結果").is_visible()
    page.get_by_role("link", name="公開ページ").first.click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("ロシア・中国・インドに対する")
    assert page.locator("#quote-5").is_visible()
    context.close()


def dated(title: str, year: int, month: int, day: int = 4):
    return import_text(f"『{title}』({year}/{month}/{day}日経)について\n\n論評。\n", name=f"{title}.txt").post


def test_a_chart_bar_leads_to_its_month(page):
    for n, (year, month, day) in enumerate([(2024, 8, 3), (2024, 8, 20), (2024, 11, 5), (2025, 2, 4)]):
        dated(f"時の投稿{n}", year, month, day)

    page.goto("/")
    page.locator("figure.chart").get_by_role("link", name="2024年8月: 2件").click()
    page.wait_for_url("**/?date_from=2024-08-01&date_to=2024-08-31")
    assert page.get_by_role("heading", name="投稿: 2件").is_visible()
    assert page.locator("li.post time").all_inner_texts() == ["2024年8月20日", "2024年8月3日"]


def test_any_month_of_any_year_is_two_clicks_from_the_home_page(page):
    months = [(2019, 3), (2023, 5), (2024, 12), (2025, 8)]
    for n, (year, month) in enumerate(months):
        dated(f"月の投稿{n}", year, month)

    for year, month in months:  # through the archive's years and months
        page.goto("/")
        page.get_by_role("navigation", name="サイト").get_by_role("link", name="年月別").click()  # 1
        page.get_by_role("link", name=f"{year}年{month}月: 1件").click()  # 2
        assert page.get_by_role("heading", level=1).inner_text() == f"{year}年{month}月の投稿"
        assert page.locator("li.post time").all_inner_texts() == [f"{year}年{month}月4日"]

    page.goto("/")  # through the search's year facet, which reveals the chosen year's months
    page.locator(".facets").get_by_role("link", name="2023年").click()  # 1
    page.locator(".facets").get_by_role("link", name="2023年5月: 1件").click()  # 2
    page.wait_for_url("**/?date_from=2023-05-01&date_to=2023-05-31")
    assert page.locator("li.post time").all_inner_texts() == ["2023年5月4日"]


def test_a_chart_fills_its_box_with_labels_readable_on_a_phone(browser, live_server):
    for n, (year, month) in enumerate([(2016, 3), (2019, 7), (2025, 2)]):
        import_text(f"『幅の投稿{n}』({year}/{month}/4日経)について\n\n{month}/4Reuters<Wide=幅>\n本文。\n"
                    f"https://example.org/{year}/{month}/{n}\n\n論評。\n", name=f"w{n}.txt")
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 800})
    page = context.new_page()
    for path in ("/", "/sources/reuters/"):
        page.goto(path)
        box = page.locator("figure.chart .plot").bounding_box()
        bars = page.locator("figure.chart svg.bars").bounding_box()
        assert bars["width"] >= box["width"] - 20, path  # not squeezed to the middle of its box
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        labels = page.locator("figure.chart svg.axis text:visible")
        assert labels.count() >= 3, path
        for n in range(labels.count()):
            assert labels.nth(n).bounding_box()["height"] >= 11, path  # 12px text, not scaled down
        edges = [labels.nth(n).bounding_box() for n in range(labels.count())]
        assert all(a["x"] + a["width"] <= b["x"] for a, b in zip(edges, edges[1:])), path  # none overlap
        assert all(edge["x"] + edge["width"] <= box["x"] + box["width"] for edge in edges), path  # none cut off
    context.close()
