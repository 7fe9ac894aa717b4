"""The admin importer, corrections and actions, through a test client that enforces CSRF, on real PostgreSQL."""

import io
import stat
import struct
import zipfile

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from posts.ingest.importing import import_file, import_text
from posts.models import ImportBatch, ImportFile, Post, Quote, Source, Topic
from tests.conftest import SEED, form_fields, small_post

pytestmark = pytest.mark.django_db

NEW = "/admin/posts/importbatch/new/"


def client_for(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def importer():
    """A staff member allowed to add (import) and change posts and their quotes."""
    user = User.objects.create_user("importer", password="x", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_post", "change_post", "view_post", "change_quote", "view_quote"])
    )
    return client_for(user)


def token(client: Client, url: str = NEW) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.cookies["csrftoken"].value


def upload(client: Client, files=(), text: str = "") -> tuple[int, str]:
    """Post the import form; return (status, the page it leads to)."""
    response = client.post(NEW, {"files": list(files), "text": text, "csrfmiddlewaretoken": token(client)})
    if response.status_code == 302:
        response = client.get(response["Location"])
    return response.status_code, response.content.decode()


def named(name: str, data: bytes) -> io.BytesIO:
    file = io.BytesIO(data)
    file.name = name
    return file


def zip_of(members: dict, name: str = "posts.zip", links=()) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in members.items():
            archive.writestr(member, data)
        for member in links:
            info = zipfile.ZipInfo(member)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, "/etc/passwd")
    return named(name, buffer.getvalue())


def confirm(client: Client, batch: ImportBatch) -> str:
    url = f"/admin/posts/importbatch/{batch.pk}/review/"
    response = client.post(url, {"csrfmiddlewaretoken": token(client, url)})
    assert response.status_code == 302
    return client.get(url).content.decode()


# Who may import ----------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login_page():
    client = client_for(None)
    for response in (client.get(NEW), client.post(NEW, {})):
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_staff_without_permission_to_add_posts_get_403():
    staff = User.objects.create_user("staff", password="x", is_staff=True)
    client = client_for(staff)
    assert client.get(NEW).status_code == 403
    batch = ImportBatch.objects.create(user=staff)
    assert client.get(f"/admin/posts/importbatch/{batch.pk}/review/").status_code == 403


def test_a_batch_is_only_for_the_one_who_uploaded_it(importer):
    other = User.objects.create_user("other", password="x", is_staff=True)
    batch = ImportBatch.objects.create(user=other)
    assert importer.get(f"/admin/posts/importbatch/{batch.pk}/review/").status_code == 403


def test_every_post_needs_the_csrf_token(importer):
    token(importer)
    response = importer.post(NEW, {"files": [named("a.txt", small_post().encode())]})
    assert response.status_code == 403
    status, _ = upload(importer, [named("a.txt", small_post().encode())])
    batch = ImportBatch.objects.get()
    assert importer.post(f"/admin/posts/importbatch/{batch.pk}/review/").status_code == 403
    assert Post.objects.count() == 0


def test_the_importer_is_linked_from_the_admin_index_and_the_post_list(importer):
    assert f'href="{NEW}"' in importer.get("/admin/").content.decode()
    assert f'href="{NEW}"' in importer.get("/admin/posts/post/").content.decode()


# Preview, confirm, result ----------------------------------------------------------------------------------


def test_upload_two_files_preview_then_confirm(importer):
    existing = import_text(small_post(title="既存"), name="old.txt").post
    status, preview = upload(importer, [named("seed.txt", SEED.read_bytes()), named("old.txt", small_post(title="既存").encode())])

    assert status == 200 and "インポートの確認" in preview
    assert Post.objects.count() == 1  # nothing imported yet
    assert "予定: <strong class=\"plan-created\">新規</strong>" in preview
    assert "予定: <strong class=\"plan-unchanged\">変更なし</strong>" in preview
    assert f"(既存の投稿 #{existing.pk})" in preview
    assert "JBプレス" in preview and "横山恭三" in preview and "2025-08-04" in preview
    assert "周晓辉:FBI在新西兰设办事处 中共为何不满" in preview and "引用(5件)" in preview
    assert preview.count("新しい情報源") >= 4  # The Gateway Pundit, Rasmussen Reports, 阿波羅新聞網, JBプレス
    assert "論評 292文字" in preview

    result = confirm(importer, ImportBatch.objects.get())

    assert Post.objects.count() == 2
    seed_post = Post.objects.get(source_file="seed.txt")
    assert seed_post.quotes.count() == 5
    assert "インポートの結果" in result and f"投稿 #{seed_post.pk}" in result
    files = list(ImportFile.objects.order_by("position").values_list("name", "planned", "outcome", "post"))
    assert files == [("seed.txt", "created", "created", seed_post.pk), ("old.txt", "unchanged", "unchanged", existing.pk)]
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.IMPORTED and batch.user.username == "importer"


def test_confirming_twice_imports_once(importer):
    upload(importer, [named("a.txt", small_post().encode())])
    batch = ImportBatch.objects.get()
    confirm(importer, batch)
    url = f"/admin/posts/importbatch/{batch.pk}/review/"
    response = importer.post(url, {"csrfmiddlewaretoken": token(importer, url)}, follow=True)
    assert "すでに取り込まれています" in response.content.decode()
    assert Post.objects.count() == 1


def test_pasted_text_is_imported_like_a_file(importer):
    status, preview = upload(importer, text=small_post(title="貼り付けた投稿"))
    assert "貼り付けたテキスト" in preview and "貼り付けた投稿" in preview
    confirm(importer, ImportBatch.objects.get())
    assert Post.objects.get().title == "貼り付けた投稿"


def test_the_same_post_twice_in_one_batch_is_stored_once(importer):
    text = small_post(title="二度").encode()
    status, preview = upload(importer, [named("a.txt", text), named("b.txt", text)])
    assert "同じバッチの「a.txt」と同じ投稿です" in preview
    confirm(importer, ImportBatch.objects.get())
    assert Post.objects.count() == 1
    assert sorted(ImportFile.objects.values_list("outcome", flat=True)) == ["created", "unchanged"]


def test_a_bad_file_is_refused_with_a_reason_while_the_good_ones_land(importer):
    status, preview = upload(importer, [named("good.txt", small_post().encode()), named("image.txt", b"\x89PNG\r\n\x1a\n\x00")])
    assert "テキストの投稿ではありません(PNG画像です)。" in preview
    assert "取り込む(1ファイル)" in preview
    confirm(importer, ImportBatch.objects.get())
    assert Post.objects.count() == 1
    assert ImportFile.objects.get(name="image.txt").outcome == "refused"


def test_an_empty_form_says_what_to_do(importer):
    status, page = upload(importer)
    assert status == 200 and "ファイルを選ぶか、テキストを貼り付けてください。" in page
    assert ImportBatch.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused_while_uploading(importer, settings):
    settings.POST_FILE_MAX_BYTES = 1000
    status, preview = upload(importer, [named("big.txt", small_post().encode() * 20), named("ok.txt", small_post().encode())])
    assert "大きすぎます: 上限は1000バイトです。" in preview
    assert ImportFile.objects.get(name="big.txt").planned == "refused"
    assert ImportFile.objects.get(name="ok.txt").planned == "created"


def test_too_many_files_are_refused_with_a_message(importer, settings):
    settings.IMPORT_MAX_FILES = 2
    status, page = upload(importer, [named(f"{n}.txt", small_post(title=str(n)).encode()) for n in range(3)])
    assert status == 200 and "ファイルが多すぎます: 一度に2件までです。" in page
    assert ImportBatch.objects.count() == 0


# Zips --------------------------------------------------------------------------------------------------------------


def test_a_zip_of_posts_is_opened_and_other_members_skipped(importer):
    archive = zip_of({"a.txt": small_post(title="甲").encode(), "dir/b.TXT": small_post(title="乙").encode(),
                      "__MACOSX/._a.txt": b"\x00\x05", "readme.md": b"x"})
    status, preview = upload(importer, [archive])
    assert "posts.zip/a.txt" in preview and "posts.zip/dir/b.TXT" in preview
    assert preview.count("取り込みません: .txt のファイルではありません。") == 1
    assert "NULバイトを含む" in preview  # the __MACOSX member is a .txt in name only
    confirm(importer, ImportBatch.objects.get())
    assert sorted(Post.objects.values_list("title", flat=True)) == ["乙", "甲"]


@pytest.mark.parametrize(
    "members, links, reason",
    [
        ({"../evil.txt": b"x"}, (), "危険なファイル名があります(../evil.txt)"),
        ({"/etc/evil.txt": b"x"}, (), "危険なファイル名があります(/etc/evil.txt)"),
        ({"C:/evil.txt": b"x"}, (), "危険なファイル名があります(C:/evil.txt)"),
        ({"a.txt": b"x"}, ("link.txt",), "リンクが含まれています(link.txt)"),
        ({"inner.zip": b"PK\x03\x04"}, (), "中に別の圧縮ファイルがあります(inner.zip)"),
        ({"inner.txt": b"PK\x03\x04 hidden zip"}, (), "中に別の圧縮ファイルがあります(inner.txt)"),
    ],
)
def test_a_hostile_zip_is_refused_whole(importer, members, links, reason):
    status, page = upload(importer, [zip_of(members, links=links)])
    assert status == 200 and reason in page
    assert ImportBatch.objects.count() == 0 and Post.objects.count() == 0


def test_a_zip_bomb_is_stopped_by_the_bytes_it_actually_expands_to(importer, settings):
    settings.IMPORT_ZIP_MAX_BYTES = 1_000_000
    settings.POST_FILE_MAX_BYTES = 10_000_000
    status, page = upload(importer, [zip_of({"bomb.txt": b"a" * 5_000_000})])
    assert "展開後の合計が上限(976.562 KB)を超えます" in page
    assert ImportBatch.objects.count() == 0


def test_a_zip_with_too_many_members_is_refused(importer, settings):
    settings.IMPORT_MAX_FILES = 3
    status, page = upload(importer, [zip_of({f"{n}.txt": b"x" for n in range(7)})])
    assert "posts.zip: 中のファイルが多すぎます(フォルダーも数えて6件までです)。" in page


def crafted_zip(folders: int = 3_000) -> io.BytesIO:
    """The attacker's zip, small: thousands of folder entries, and an end record that says there is 1."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(folders):
            archive.mkdir(f"d{n}")
    data = bytearray(buffer.getvalue())
    end = data.rfind(b"PK\x05\x06")
    data[end + 8 : end + 12] = struct.pack("<HH", 1, 1)  # entries on this disk, entries in all
    return named("crafted.zip", bytes(data))


def test_a_zip_of_folders_whose_end_record_says_one_is_refused_and_leaves_no_batch(importer):
    archive = crafted_zip()
    assert len(zipfile.ZipFile(io.BytesIO(archive.getvalue())).infolist()) == 3_000  # what zipfile would build
    status, page = upload(importer, [archive])
    assert status == 200 and "crafted.zip: 中のファイルが多すぎます(フォルダーも数えて400件までです)。" in page
    assert ImportBatch.objects.count() == 0


def test_the_crafted_zip_is_refused_before_zipfile_opens_it(importer, monkeypatch):
    good, crafted = zip_of({"a.txt": small_post().encode()}), crafted_zip()
    opened = []
    real = zipfile.ZipFile

    def spy(*args, **kwargs):
        opened.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(zipfile, "ZipFile", spy)
    upload(importer, [good])
    assert len(opened) == 1  # the spy sees a zip being opened
    status, page = upload(importer, [crafted])
    assert "中のファイルが多すぎます" in page and len(opened) == 1


def test_a_zip_of_nothing_but_folders_leaves_no_empty_batch(importer):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for folder in ("a", "a/b", "c"):
            archive.mkdir(folder)
    status, page = upload(importer, [named("folders.zip", buffer.getvalue())])
    assert status == 200 and "folders.zip: 中にファイルがありません。" in page
    assert ImportBatch.objects.count() == 0


def test_a_zip_whose_member_does_not_decompress_is_refused_with_a_reason(importer):
    data = bytearray(zip_of({"a.txt": small_post().encode() * 20}).getvalue())
    for at in range(40, 60):  # inside a.txt's deflated bytes
        data[at] ^= 0xFF
    status, page = upload(importer, [named("corrupt.zip", bytes(data))])
    assert status == 200 and "corrupt.zip: a.txt を展開できません(壊れています)。" in page
    assert ImportBatch.objects.count() == 0


def test_a_refusal_naming_a_member_stays_on_one_line(importer):
    status, page = upload(importer, [zip_of({"../evil\nname.txt": b"x"})])
    assert "posts.zip: 危険なファイル名があります(../evil?name.txt)。" in page


def test_a_broken_or_encrypted_zip_is_refused(importer):
    status, page = upload(importer, [named("broken.zip", b"PK\x03\x04 not really")])
    assert "ZIPとして読めません" in page
    encrypted = zip_of({"a.txt": b"x"})
    data = bytearray(encrypted.getvalue())
    for header in (b"PK\x03\x04", b"PK\x01\x02"):  # set the "encrypted" flag in both headers
        at = data.index(header)
        flag = at + (6 if header == b"PK\x03\x04" else 8)
        data[flag] |= 1
    status, page = upload(importer, [named("locked.zip", bytes(data))])
    assert "暗号化されたファイルがあります(a.txt)" in page


# Corrections survive re-imports -------------------------------------------------------------------------------------


def change(client: Client, post: Post, **changes) -> str:
    """Submit the post's admin change form with some fields changed (as a browser would)."""
    url = f"/admin/posts/post/{post.pk}/change/"
    fields = [(name, value) for name, value in form_fields(client.get(url).content.decode(), "post_form")]
    for name, value in changes.items():
        fields = [(n, v) for n, v in fields if n != name] + [(name, v) for v in (value if isinstance(value, list) else [value])]
    data = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return url


def test_corrections_survive_a_reimport_and_are_shown(importer):
    post = import_file(SEED).post
    other = Source.objects.create(name="訂正先", slug="訂正先")
    topic = Topic.objects.get(name="北朝鮮")
    quote = post.quotes.get(position=3)
    url = change(importer, post, published_on="2025-08-09", title="直した題名", topics=[str(topic.pk)],
                 **{"quotes-2-source": str(other.pk)})

    post.refresh_from_db()
    assert (post.published_on.isoformat(), post.title) == ("2025-08-09", "直した題名")
    assert set(post.corrections) == {"published_on", "title", "topics", "quotes"}
    page = importer.get(url).content.decode()
    assert "公開日: 2025-08-09" in page and "引用3の情報源: 訂正先" in page and "トピック: 北朝鮮" in page

    edited = SEED.read_text(encoding="utf-8").replace("横山氏の記事では", "横山氏の記事(改)では")
    assert import_text(edited, name=SEED.name).outcome == "updated"

    post.refresh_from_db()
    assert post.commentary.startswith("横山氏の記事(改)では")  # what the parser reads is updated
    assert (post.published_on.isoformat(), post.title) == ("2025-08-09", "直した題名")  # what the admin set is kept
    assert post.quotes.get(position=3).source == other
    assert quote.original_title == post.quotes.get(position=3).original_title
    assert list(post.topics.values_list("name", flat=True)) == ["北朝鮮"]
    assert Post.objects.count() == 1


def test_an_uncorrected_post_has_no_corrections(importer):
    post = import_file(SEED).post
    change(importer, post)  # saved without changing anything
    post.refresh_from_db()
    assert post.corrections == {}


# Re-parse, clear corrections, merge sources ---------------------------------------------------------------------------


def test_reparse_previews_what_changes_then_reads_the_stored_text_again(importer):
    post = import_file(SEED).post
    Quote.objects.filter(post=post, position=1).update(translated_title="古いパーサーの訳題")
    Post.objects.filter(pk=post.pk).update(warnings=["line 9: old warning"])
    changelist = "/admin/posts/post/"
    data = {"action": "reparse_posts", "_selected_action": [post.pk], "csrfmiddlewaretoken": token(importer, changelist)}

    preview = importer.post(changelist, data).content.decode()
    assert "読み直した後" in preview and "古いパーサーの訳題" in preview and "引用1の訳題" in preview
    assert "CIA長官ジョン・ラトクリフとFBI長官パテルは" in preview
    assert Quote.objects.get(post=post, position=1).translated_title == "古いパーサーの訳題"  # nothing changed yet

    response = importer.post(changelist, {**data, "apply": "yes"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.quotes.get(position=1).translated_title.startswith("CIA長官ジョン・ラトクリフ")
    assert post.warnings == [] and post.revisions.count() == 0


def test_merging_sources_moves_quotes_and_keeps_the_name_as_an_alias(importer):
    import_file(SEED)
    duplicate = Source.objects.create(name="阿波罗新闻网(簡体)", slug="dup", domains=["m.aboluowang.com"])
    Quote.objects.filter(source__name="Rasmussen Reports").update(source=duplicate)
    target = Source.objects.get(name="阿波羅新聞網")
    changelist = "/admin/posts/source/"
    admin = User.objects.create_superuser("root", password="x")
    client = client_for(admin)
    data = {"action": "merge_sources", "_selected_action": [target.pk, duplicate.pk], "csrfmiddlewaretoken": token(client, changelist)}
    assert "まとめ先" in client.post(changelist, data).content.decode()
    client.post(changelist, {**data, "apply": "yes", "target": str(target.pk)})

    target.refresh_from_db()
    assert not Source.objects.filter(pk=duplicate.pk).exists()
    assert target.quotes.count() == 4
    assert "阿波罗新闻网(簡体)" in target.aliases and "m.aboluowang.com" in target.domains


def test_the_upload_handler_stops_storing_a_file_past_its_limit(settings, rf):
    from posts.ingest.upload_handlers import LimitedUploadHandler

    settings.POST_FILE_MAX_BYTES = 100
    handler = LimitedUploadHandler(rf.post("/"))
    handler.new_file("files", "big.txt", "text/plain", 1000)
    for start in range(0, 1000, 64):
        handler.receive_data_chunk(b"x" * 64, start)
    file = handler.file_complete(1000)
    assert file.too_large and file.size == 1024
    file.seek(0, 2)
    assert file.tell() <= 100  # what was stored on disk


def test_previews_nobody_confirmed_for_a_week_are_dropped(importer):
    import datetime as dt

    from django.utils import timezone

    stale = ImportBatch.objects.create()
    ImportFile.objects.create(batch=stale, position=1, name="old.txt", size=1, planned="created", text="古い")
    ImportBatch.objects.filter(pk=stale.pk).update(created_at=timezone.now() - dt.timedelta(days=8))
    recent = ImportBatch.objects.create()
    ImportFile.objects.create(batch=recent, position=1, name="new.txt", size=1, planned="created", text="新しい")
    upload(importer, [named("a.txt", small_post().encode())])
    assert not ImportBatch.objects.filter(pk=stale.pk).exists()
    assert ImportBatch.objects.filter(pk=recent.pk).exists()


def test_empty_batches_earlier_versions_left_are_dropped(importer):
    empty = ImportBatch.objects.create()
    upload(importer, [named("a.txt", small_post().encode())])
    assert not ImportBatch.objects.filter(pk=empty.pk).exists()
    assert ImportBatch.objects.get().files.count() == 1


# After review: failures, resumption, permissions on every step, escaping ---------------------------------------------


def test_a_file_that_fails_on_confirm_is_recorded_and_the_others_land(importer, monkeypatch):
    from posts.ingest import importing

    real = importing.import_text

    def breaking(text, **kwargs):
        if "壊れる" in text:
            raise ValueError("boom")
        return real(text, **kwargs)

    monkeypatch.setattr(importing, "import_text", breaking)
    upload(importer, [named("a.txt", small_post(title="壊れる").encode()), named("b.txt", small_post(title="無事").encode())])
    result = confirm(importer, ImportBatch.objects.get())
    assert "1件は失敗しました" in result and "内部エラー(ValueError): boom" in result
    assert list(Post.objects.values_list("title", flat=True)) == ["無事"]
    failed = ImportFile.objects.get(name="a.txt")
    assert failed.outcome == "failed" and failed.text  # kept, so it can be tried again
    assert ImportBatch.objects.get().status == ImportBatch.Status.IMPORTED


def test_a_confirm_cut_short_finishes_when_confirmed_again(importer):
    upload(importer, [named("a.txt", small_post(title="一").encode()), named("b.txt", small_post(title="二").encode())])
    batch = ImportBatch.objects.get()
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.IMPORTING)  # as if a worker had died
    import_text(small_post(title="一"), name="a.txt")
    ImportFile.objects.filter(name="a.txt").update(outcome="created")
    confirm(importer, batch)
    assert sorted(Post.objects.values_list("title", flat=True)) == ["一", "二"]
    assert ImportFile.objects.get(name="b.txt").outcome == "created"


def test_posting_without_permission_is_refused_before_anything_is_read():
    staff = User.objects.create_user("staff", password="x", is_staff=True)
    client = client_for(staff)
    client.get("/admin/")
    response = client.post(NEW, {"files": [named("a.txt", b"x")]})
    assert response.status_code == 403
    owner = User.objects.create_user("owner", password="x", is_staff=True)
    batch = ImportBatch.objects.create(user=owner)
    url = f"/admin/posts/importbatch/{batch.pk}/review/"
    assert client.post(url).status_code == 403


def test_someone_elses_batch_cannot_be_confirmed(importer):
    other = User.objects.create_user("other", password="x", is_staff=True)
    batch = ImportBatch.objects.create(user=other)
    ImportFile.objects.create(batch=batch, position=1, name="a.txt", size=1, planned="created", text=small_post())
    url = f"/admin/posts/importbatch/{batch.pk}/review/"
    importer.get("/admin/")
    response = importer.post(url, {"csrfmiddlewaretoken": importer.cookies["csrftoken"].value})
    assert response.status_code == 403 and Post.objects.count() == 0


def test_an_upload_larger_than_a_batch_may_be_is_refused_unread(importer, settings):
    settings.IMPORT_MAX_REQUEST_BYTES = 10_000
    response = importer.post(NEW, {"files": [named("a.txt", b"x" * 20_000)], "csrfmiddlewaretoken": token(importer)})
    assert response.status_code == 413
    assert "送信が大きすぎます" in response.content.decode()


def test_a_zip_over_its_size_limit_says_so(importer, settings):
    settings.IMPORT_ZIP_MAX_BYTES = 2_000
    import random

    noise = random.Random(0).randbytes(3000)  # does not compress
    archive = zip_of({f"{n}.txt": noise for n in range(3)}, name="large.zip")
    zipfile_bytes = len(archive.getvalue())
    assert zipfile_bytes > 2_000
    status, preview = upload(importer, [archive])
    assert "large.zip" in preview and "大きすぎます: 上限は1.95312 KBです。" in preview


def test_japanese_file_names_in_a_windows_zip_are_read(importer):
    class WindowsName(zipfile.ZipInfo):
        def _encodeFilenameFlags(self):  # as Japanese Windows writes names: CP932, no UTF-8 flag
            return self.filename.encode("cp932"), self.flag_bits

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(WindowsName("投稿一.txt"), small_post().encode())
    status, preview = upload(importer, [named("win.zip", buffer.getvalue())])
    assert "win.zip/投稿一.txt" in preview


def test_file_names_and_text_are_escaped_on_the_preview(importer):
    hostile = "<img src=x onerror=alert(1)>"
    status, preview = upload(importer, [named(f"{hostile}.txt", small_post(title=hostile).encode())])
    assert hostile not in preview
    assert "&lt;img src=x onerror=alert(1)&gt;" in preview


def test_quotes_and_links_are_corrected_on_their_post_not_on_their_own(importer):
    admin = User.objects.create_superuser("root", password="x")
    client = client_for(admin)
    post = import_file(SEED).post
    quote = post.quotes.first()
    url = f"/admin/posts/quote/{quote.pk}/change/"
    client.get(url)
    assert client.post(url, {"csrfmiddlewaretoken": client.cookies["csrftoken"].value}).status_code == 403
    assert client.get("/admin/posts/link/add/").status_code == 403


def test_a_corrected_title_is_searchable_at_once(importer, client):
    post = import_file(SEED).post
    change(importer, post, title="黒猫郵便の話")
    html = client.get("/", {"q": "黒猫郵便"}).content.decode()
    assert f'href="/posts/{post.pk}/?q=' in html


def test_corrections_survive_a_reimport_through_the_importer(importer):
    post = import_file(SEED).post
    change(importer, post, published_on="2025-08-09")
    edited = SEED.read_text(encoding="utf-8").replace("横山氏の記事では", "横山氏の記事(改)では")
    status, preview = upload(importer, [named("seed.txt", edited.encode())])
    assert "予定: <strong class=\"plan-updated\">更新</strong>" in preview
    assert "管理者の修正が残ります" in preview and "公開日: 2025-08-09" in preview
    confirm(importer, ImportBatch.objects.get())
    post.refresh_from_db()
    assert post.published_on.isoformat() == "2025-08-09" and post.commentary.startswith("横山氏の記事(改)")


def test_reparse_and_merge_keep_corrections(importer):
    post = import_file(SEED).post
    other = Source.objects.create(name="訂正先", slug="訂正先")
    change(importer, post, published_on="2025-08-09", **{"quotes-0-source": str(other.pk)})
    from posts.admin.actions import merge_into
    from posts.ingest.importing import reparse

    assert reparse(post).outcome == "updated"
    post.refresh_from_db()
    assert post.published_on.isoformat() == "2025-08-09" and post.quotes.get(position=1).source == other
    target = Source.objects.get(name="The Gateway Pundit")
    merge_into(target, [other])
    reparse(post)
    post.refresh_from_db()
    assert post.quotes.get(position=1).source == target
    assert post.corrections["quotes"]["1"]["source"] == target.pk


def test_reparse_never_writes_over_another_post():
    from posts.ingest.importing import reparse

    first = import_text(small_post(title="甲"), name="a.txt").post
    second = import_text(small_post(title="乙"), name="b.txt").post
    Post.objects.filter(pk=second.pk).update(raw_text=small_post(title="甲"))
    second.refresh_from_db()
    result = reparse(second)
    assert result.outcome == "failed" and f"別の投稿 #{first.pk} と同じになる" in result.error
    first.refresh_from_db()
    assert first.title == "甲" and first.revisions.count() == 0


def test_clearing_corrections_reads_the_text_again(importer):
    post = import_file(SEED).post
    change(importer, post, published_on="2025-08-09")
    admin = User.objects.create_superuser("root", password="x")
    client = client_for(admin)
    changelist = "/admin/posts/post/"
    data = {"action": "clear_corrections", "_selected_action": [post.pk], "csrfmiddlewaretoken": token(client, changelist)}
    assert client.post(changelist, data).status_code == 302
    post.refresh_from_db()
    assert post.corrections == {} and post.published_on.isoformat() == "2025-08-05"
