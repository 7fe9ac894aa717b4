"""The one write path and the import_posts command, against real PostgreSQL."""

import datetime as dt
import io
import json
import os
import subprocess
import sys
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections

from posts.ingest.importing import (
    CREATED,
    FAILED,
    UNCHANGED,
    UPDATED,
    identity_key,
    import_bytes,
    import_file,
    import_text,
)
from posts.ingest.sources import sources_named
from posts.models import Link, Post, Quote, Source
from posts.search.index import BULK_INDEX_MEMORY, bulk_indexing, flush_index
from tests.conftest import ROOT, SEED, database_url, manage_py, small_post, write_post

pytestmark = pytest.mark.django_db


def run_import(*paths, **options):
    out = io.StringIO()
    try:
        call_command("import_posts", *map(str, paths), stdout=out, **options)
    except CommandError as error:
        return out.getvalue(), error
    return out.getvalue(), None


def test_importing_the_seed_twice_leaves_one_post_with_its_quotes_links_and_sources():
    first, error = run_import(ROOT / "seeds")
    assert error is None
    second, error = run_import(ROOT / "seeds")
    assert error is None
    assert "created    " in first and "1 created / 0 updated / 0 unchanged / 0 failed" in first
    assert "unchanged  " in second and "0 created / 0 updated / 1 unchanged / 0 failed" in second

    post = Post.objects.get()
    assert (post.quotes.count(), post.links.count()) == (5, 7)
    assert set(Source.objects.values_list("name", flat=True)) == {
        "The Gateway Pundit", "Rasmussen Reports", "阿波羅新聞網", "JBプレス",
    }
    assert post.article_outlet.name == "JBプレス" and post.article_author == "横山恭三"
    assert (post.article_date, post.published_on) == (dt.date(2025, 8, 4), dt.date(2025, 8, 5))
    assert post.raw_text == SEED.read_text(encoding="utf-8")
    assert post.source_file == SEED.name and post.encoding == "utf-8" and post.warnings == []


def test_links_belong_to_their_quotes_and_keep_the_status_time():
    post = import_file(SEED).post
    rows = list(post.links.values_list("position", "quote__position", "domain", "status_id"))
    assert rows == [
        (1, 1, "twitter.com", 1952177345420243283),
        (2, 1, "thegatewaypundit.com", None),
        (3, 2, "rasmussenreports.com", None),
        (4, 2, "x.com", 1952174515238084971),
        (5, 3, "aboluowang.com", None),
        (6, 4, "aboluowang.com", None),
        (7, 5, "aboluowang.com", None),
    ]
    status = post.links.get(position=1)
    assert status.status_time == dt.datetime(2025, 8, 4, 1, 18, 43, 506000, tzinfo=dt.timezone.utc)


def test_sources_get_cjk_slugs_and_their_known_aliases():
    import_file(SEED)
    assert Source.objects.get(name="阿波羅新聞網").slug == "阿波羅新聞網"
    assert Source.objects.get(name="The Gateway Pundit").slug == "the-gateway-pundit"
    jb = Source.objects.get(slug="jbプレス")
    assert "JBpress" in jb.aliases and "jbpress.ismedia.jp" in jb.domains


def test_an_alias_added_in_the_database_is_used_by_the_next_import():
    sources_named(["Mystery Gazette"])
    Source.objects.filter(name="Mystery Gazette").update(aliases=["謎の新聞"])
    post = import_text(small_post().replace("Reuters<", "謎の新聞<"), name="a.txt").post
    assert post.quotes.get().source.name == "Mystery Gazette"
    assert post.quotes.get().outlet_as_written == "謎の新聞"


def test_an_edited_post_is_updated_in_place():
    original = import_text(small_post(body="最初の本文。"), name="p.txt")
    edited = import_text(small_post(body="直した本文。"), name="p.txt")
    again = import_text(small_post(body="直した本文。"), name="p.txt")
    assert [original.outcome, edited.outcome, again.outcome] == [CREATED, UPDATED, UNCHANGED]
    assert original.post.pk == edited.post.pk == again.post.pk
    assert Post.objects.count() == 1
    assert Quote.objects.get().body == "直した本文。"
    assert Link.objects.count() == 1
    # The replaced text is kept.
    (revision,) = edited.post.revisions.all()
    assert revision.raw_text == small_post(body="最初の本文。")
    assert revision.content_hash == original.post.content_hash


def test_the_same_title_on_another_article_date_is_another_post():
    import_text(small_post(day=4), name="a.txt")
    import_text(small_post(day=5), name="b.txt")
    assert Post.objects.count() == 2


def test_the_same_text_read_in_another_year_is_still_unchanged():
    text = "『年の手がかりがない投稿』(8/4日経)について\n\n論評。\n"
    first = import_text(text, name="a.txt", today=dt.date(2025, 9, 1))
    later = import_text(text, name="a.txt", today=dt.date(2026, 9, 1))
    assert (first.outcome, later.outcome) == (CREATED, UNCHANGED)
    assert first.post.article_date == dt.date(2025, 8, 4)


def test_untitled_posts_are_told_apart_by_their_content():
    a = import_text("8/4Reuters<A=あ>\n本文A\nhttps://reuters.com/a\n", name="a.txt")
    b = import_text("8/4Reuters<B=び>\n本文B\nhttps://reuters.com/b\n", name="b.txt")
    assert (a.outcome, b.outcome) == (CREATED, CREATED)
    assert Post.objects.count() == 2
    assert identity_key("", "abc") == "sha256:abc"
    assert identity_key(" Ｔｉｔｌｅ  of\u3000Post ", "abc") == "title of post"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "cp932", "euc_jp", "iso2022_jp"])
def test_each_encoding_is_stored_as_text(tmp_path, encoding):
    text = small_post(title="文字コードの試験")
    path = write_post(tmp_path, "post.txt", text.replace("\n", "\r\n"), encoding)
    result = import_file(path)
    assert result.outcome == CREATED, result.error
    assert result.post.raw_text == text
    assert result.post.title == "文字コードの試験"


def test_a_file_over_the_size_limit_is_refused(tmp_path, settings):
    settings.POST_FILE_MAX_BYTES = 100
    result = import_file(write_post(tmp_path, "big.txt", small_post() * 10))
    assert (result.outcome, result.error) == (FAILED, "大きすぎます: 上限は100バイトです。")
    assert Post.objects.count() == 0


def test_import_bytes_refuses_binary_with_a_reason():
    result = import_bytes(b"\x89PNG\r\n\x1a\n\x00\x00", name="image.txt")
    assert (result.outcome, result.error, result.post) == (FAILED, "テキストの投稿ではありません(PNG画像です)。", None)


def test_a_bad_file_among_good_ones_fails_alone_and_the_command_exits_non_zero(tmp_path):
    write_post(tmp_path, "a.txt", small_post(title="一つ目"))
    (tmp_path / "b.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "sub").mkdir()
    write_post(tmp_path / "sub", "c.txt", small_post(title="三つ目"))
    write_post(tmp_path, "empty.txt", "")
    write_post(tmp_path, "notes.md", "not a post")

    out, error = run_import(tmp_path)

    assert error is not None and error.returncode == 1 and str(error) == "2 of 4 files failed"
    assert f"failed     {tmp_path / 'b.txt'}: テキストの投稿ではありません(NULバイトを含むバイナリファイルです)。" in out
    assert f"failed     {tmp_path / 'empty.txt'}: 空のファイルです。" in out
    assert out.strip().endswith("2 created / 0 updated / 0 unchanged / 2 failed")
    assert sorted(Post.objects.values_list("title", flat=True)) == ["一つ目", "三つ目"]


def test_outlets_with_the_same_slug_get_different_slugs():
    sources = sources_named(["Zed News", "ZED NEWS"])
    slugs = sorted(source.slug for source in sources.values())
    assert slugs[0] == "zed-news"
    assert slugs[1].startswith("zed-news-") and len(slugs[1]) == len("zed-news-") + 6


def test_the_outlet_as_written_in_the_title_line_is_kept():
    post = import_text("『題』(8/4JBpress 横山恭三)について\n\n論評。", name="a.txt").post
    assert (post.article_outlet.name, post.article_outlet_as_written) == ("JBプレス", "JBpress")


def test_odd_file_names_and_upper_case_extensions_are_imported(tmp_path):
    odd = os.fsdecode(b"\x93\xfa\x8co.TXT")  # Shift_JIS bytes: not a UTF-8 name
    (tmp_path / odd).write_bytes(small_post().encode())
    out, error = run_import(tmp_path)
    assert error is None, out
    assert "1 created" in out
    assert Post.objects.get().source_file == "\ufffd\ufffd\ufffdo.TXT"


def test_an_unexpected_error_fails_one_file_and_the_others_are_imported(tmp_path, monkeypatch):
    from posts.ingest import importing

    real_parse = importing.parse_post

    def parse_or_break(text, **kwargs):
        if "壊れる" in text:
            raise ValueError("a parser bug")
        return real_parse(text, **kwargs)

    monkeypatch.setattr(importing, "parse_post", parse_or_break)
    write_post(tmp_path, "a.txt", small_post(title="壊れる"))
    write_post(tmp_path, "b.txt", small_post(title="無事"))
    out, error = run_import(tmp_path)
    assert f"failed     {tmp_path / 'a.txt'}: 内部エラー(ValueError): a parser bug" in out
    assert list(Post.objects.values_list("title", flat=True)) == ["無事"]
    assert error is not None


def test_json_output_reports_each_file(tmp_path):
    write_post(tmp_path, "a.txt", small_post())
    out, error = run_import(tmp_path / "a.txt", tmp_path / "missing.txt", format="json")
    lines = [json.loads(line) for line in out.splitlines()]
    assert lines[0] == {"file": str(tmp_path / "a.txt"), "outcome": "created", "post": Post.objects.get().pk, "warnings": []}
    assert lines[1] == {"file": str(tmp_path / "missing.txt"), "outcome": "failed", "error": "読み込めません: No such file or directory"}
    assert lines[2] == {"summary": {"created": 1, "updated": 0, "unchanged": 0, "failed": 1}}
    assert error is not None


@pytest.mark.django_db(transaction=True)
def test_concurrent_imports_of_the_same_files_store_each_post_once(tmp_path):
    paths = []
    for n in range(3):
        text = small_post(title=f"同時の投稿{n}").replace("Reuters<", f"New Outlet {n}<").replace("reuters", "new")
        paths.append(write_post(tmp_path, f"{n}.txt", text))

    results = import_at_once(paths, copies=4)

    assert sorted(r.outcome for r in results) == [CREATED] * 3 + [UNCHANGED] * 9
    assert Post.objects.count() == 3
    assert Source.objects.filter(name__startswith="New Outlet").count() == 3


def import_at_once(paths, copies=1):
    """Import `paths` from as many threads at once (each path `copies` times); return the results."""
    jobs = [path for path in paths for _ in range(copies)]
    start = threading.Barrier(len(jobs))
    results, errors = [], []

    def worker(path):
        from django.db import connection

        try:
            start.wait()
            results.append(import_file(path))
        except Exception as error:  # noqa: BLE001 - reported by the caller
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(path,)) for path in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results


@pytest.mark.django_db(transaction=True)
def test_concurrent_imports_of_different_files_with_the_same_new_outlets_do_not_deadlock(tmp_path):
    outlets = [f"Brand New Outlet {n}" for n in range(6)]
    paths = []
    for n in range(4):
        order = outlets if n % 2 else outlets[::-1]  # the same new outlets, in opposite orders
        quotes = "".join(f"8/4{o}<T{i}=題{i}>\n本文\nhttps://example.org/{n}/{i}\n\n" for i, o in enumerate(order))
        paths.append(write_post(tmp_path, f"{n}.txt", f"『投稿{n}』(8/4日経)について\n\n{quotes}論評。\n"))

    results = import_at_once(paths)

    assert [(r.outcome, r.error) for r in results] == [(CREATED, "")] * 4
    assert Post.objects.count() == 4
    assert Source.objects.filter(name__in=outlets).count() == 6


def test_dry_run_prints_the_parsed_form_and_touches_no_database():
    env = {**os.environ, "DATABASE_URL": "postgres://nobody@127.0.0.1:9/nothing", "DJANGO_SECRET_KEY": "x"}
    done = subprocess.run(
        [sys.executable, "manage.py", "import_posts", "--dry-run", "--format", "json", "seeds/"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    (line,) = done.stdout.splitlines()
    form = json.loads(line)
    assert list(form) == [
        "file", "title", "article", "published_on", "quotes", "commentary", "article_body", "links", "warnings",
    ]
    assert form["file"] == "seeds/000_89363e7e5bbeb1cc.txt"
    assert form["article"] == {"date": "2025-08-04", "outlet": "JBプレス", "author": "横山恭三"}
    assert form["published_on"] == "2025-08-05"
    assert [q["outlet"] for q in form["quotes"]] == ["The Gateway Pundit", "Rasmussen Reports"] + ["阿波羅新聞網"] * 3
    assert len(form["links"]) == 7 and form["warnings"] == []


def test_dry_run_prints_an_error_object_for_a_refused_file(tmp_path):
    (tmp_path / "bad.txt").write_bytes(b"")
    out, error = run_import(tmp_path / "bad.txt", dry_run=True, format="json")
    assert json.loads(out) == {"file": str(tmp_path / "bad.txt"), "error": "空のファイルです。"}
    assert error is not None and error.returncode == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_import_commands_store_each_post_once(tmp_path):
    for n in range(5):
        write_post(tmp_path, f"{n}.txt", small_post(title=f"並行コマンド{n}"))
    url = database_url()
    runs = [manage_py("import_posts", str(tmp_path), database_url=url, stdout=subprocess.PIPE, text=True) for _ in range(3)]
    outputs = [run.communicate(timeout=120)[0] for run in runs]

    assert [run.returncode for run in runs] == [0, 0, 0], outputs
    summaries = [out.strip().splitlines()[-1] for out in outputs]
    created = sum(int(summary.split(" created")[0]) for summary in summaries)
    assert created == 5, summaries
    assert Post.objects.count() == 5


@pytest.mark.django_db(transaction=True)
def test_the_command_shows_a_progress_bar_on_a_terminal(tmp_path):
    import fcntl
    import pty
    import struct
    import termios

    write_post(tmp_path, "a.txt", small_post())
    terminal, pty_end = pty.openpty()
    fcntl.ioctl(pty_end, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))  # a terminal 80 columns wide
    run = manage_py("import_posts", str(tmp_path), database_url=database_url(), stdout=subprocess.PIPE, stderr=pty_end)
    os.close(pty_end)
    run.communicate(timeout=120)
    shown = b""
    while True:
        try:
            chunk = os.read(terminal, 4096)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(terminal)
    assert b"100%" in shown and b"1/1" in shown, shown


def test_reindex_rebuilds_every_posts_search_passages():
    post = import_text(small_post(title="索引"), name="a.txt").post
    expected = sorted(post.passages.values_list("part", "field", "start", "runs"))
    post.passages.all().delete()
    out = io.StringIO()
    call_command("reindex", stdout=out)
    assert out.getvalue().strip() == "1 posts reindexed"
    assert sorted(post.passages.values_list("part", "field", "start", "runs")) == expected


def gin_pending_list_limit(conn) -> str:
    with conn.cursor() as cursor:
        cursor.execute("SHOW gin_pending_list_limit")
        return cursor.fetchone()[0]


def test_bulk_indexing_sets_the_open_connection_and_those_opened_inside_it():
    server_default = gin_pending_list_limit(connection)
    assert server_default != BULK_INDEX_MEMORY
    with bulk_indexing():
        assert gin_pending_list_limit(connection) == BULK_INDEX_MEMORY
        opened = connections.create_connection("default")
        assert gin_pending_list_limit(opened) == BULK_INDEX_MEMORY
        opened.close()
    opened = connections.create_connection("default")
    assert gin_pending_list_limit(opened) == server_default
    opened.close()


@pytest.mark.django_db(transaction=True)
def test_bulk_indexing_replaces_an_open_connection_the_server_dropped():
    connection.ensure_connection()
    dropped = connection.connection.info.backend_pid
    other = connections.create_connection("default")
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [dropped])
        assert cursor.fetchone()[0] is True
    other.close()
    with bulk_indexing():
        assert gin_pending_list_limit(connection) == BULK_INDEX_MEMORY
        assert connection.connection.info.backend_pid != dropped


def test_the_command_leaves_nothing_pending_in_the_search_index(tmp_path):
    import_text(small_post(title="一件目"), name="one.txt")  # as the admin imports: merged later by PostgreSQL
    assert flush_index() > 0
    import_text(small_post(title="二件目"), name="two.txt")
    write_post(tmp_path, "three.txt", small_post(title="三件目"))
    run_import(tmp_path)
    assert flush_index() == 0


def test_the_command_says_so_when_the_index_cannot_be_flushed_and_keeps_the_posts(tmp_path, monkeypatch):
    def fail():
        raise DatabaseError("could not merge\nsecond line")

    monkeypatch.setattr("posts.management.commands.import_posts.flush_index", fail)
    write_post(tmp_path, "a.txt", small_post(title="残る"))
    err = io.StringIO()
    call_command("import_posts", str(tmp_path), stdout=io.StringIO(), stderr=err)
    assert err.getvalue().strip() == "the search index's pending list was not merged: could not merge"
    assert Post.objects.filter(title="残る").exists()
