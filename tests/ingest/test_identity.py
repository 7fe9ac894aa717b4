"""A post's identity survives edits: an edited text updates its post even when the year read from its URLs
or its title changes; a text that could be two posts is refused with both named, never stored twice."""

import datetime as dt
import io
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from posts.ingest.batches import import_batch, preview_batch
from posts.ingest.identity import file_name, possible_duplicates
from posts.ingest.importing import CREATED, FAILED, UNCHANGED, UPDATED, import_file, import_text, plan_text, reparse
from posts.ingest.uploads import Upload
from posts.models import ImportFile, Post, Revision
from tests.conftest import form_fields, small_post, write_post

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 9, 1)
PASTED = "貼り付けたテキスト"

# No year anywhere in the text: it is read from the quotes' URLs, all of 2022.
OF_2022 = (
    "『防衛費の行方』(8/4日経 山田太郎)について\n\n"
    "8/3Reuters<Defense spending rises=防衛費が増える>\n本文。\n\n"
    "https://www.reuters.com/world/2022/08/03/defense-spending/\n\n"
    "私の意見です。\n\n記事\n\n記事の本文。\n"
)
# The same post with one more quote, whose URL is of 2025: the year read moves to 2025.
WITH_A_2025_QUOTE = OF_2022.replace(
    "私の意見です。",
    "8/5CNN<Budget talks=予算の協議>\n追加の本文。\n\nhttps://edition.cnn.com/2025/08/05/politics/budget/index.html\n\n私の意見です。",
)


def imported(text, name, **kwargs):
    return import_text(text, name=name, today=TODAY, **kwargs)


def corrected(post: Post) -> Post:
    """The post with a title an admin corrected by hand."""
    post.title = "管理者が直した題名"
    post.record_corrections(["title"])
    post.save()
    return post


def test_the_added_quote_moves_the_year_read_from_the_urls():
    assert plan_text(OF_2022, today=TODAY).parsed.article.date == dt.date(2022, 8, 4)
    assert plan_text(WITH_A_2025_QUOTE, today=TODAY).parsed.article.date == dt.date(2025, 8, 4)


@pytest.mark.parametrize(
    ("first_name", "second_name"),
    [("2022-08-05.txt", "2022-08-05.txt"), ("2022-08-05.txt", PASTED), (PASTED, PASTED)],
    ids=["the same file", "pasted after a file", "pasted twice"],
)
def test_a_quote_that_moves_the_year_updates_the_same_post(first_name, second_name):
    first = imported(OF_2022, first_name)
    corrected(first.post)
    edited = imported(WITH_A_2025_QUOTE, second_name)

    assert (first.outcome, edited.outcome) == (CREATED, UPDATED)
    post = Post.objects.get()
    assert post.pk == first.post.pk == edited.post.pk
    assert post.article_date == dt.date(2025, 8, 4) and post.quotes.count() == 2
    assert post.title == "管理者が直した題名"  # the admin's correction stays
    assert list(post.revisions.values_list("raw_text", flat=True)) == [OF_2022]


@pytest.mark.parametrize(
    ("name", "text", "outcome"),
    [
        ("2022-08-05.txt", WITH_A_2025_QUOTE, UPDATED),
        (PASTED, WITH_A_2025_QUOTE, UPDATED),
        ("2022-08-05.txt", OF_2022.replace("防衛費の行方", "防衛費の今後"), UPDATED),
        (PASTED, OF_2022, UNCHANGED),
        ("2022-08-05.txt", small_post(title="別の投稿"), FAILED),
        ("new.txt", small_post(title="別の投稿"), CREATED),
    ],
)
def test_the_preview_tells_what_the_import_does(name, text, outcome):
    imported(OF_2022, "2022-08-05.txt")
    plan = plan_text(text, today=TODAY, name=name)
    result = imported(text, name)
    assert (plan.outcome, result.outcome, plan.refusal) == (outcome, outcome, result.error)


def test_the_edited_text_and_the_original_imported_again_stay_one_post():
    imported(OF_2022, "2022-08-05.txt")
    imported(WITH_A_2025_QUOTE, "2022-08-05.txt")
    again = imported(WITH_A_2025_QUOTE, PASTED)
    back = imported(OF_2022, PASTED)  # an earlier text: found by its hash among the post's revisions
    assert (again.outcome, back.outcome) == (UNCHANGED, UPDATED)
    assert Post.objects.count() == 1 and Post.objects.get().article_date == dt.date(2022, 8, 4)


def test_an_edited_title_updates_the_post_of_the_same_file_name(tmp_path):
    path = write_post(tmp_path, "2025-08-24.txt", small_post(title="最初の題名"))
    first = import_file(path, today=TODAY)
    path.write_text(small_post(title="直した題名"), encoding="utf-8")
    edited = import_file(path, today=TODAY)

    assert (first.outcome, edited.outcome) == (CREATED, UPDATED)
    assert Post.objects.get().pk == first.post.pk
    assert (edited.post.title, edited.post.title_key, edited.post.file_name) == ("直した題名", "直した題名", "2025-08-24.txt")


def test_the_file_name_is_the_base_name_in_any_folder():
    assert file_name("/home/me/posts/2025-08-24.txt") == file_name("2025/2025-08-24.txt") == "2025-08-24.txt"
    assert file_name("C:\\posts\\2025-08-24.txt") == "2025-08-24.txt"
    assert file_name(PASTED) == file_name("(名前なし)") == ""


def test_an_earlier_text_imported_again_is_found_by_its_hash():
    first = imported(small_post(title="甲"), "a.txt")
    imported(small_post(title="乙"), "a.txt")  # the title edited: the same post, by its file name
    back = imported(small_post(title="甲"), PASTED)  # neither its name nor its title finds it now
    assert back.outcome == UPDATED and back.post.pk == first.post.pk
    assert Post.objects.count() == 1


def test_a_text_that_could_be_two_posts_is_refused_with_both_named():
    a = imported(small_post(title="同じ題名", day=4), "a.txt").post
    b = imported(small_post(title="同じ題名", day=5), "b.txt").post
    # a.txt edited to the date of b.txt: its file name says a, its title and date say b.
    text = small_post(title="同じ題名", day=5, body="直した本文。")

    plan = plan_text(text, today=TODAY, name="a.txt")
    result = imported(text, "a.txt")

    assert (plan.outcome, result.outcome, result.post) == (FAILED, FAILED, None)
    assert result.error == plan.refusal == (
        f"どちらの投稿か決められないため取り込みません: #{a.pk}「同じ題名」(2025-08-04)はファイル名が同じ、"
        f"#{b.pk}「同じ題名」(2025-08-05)は題名と記事の日付が同じ。"
        "同じ投稿なら片方を削除するか、管理画面で識別用のファイル名を直してから取り込み直してください。"
    )
    assert Post.objects.count() == 2 and Revision.objects.count() == 0


def test_a_post_stored_twice_by_the_old_import_refuses_the_edit_naming_both_copies():
    old = imported(OF_2022, "2022-08-05.txt").post
    copy = imported(small_post(title="別の投稿"), "other.txt").post
    Post.objects.filter(pk=copy.pk).update(title="防衛費の行方", title_key=old.title_key, article_date=dt.date(2025, 8, 4))

    result = imported(WITH_A_2025_QUOTE, "2022-08-05.txt")

    assert result.outcome == FAILED
    assert f"#{old.pk}「防衛費の行方」(2022-08-04)はファイル名が同じ" in result.error
    assert f"#{copy.pk}「防衛費の行方」(2025-08-04)は題名と記事の日付が同じ" in result.error


def test_a_file_name_of_another_post_is_refused_not_overwritten():
    first = imported(small_post(title="昨日の投稿", day=4), "post.txt").post
    result = imported(small_post(title="今日の投稿", day=5), "post.txt")
    assert result.outcome == FAILED
    assert result.error.startswith(f"ファイル名「post.txt」は投稿 #{first.pk}「昨日の投稿」(2025-08-04) のものですが、")
    assert list(Post.objects.values_list("title", flat=True)) == ["昨日の投稿"]


def test_a_post_first_pasted_takes_the_first_file_name_and_keeps_it():
    post = imported(small_post(), PASTED).post
    assert post.file_name == ""
    imported(small_post(body="二。"), "2025-08-04.txt")
    imported(small_post(body="三。"), "renamed.txt")
    post.refresh_from_db()
    assert (post.file_name, post.source_file) == ("2025-08-04.txt", "renamed.txt")


def test_a_file_name_the_admin_cleared_stays_cleared_when_the_post_is_read_again():
    post = imported(small_post(), "a.txt").post
    post.file_name = ""
    post.save()
    assert reparse(post).outcome == UPDATED
    post.refresh_from_db()
    assert post.file_name == ""


def test_two_posts_cannot_share_a_file_name():
    imported(small_post(title="甲"), "a.txt")
    other = imported(small_post(title="乙"), "b.txt").post
    other.file_name = "a.txt"
    with pytest.raises(ValidationError) as error:
        other.full_clean()
    assert error.value.messages == ["この識別用のファイル名は、ほかの投稿が使っています。"]


def test_the_admin_sees_and_changes_the_file_name_that_identifies_a_post(admin_client):
    imported(small_post(title="甲"), "taken.txt")
    post = imported(small_post(title="乙", day=5), "2025-08-05.txt").post
    url = f"/admin/posts/post/{post.pk}/change/"
    page = admin_client.get(url).content.decode()
    fields = dict(form_fields(page, "post_form"))
    assert "識別用のファイル名" in page and fields["file_name"] == "2025-08-05.txt"

    taken = admin_client.post(url, {**fields, "file_name": "taken.txt"})
    assert "この識別用のファイル名は、ほかの投稿が使っています。" in taken.content.decode()

    assert admin_client.post(url, {**fields, "file_name": "renamed.txt"}).status_code == 302
    edited = imported(small_post(title="乙を直した", day=5), "renamed.txt")
    assert (edited.outcome, edited.post.pk) == (UPDATED, post.pk)


def test_the_admin_preview_and_import_of_pasted_text_update_the_post():
    post = imported(OF_2022, "2022-08-05.txt").post
    data = WITH_A_2025_QUOTE.encode()
    batch = preview_batch(None, [Upload(PASTED, len(data), data)])
    record = batch.files.get()
    assert (record.planned, record.preview["existing_post"]) == (ImportFile.Outcome.UPDATED, post.pk)

    import_batch(batch)

    record.refresh_from_db()
    assert (record.outcome, record.post_id) == (ImportFile.Outcome.UPDATED, post.pk)
    assert Post.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_edits_of_one_file_imported_at_once_store_one_post():
    texts = [small_post(title="最初の題名"), small_post(title="直した題名")] * 3
    start = threading.Barrier(len(texts))
    results, errors = [], []

    def worker(text):
        from django.db import connection

        try:
            start.wait()
            results.append(imported(text, "2025-08-04.txt"))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(text,)) for text in texts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert [r.error for r in results if r.outcome == FAILED] == []
    assert sorted(r.outcome for r in results).count(CREATED) == 1
    assert Post.objects.count() == 1


# The duplicates the old import made: found and reported, never merged.


def test_possible_duplicates_lists_a_pair_stored_twice_and_nothing_else():
    old = imported(OF_2022, "2022-08-05.txt").post
    copy = imported(small_post(title="別の投稿"), "other.txt").post
    Post.objects.filter(pk=copy.pk).update(title="防衛費の行方", title_key=old.title_key, article_date=dt.date(2025, 8, 4))
    imported(small_post(title="防衛費の行方", day=9), "far.txt")  # the same title, another day, over a year apart: not one
    Post.objects.filter(source_file="far.txt").update(article_date=dt.date(2023, 8, 9))
    imported(small_post(title="無関係"), "c.txt")

    (suspect,) = possible_duplicates()

    assert str(suspect) == (
        f"#{old.pk}「防衛費の行方」(2022-08-04)と #{copy.pk}「防衛費の行方」(2025-08-04): 題名が同じで、記事の月日も同じ(年だけ違う)"
    )
    out = io.StringIO()
    call_command("duplicate_posts", stdout=out)
    assert out.getvalue().splitlines() == [str(suspect), "二重に保存されているかもしれない投稿: 1組"]
    assert Post.objects.count() == 4  # nothing merged


def test_possible_duplicates_finds_shared_files_texts_and_nearby_dates():
    a = imported(small_post(title="甲", day=4), "a.txt").post
    b = imported(small_post(title="乙"), "b.txt").post
    c = imported(small_post(title="丙"), "c.txt").post
    d = imported(small_post(title="甲", day=6), "d.txt").post
    Post.objects.filter(pk=b.pk).update(source_file="same.txt")
    Post.objects.filter(pk=c.pk).update(source_file="same.txt")
    Revision.objects.create(post=c, raw_text="x", content_hash=a.content_hash, imported_at=c.updated_at)

    found = {(s.first[0], s.second[0]): s.reasons for s in possible_duplicates()}

    assert found == {
        (a.pk, c.pk): ("同じテキストを持っている(現在または以前のテキスト)",),
        (a.pk, d.pk): ("題名が同じで、記事の日付が1年以内",),
        (b.pk, c.pk): ("取り込んだファイルの名前が同じ",),
    }
