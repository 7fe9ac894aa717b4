"""The admin in a real headless Chromium: nothing overlaps at a phone's width or a desktop's."""


import pytest

from posts.ingest.importing import import_text
from tests.conftest import small_post

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

LONG_TITLE = "長い題名" * 40 + "AVeryLongWordWithoutAnySpacesThatNoBrowserWouldBreak" * 3


def boxes_meet(a: dict, b: dict) -> bool:
    return a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"] and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"]


@pytest.mark.parametrize("width", [390, 1280])
def test_the_history_and_site_buttons_never_cover_a_long_post_title(browser, live_server, width):
    from django.contrib.auth.models import User

    User.objects.create_superuser("editor", password="a-long-password-1")
    post = import_text(small_post(title=LONG_TITLE), name="long.txt").post
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"/admin/posts/post/{post.pk}/change/")
    page.get_by_label("ユーザー名").fill("editor")
    page.get_by_label("パスワード").fill("a-long-password-1")
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url(f"**/post/{post.pk}/change/")

    heading = page.locator("#content > h2")
    assert heading.inner_text().startswith("長い題名長い題名")
    title = heading.bounding_box()
    for name in ("履歴", "サイト上で表示"):
        button = page.locator(".object-tools").get_by_role("link", name=name).bounding_box()
        assert not boxes_meet(button, title), (name, button, title)
    # Nothing runs off the screen either, the collapsed parts opened.
    page.evaluate("document.querySelectorAll('details').forEach(part => part.open = true)")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()
