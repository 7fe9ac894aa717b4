"""The admin shows what was imported."""

import pytest

from posts.ingest.importing import import_file
from tests.conftest import SEED

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["post", "quote", "source", "link", "topic"])
def test_each_model_lists_in_the_admin(admin_client, model):
    import_file(SEED)
    response = admin_client.get(f"/admin/posts/{model}/")
    assert response.status_code == 200


def test_a_post_page_shows_its_quotes(admin_client):
    post = import_file(SEED).post
    response = admin_client.get(f"/admin/posts/post/{post.pk}/change/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "周晓辉:FBI在新西兰设办事处 中共为何不满" in page
    assert "投稿アーカイブ管理" in page


def test_a_post_page_says_why_the_post_has_each_topic(admin_client):
    post = import_file(SEED).post
    page = admin_client.get(f"/admin/posts/post/{post.pk}/change/").content.decode()
    assert "トピックの理由" in page
    assert "<div>中国: 題名に「中国」、引用の題名に「中共」2回</div>" in page
    assert "<div>台湾(付いていません): 本文の頻度: 「台湾」3回、「Taiwan」 計4回/" in page


def test_a_script_in_a_post_is_shown_as_text(admin_client):
    from posts.ingest.importing import import_text

    post = import_text("『<script>alert(1)</script>』(8/4日経)について\n\n論評。", name="x.txt").post
    page = admin_client.get("/admin/posts/post/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page
    assert post.title == "<script>alert(1)</script>"


def test_posts_cannot_be_added_from_an_empty_form(admin_client):
    assert admin_client.get("/admin/posts/post/add/").status_code == 403


def test_a_post_page_shows_the_texts_later_imports_replaced(admin_client):
    from posts.ingest.importing import import_text

    import_text("『題』(8/4日経)について\n\n最初の論評。", name="a.txt")
    post = import_text("『題』(8/4日経)について\n\n直した論評。", name="a.txt").post
    page = admin_client.get(f"/admin/posts/post/{post.pk}/change/").content.decode()
    assert "最初の論評。" in page and "直した論評。" in page
