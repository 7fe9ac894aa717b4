"""Every kind of public page in a real headless Chromium at a phone's width (390 px) and a desktop's (1280 px): no
horizontal scroll, axe-core's checks with no serious or critical violation, and the post page's reading measure and
contents. Each run leaves its screenshots in var/screenshots/ (not in git)."""

import json
from pathlib import Path

import pytest

from posts.ingest.importing import import_file, import_text
from posts.models import Topic
from tests.conftest import SEED, post_quoting

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "var" / "screenshots"
WIDTHS = {"phone": 390, "desktop": 1280}
LONG = "長い引用の本文です。" * 80

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow, pytest.mark.usefixtures("unlimited")]


def page_kinds(seed) -> dict[str, str]:
    quote = seed.quotes.select_related("source").first()
    topic = seed.topics.order_by("name").first()
    return {
        "home": "/",
        "search": "/?q=停戦",
        "post": seed.get_absolute_url(),
        "post-searched": seed.get_absolute_url() + "?q=停戦",
        "quotes": "/quotes/?q=FBI",
        "sources": "/sources/",
        "source": quote.source.get_absolute_url(),
        "topics": "/topics/",
        "topic": topic.get_absolute_url(),
        "archive-year": "/archive/2025/",
        "archive-month": "/archive/2025/8/",
        "link": f"/links/?url={quote.links.first().url}",
        "facet-list": "/search/facets/source/",
        "not-found": "/posts/999999/",
    }


@pytest.fixture
def seed():
    return import_file(SEED).post


@pytest.fixture
def archive(seed):
    """The seed and a few more posts, so that lists page and charts have more than one month."""
    topic, _ = Topic.objects.get_or_create(name="停戦", defaults={"slug": "停戦", "keywords": ["停戦"]})
    seed.topics.add(topic)  # a transactional test starts without the starter topics of the migrations
    for n in range(1, 4):
        import_text(post_quoting(f"{n}月の投稿", [("Reuters", LONG), ("新华社", "中共为何不满。")]).replace("8/4日経", f"2025/{n}/4日経"),
                    name=f"extra{n}.txt")
    return seed


@pytest.fixture
def context_for(browser, live_server):
    contexts = []

    def open_page(width: int):
        context = browser.new_context(base_url=live_server.url, locale="ja-JP", viewport={"width": width, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_scrolls_sideways_and_axe_finds_nothing_serious(context_for, archive, width):
    assert AXE.exists(), "axe-core is not installed: `make test` runs `npm ci` (package.json)"
    page = context_for(WIDTHS[width])
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems = {}
    for kind, url in page_kinds(archive).items():
        page.goto(url)
        page.screenshot(path=SCREENSHOTS / f"{kind}-{width}.png", full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        page.evaluate(AXE.read_text())
        violations = page.evaluate(
            """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
                 .filter(v => v.impact === 'serious' || v.impact === 'critical')
                 .map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`)"""
        )
        if overflow > 0 or violations:
            problems[kind] = {"overflow_px": overflow, "violations": violations}
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)


def test_the_post_pages_measure_is_at_most_45_characters(context_for, archive):
    page = context_for(1280)
    page.goto(archive.get_absolute_url())
    measures = page.evaluate(
        """[...document.querySelectorAll('.post-detail .text')].map(e =>
             e.getBoundingClientRect().width / parseFloat(getComputedStyle(e).fontSize))"""
    )
    assert measures and max(measures) <= 45, measures


@pytest.mark.parametrize("width", WIDTHS)
def test_the_contents_links_land_on_their_targets(context_for, archive, width):
    page = context_for(WIDTHS[width])
    page.goto(archive.get_absolute_url())
    links = page.locator("nav.contents a")
    targets = [links.nth(n).get_attribute("href") for n in range(links.count())]
    assert "#commentary" in targets
    for target in targets:
        page.locator(f'nav.contents a[href="{target}"]').click()
        page.wait_for_function(f"location.hash === '{target}'")
        top = page.evaluate(f"document.querySelector('{target}').getBoundingClientRect().top")
        assert -2 <= top < 100, (target, top)
        page.goto(archive.get_absolute_url())
    page.locator('nav.contents a[href="#commentary"]').click()
    page.locator("#commentary").get_by_role("link", name="目次へ").click()
    page.wait_for_function("location.hash === '#contents'")
    assert -2 <= page.evaluate("document.querySelector('#contents').getBoundingClientRect().top") < 100


def test_a_phone_reaches_the_facets_folded_above_the_results_and_a_desktop_sees_them_open(context_for, archive):
    phone = context_for(390)
    phone.goto("/?q=停戦")
    fold = phone.locator(".facets summary")
    results = phone.locator("#results-heading")
    assert fold.bounding_box()["y"] < results.bounding_box()["y"]
    source = phone.locator(".facets").get_by_role("link", name="阿波羅新聞網")
    assert not source.is_visible()
    fold.click()
    assert source.is_visible()

    desktop = context_for(1280)
    desktop.goto("/?q=停戦")
    assert not desktop.locator(".facets summary").is_visible()
    assert desktop.locator(".facets").get_by_role("link", name="阿波羅新聞網").is_visible()
    facets, results = desktop.locator(".facets").bounding_box(), desktop.locator(".results").bounding_box()
    assert facets["x"] > results["x"] + results["width"] - 1  # beside the results, on the right
