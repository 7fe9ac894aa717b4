"""The admin speaks Japanese: labels, column heads, filter titles, help texts and parse warnings."""

import re
from html.parser import HTMLParser

import pytest

from posts.ingest.importing import import_text
from posts.models import ImportBatch, ImportFile, Link, Post, Revision, Topic

pytestmark = pytest.mark.django_db

# A post written in Japanese only, with what the parser cannot read: every English word on a page is the admin's.
TEXT = "『防衛費の行方』(8/4謎新聞 山田太郎)について\n\n8/3謎通信<原題の見出し=訳した見出し>\n引用の本文。\n\n論評の段落。\n"
# What the review found in English, as it was shown.
FOUND = [
    "empty file", "binary file", "Title", "Published on", "published on", "topics", "Original title", "Body",
    "line 1:", "unknown outlet", "Warnings", "Article outlet", "Access attempts", "Axes",
]
# Words that are names, not English: key names in Django's own help, file types, a service, language tags
# (zh-Hant) and the HTML attribute they go in, a command (manage.py retag).
ALLOWED = {"Control", "Mac", "Command", "txt", "zip", "Twitter", "Hant", "Hans", "lang", "retag"}


class Shown(HTMLParser):
    """What a person reads on a page: its text, and the alt, title, placeholder and aria-label of its elements."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.hidden += 1
        self.texts += [value for name, value in attrs if name in ("alt", "title", "placeholder", "aria-label") and value]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.texts.append(data)


def shown_text(page: str) -> str:
    reader = Shown()
    reader.feed(page)
    return " ".join(reader.texts)


def english(page: str, *data: str) -> set[str]:
    """English words a person reads on `page`, leaving out the post's own data."""
    text = shown_text(page)
    for value in data:
        text = text.replace(value, " ")
    text = re.sub(r"\b[0-9a-f]{64}\b", " ", text)  # content hashes
    return {word for word in re.findall(r"[A-Za-z]*[a-z][A-Za-z]*", text) if len(word) > 2} - ALLOWED


@pytest.fixture
def post(admin_user):
    post = import_text(TEXT, name="防衛費.txt").post
    Revision.objects.create(post=post, raw_text="前のテキスト", content_hash="0" * 64, imported_at=post.updated_at)
    post.topics.add(Topic.objects.first())
    return post


def pages(post) -> list[str]:
    quote, source, topic = post.quotes.get(), post.article_outlet, Topic.objects.first()
    Link.objects.create(post=post, quote=quote, position=1, url="https://例え.jp/記事", domain="例え.jp")
    link = Link.objects.get()
    batch = ImportBatch.objects.create()
    file = ImportFile.objects.create(batch=batch, position=1, name="防衛費.txt", size=10, planned="created",
                                     warnings=post.warnings, error="空のファイルです。")
    return [
        "/admin/", "/admin/posts/",
        "/admin/posts/post/", f"/admin/posts/post/{post.pk}/change/", "/admin/posts/post/?warnings=yes",
        "/admin/posts/quote/", f"/admin/posts/quote/{quote.pk}/change/",
        "/admin/posts/source/", f"/admin/posts/source/{source.pk}/change/", "/admin/posts/source/add/",
        "/admin/posts/link/", f"/admin/posts/link/{link.pk}/change/",
        "/admin/posts/topic/", f"/admin/posts/topic/{topic.pk}/change/", "/admin/posts/topic/add/",
        "/admin/posts/importbatch/", f"/admin/posts/importbatch/{batch.pk}/change/",
        f"/admin/posts/importbatch/{batch.pk}/review/", "/admin/posts/importbatch/new/",
        "/admin/posts/importfile/", f"/admin/posts/importfile/{file.pk}/change/",
        "/admin/axes/", "/admin/axes/accessattempt/", "/admin/axes/accesslog/", "/admin/axes/accessfailurelog/",
    ]


def test_no_admin_page_shows_english(admin_client, admin_user, post):
    keywords = sorted({k for t in Topic.objects.all() for k in t.keywords}, key=len, reverse=True)  # some are English
    data = [
        f"Access Log for {admin_user.username}",  # django-axes's name of a row (its checkbox's label), untranslatable
        "<unknown>",  # the test client's user agent, as django-axes logs it
        admin_user.username, admin_user.email, "utf-8", "https://例え.jp/記事", "python manage.py", *keywords,
    ]
    for url in pages(post):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert english(page, *data) == set(), url
        assert [found for found in FOUND if found in shown_text(page)] == [], url


def test_a_posts_warnings_read_in_japanese_in_the_admin(admin_client, post):
    page = shown_text(admin_client.get(f"/admin/posts/post/{post.pk}/change/").content.decode())
    assert "1行目: 題名の行の掲載元が分かりません: 「謎新聞」を掲載元、「山田太郎」を筆者としました" in page
    assert "3行目: 最後の引用にURLの行がありません" in page
    assert "code" not in page and "unknown_title_outlet" not in page


def test_the_import_review_shows_warnings_in_japanese(admin_client, post):
    batch = ImportBatch.objects.create()
    ImportFile.objects.create(batch=batch, position=1, name="a.txt", size=10, planned="created", warnings=post.warnings)
    page = admin_client.get(f"/admin/posts/importbatch/{batch.pk}/review/").content.decode()
    assert "1行目: 題名の行の掲載元が分かりません" in page and "unknown" not in page


def test_the_reparse_preview_compares_warnings_in_japanese(admin_client, post):
    Post.objects.filter(pk=post.pk).update(warnings=["line 9: an old sentence"])
    response = admin_client.post("/admin/posts/post/", {"action": "reparse_posts", "_selected_action": [post.pk]})
    page = shown_text(response.content.decode())
    assert "(以前の形式の注意) line 9: an old sentence" in page
    assert "3行目: 最後の引用にURLの行がありません" in page


def test_the_list_says_which_posts_were_corrected_in_words(admin_client, post):
    Post.objects.filter(pk=post.pk).update(corrections={"title": "直した題"})
    page = admin_client.get("/admin/posts/post/").content.decode()
    assert 'alt="True"' not in page and 'alt="False"' not in page


def test_the_filters_and_inputs_are_named_in_japanese(admin_client, post):
    page = shown_text(admin_client.get("/admin/posts/post/").content.decode())
    assert "公開日 で絞り込む" in page and "トピック で絞り込む" in page and "論評対象の掲載元 で絞り込む" in page
    change = shown_text(admin_client.get(f"/admin/posts/post/{post.pk}/change/").content.decode())
    assert "原題:" in change and "本文:" in change
    # The two-list widget of the topics is drawn by Django's script, which says 「利用可能 {this name}」.
    assert 'data-field-name="トピック"' in admin_client.get(f"/admin/posts/post/{post.pk}/change/").content.decode()
