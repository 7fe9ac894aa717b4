"""Bad files, each through both entry points — the `import_posts` command and the admin's import page — on
real PostgreSQL: what is refused says why in one line, what is accepted is stored exactly as decoded.

What is kept and what is refused:
- Encodings: UTF-8 with or without BOM, UTF-16 with BOM, CP932, EUC-JP, ISO-2022-JP are read; line ends become LF.
- NUL (bytes or characters) cannot be stored in PostgreSQL text: the file is refused with a reason.
- Every other control character, U+2028, zero-width and full-width characters are stored as written; search
  reads text in its NFKC form without zero-width characters (ＦＢＩ is found as FBI, 停\u200b戦 as 停戦).
"""

import io
import json
import os
import struct
import subprocess
import sys
import textwrap

import pytest
from django.contrib.auth.models import Permission, User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from posts.ingest.warning_text import warning_text
from posts.models import ImportBatch, Post
from posts.search.matching import search
from posts.search.query import parse_query
from tests.conftest import ROOT, database_url, small_post
from tests.servers import Browser, gunicorn, peak_rss_mb

pytestmark = pytest.mark.django_db

NEW = "/admin/posts/importbatch/new/"
LF_POST = small_post(title="改行", body="一行目。\n二行目。")


class Refused:
    def __init__(self, reason: str):
        self.reason = reason


def same_as_lf(post):
    assert post.raw_text == LF_POST and "\r" not in post.raw_text


def written(text: str):
    def check(post):
        assert post.raw_text == text

    return check


def found_by(*queries):
    def check(post):
        for q in queries:
            assert list(search(Post.objects.all(), parse_query(q)).values_list("pk", flat=True)) == [post.pk], q

    return check


def holds(predicate):
    def check(post):
        assert predicate(post)

    return check


def both(*checks):
    def check(post):
        for c in checks:
            c(post)

    return check


def warned(*expected):
    """The post's warnings say these, as people read them."""
    def check(post):
        shown = [warning_text(w) for w in post.warnings]
        for warning in expected:
            assert warning in shown, shown

    return check


def mixed_line_ends(text: str) -> str:
    """CRLF, LF and CR in turn (CR only before a line that is not empty, where CR + LF would read as one)."""
    lines = text.split("\n")
    ends = [("\r\n", "\n", "\r" if lines[i + 1] else "\n")[i % 3] for i in range(len(lines) - 1)]
    return "".join(line + end for line, end in zip(lines, ends)) + lines[-1]


CONTROL = small_post(title="制御", body="ベル\x07タブ\tエスケープ\x1b[0m削除\x7f改ページ\x0c縦タブ\x0bです。")
INVISIBLE = small_post(title="不可視", body="停\u200b戦と\u2060合意\ufeff、ＦＢＩ長官とｶﾀｶﾅ。")
ONE_LONG_LINE = small_post(title="長い行", body="あ" * 350_000)  # ~1 MB as UTF-8, on one line

SEPARATORS = small_post(title="行区切り", body="前\u2028後\u2029終")

CASES = {
    "utf-8": (LF_POST.encode("utf-8"), same_as_lf),
    "utf-8 with BOM": (b"\xef\xbb\xbf" + LF_POST.encode("utf-8"), same_as_lf),
    "utf-16": (LF_POST.encode("utf-16"), same_as_lf),
    "cp932": (LF_POST.encode("cp932"), same_as_lf),
    "euc-jp": (LF_POST.encode("euc_jp"), same_as_lf),
    "iso-2022-jp": (LF_POST.encode("iso2022_jp"), same_as_lf),
    "crlf": (LF_POST.replace("\n", "\r\n").encode(), same_as_lf),
    "cr": (LF_POST.replace("\n", "\r").encode(), same_as_lf),
    "mixed line ends": (mixed_line_ends(LF_POST).encode(), same_as_lf),
    "u+2028": (SEPARATORS.encode(), both(written(SEPARATORS), found_by("前", "終"))),
    "nul bytes": (LF_POST.encode() + b"\x00\x00", Refused("テキストの投稿ではありません(NULバイトを含むバイナリファイルです)。")),
    "nul in utf-16": (LF_POST.encode("utf-16") + "\x00".encode("utf-16-le"), Refused("NUL文字を含む")),
    "control characters": (CONTROL.encode(), both(written(CONTROL), found_by("エスケープ", "改ページ"))),
    "zero-width and full-width": (INVISIBLE.encode(), both(written(INVISIBLE), found_by("停戦", "FBI", "fbi", "カタカナ", "合意"))),
    "empty": (b"", Refused("空のファイルです。")),
    "only whitespace": (" \r\n\t\u3000".encode(), Refused("空のファイルです。")),
    "1 MB single line": (ONE_LONG_LINE.encode(), both(written(ONE_LONG_LINE), holds(lambda post: "あ" * 350_000 in post.quotes.get().body))),
    "png named .txt": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, Refused("テキストの投稿ではありません(PNG画像です)。")),
    "undecodable": ("投稿".encode("utf-8") + b"\x81\x20\x82\x20abc\xef\xbf", Refused("文字コードを読み取れません")),
    "missing brackets": (
        "『題名(8/4日経)について\n8/4Reuters Tariffs rise=関税\nhttps://www.reuters.com/x\n".encode(),
        warned("1行目: 題名の『』が対になっていません: 書かれたとおりにしました",
               "2行目: <原題=訳題> のない引用の見出しのようです: 本文として読みました"),
    ),
    "unbalanced <>": (
        "『題』(8/4日経 記者)について\n8/4Reuters<Tariffs <rise=関税\nhttps://www.reuters.com/x\n".encode(),
        warned("2行目: 引用の見出しに閉じる > がありません: 行全体を題としました"),
    ),
    "missing =": (  # a header without a translation is allowed: the original title alone
        "『題』(8/4日経 記者)について\n8/4Reuters<Tariffs rise>\nhttps://www.reuters.com/x\n".encode(),
        holds(lambda post: (post.quotes.get().original_title, post.quotes.get().translated_title) == ("Tariffs rise", "")),
    ),
}


# The two entry points ---------------------------------------------------------------------------------------------------------


def through_command(tmp_path, name: str, data: bytes) -> tuple[str, str, Post | None]:
    """(outcome, error, post) of `import_posts` on one file."""
    path = tmp_path / name
    path.write_bytes(data)
    out = io.StringIO()
    try:
        call_command("import_posts", str(path), "--format", "json", stdout=out)
    except CommandError:
        pass
    line = json.loads(out.getvalue().splitlines()[0])
    post = Post.objects.get(pk=line["post"]) if line.get("post") else None
    return line["outcome"], line.get("error", ""), post


def admin_client() -> Client:
    user = User.objects.create_user("importer", password="x", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["add_post", "change_post", "view_post"]))
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def token(client: Client, url: str) -> str:
    assert client.get(url).status_code == 200
    return client.cookies["csrftoken"].value


def through_admin(name: str, data: bytes, client: Client | None = None) -> tuple[str, str, Post | None]:
    """(outcome, error, post) of uploading one file in the admin, reading the preview and confirming it."""
    client = client or admin_client()
    file = io.BytesIO(data)
    file.name = name
    response = client.post(NEW, {"files": [file], "text": "", "csrfmiddlewaretoken": token(client, NEW)})
    assert response.status_code == 302, response.content.decode()[:500]
    batch = ImportBatch.objects.latest("pk")
    review = f"/admin/posts/importbatch/{batch.pk}/review/"
    preview = client.get(review)
    assert preview.status_code == 200
    if batch.files.filter(planned="refused").count() < batch.files.count():
        assert client.post(review, {"csrfmiddlewaretoken": token(client, review)}).status_code == 302
        assert client.get(review).status_code == 200
    file = batch.files.get()
    outcome = file.outcome or file.planned
    return ("failed" if outcome == "refused" else outcome), file.error, file.post


@pytest.mark.parametrize("entry", ["command", "admin"])
@pytest.mark.parametrize("case", list(CASES))
def test_a_bad_file(tmp_path, entry, case):
    data, expected = CASES[case]
    outcome, error, post = through_command(tmp_path, "post.txt", data) if entry == "command" else through_admin("post.txt", data)
    if isinstance(expected, Refused):
        assert (outcome, post) == ("failed", None)
        assert expected.reason in error and "\n" not in error
        assert Post.objects.count() == 0
    else:
        assert (outcome, error) == ("created", "")
        expected(post)


@pytest.mark.parametrize("entry", ["command", "admin"])
def test_the_same_post_twice_in_one_batch_is_stored_once(tmp_path, entry):
    data = LF_POST.encode()
    if entry == "command":
        (tmp_path / "a.txt").write_bytes(data)
        (tmp_path / "b.txt").write_bytes(LF_POST.replace("\n", "\r\n").encode())  # same text once decoded
        out = io.StringIO()
        call_command("import_posts", str(tmp_path), "--format", "json", stdout=out)
        outcomes = [json.loads(line).get("outcome") for line in out.getvalue().splitlines()[:2]]
    else:
        client = admin_client()
        files = [io.BytesIO(data), io.BytesIO(data)]
        files[0].name, files[1].name = "a.txt", "b.txt"
        client.post(NEW, {"files": files, "text": "", "csrfmiddlewaretoken": token(client, NEW)})
        batch = ImportBatch.objects.get()
        review = f"/admin/posts/importbatch/{batch.pk}/review/"
        client.post(review, {"csrfmiddlewaretoken": token(client, review)})
        outcomes = list(batch.files.values_list("outcome", flat=True))
    assert sorted(outcomes) == ["created", "unchanged"]
    assert Post.objects.count() == 1


# A 50 MB file: refused while it is read, in little memory --------------------------------------------------------------------


BIG = 50 * 1024 * 1024


def big_file(tmp_path):
    path = tmp_path / "big.txt"
    line = ("『大きい』(8/4日経)について " + "あ" * 1000 + "\n").encode()
    with path.open("wb") as out:
        for _ in range(BIG // len(line) + 1):
            out.write(line)
    return path


def python_peak_rss_mb(script: str) -> tuple[float, str]:
    """Run `script` in a fresh Python with Django set up on the test database; (its peak RSS in MB, its output)."""
    prelude = "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'archive.settings'); django.setup()\n"
    done = subprocess.run(
        [sys.executable, "-c", prelude + textwrap.dedent(script) +
         "\nimport resource; print('PEAK', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"],
        cwd=ROOT, env={**os.environ, "DATABASE_URL": database_url()}, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    peak = int(done.stdout.rsplit("PEAK", 1)[1]) / 1024
    return peak, done.stdout


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_50_mb_file_is_refused_while_read_by_the_command_in_little_memory(tmp_path):
    path = big_file(tmp_path)
    peak, out = python_peak_rss_mb(f"""
        from django.core.management import call_command
        try:
            call_command("import_posts", {str(path)!r}, "--format", "json")
        except Exception as error:
            print("EXIT", error)
    """)
    assert '"outcome": "failed"' in out and "大きすぎます: 上限は5 MBです。" in out
    assert peak < 200, f"peak RSS {peak:.0f} MB"
    print(f"command: 50 MB file refused, peak RSS {peak:.0f} MB")
    assert Post.objects.count() == 0


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_50_mb_upload_is_refused_while_read_by_the_admin_in_little_memory(tmp_path):
    """Through a real gunicorn, the file streamed to it: the worker's peak RSS is read from /proc (VmHWM)."""
    path = big_file(tmp_path)
    user = User.objects.create_user("big", password="a long enough password", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["add_post", "view_post"]))
    with gunicorn() as (base, master):
        browser = Browser(base)
        assert browser.log_in("big", "a long enough password") == 200
        status, page = browser.upload(NEW, "files", [path], text="")
        peak = peak_rss_mb(master.children()[0])
    assert status == 200 and "大きすぎます: 上限は5 MBです。" in page
    file = ImportBatch.objects.get().files.get()
    assert (file.planned, file.error, file.size) == ("refused", "大きすぎます: 上限は5 MBです。", path.stat().st_size)
    assert peak < 200, f"peak RSS {peak:.0f} MB"
    print(f"admin: {path.stat().st_size / 2**20:.0f} MB upload refused, worker peak RSS {peak:.0f} MB")
    assert Post.objects.count() == 0


# The attacker's zip: 1.76 million folder entries under an end record that says 1 ---------------------------------------


def crafted_zip(path, folders: int = 1_760_000):
    """A central directory of `folders` folder entries and nothing else (96 MB, under the 100 MB a zip may be)."""
    with path.open("wb") as out:
        for n in range(folders):
            name = f"{n:010d}/".encode()
            out.write(struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", 20, 3, 10, 0, 0, 0, 0, 0, 0, 0, 0,
                                  len(name), 0, 0, 0, 0, (0o40755 << 16) | 0x10, 0) + name)
        size = out.tell()
        out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, size, 0, 0))
    return path


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_crafted_zip_is_refused_by_the_admin_in_little_memory(tmp_path):
    """As the attacker sent it, to a real gunicorn: refused before zipfile builds its 1.76 million entries."""
    path = crafted_zip(tmp_path / "crafted.zip")
    user = User.objects.create_user("zip", password="a long enough password", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["add_post", "view_post"]))
    with gunicorn() as (base, master):
        browser = Browser(base)
        assert browser.log_in("zip", "a long enough password") == 200
        status, page = browser.upload(NEW, "files", [path], text="")
        peak = peak_rss_mb(master.children()[0])
    assert status == 200 and "crafted.zip: 中のファイルが多すぎます(フォルダーも数えて400件までです)。" in page
    assert ImportBatch.objects.count() == 0
    assert peak < 200, f"peak RSS {peak:.0f} MB"
    print(f"admin: {path.stat().st_size / 2**20:.0f} MB crafted zip refused, worker peak RSS {peak:.0f} MB")
