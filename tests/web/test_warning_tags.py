"""A post's 読み取りの注意 read in Japanese on its page, and with their codes in its JSON."""

import json

import pytest

from posts.ingest.importing import import_text
from posts.models import Post

pytestmark = pytest.mark.django_db

TEXT = "『防衛費の行方』(8/4謎新聞 山田太郎)について\n\n8/3謎通信<原題の見出し=訳した見出し>\n引用の本文。\n\n論評の段落。\n"


def warnings_box(client, post) -> str:
    page = client.get(f"/posts/{post.pk}/").content.decode()
    return page[page.index('<details class="warnings">') :].split("</details>")[0]


def test_the_post_page_shows_its_warnings_in_japanese(client):
    post = import_text(TEXT, name="a.txt").post
    box = warnings_box(client, post)
    assert "読み取りの注意(3件)" in box
    assert "<li>1行目: 題名の行の掲載元が分かりません: 「謎新聞」を掲載元、「山田太郎」を筆者としました</li>" in box
    assert "<li>3行目: 最後の引用にURLの行がありません: 終わりが分からないため、続く文も引用の本文に含めました</li>" in box
    assert "line" not in box and "unknown" not in box and "code" not in box


def test_warnings_stored_as_english_sentences_still_show(client):
    post = import_text(TEXT, name="a.txt").post
    Post.objects.filter(pk=post.pk).update(warnings=["line 2: <b>an</b> older parser's sentence"])
    box = warnings_box(client, post)
    assert "<li>(以前の形式の注意) line 2: &lt;b&gt;an&lt;/b&gt; older parser&#x27;s sentence</li>" in box


def test_a_posts_json_gives_each_warning_its_code_values_and_message(client):
    post = import_text(TEXT, name="a.txt").post
    warnings = json.loads(client.get(f"/posts/{post.pk}.json").content)["warnings"]
    assert warnings[0] == {
        "code": "unknown_title_outlet", "line": 1, "outlet": "謎新聞", "author": "山田太郎",
        "message": "1行目: 題名の行の掲載元が分かりません: 「謎新聞」を掲載元、「山田太郎」を筆者としました",
    }
    assert [w["code"] for w in warnings] == ["unknown_title_outlet", "no_year", "last_quote_without_url"]
