"""Migration 0015 on a database the old import filled with a post stored twice: it gives each post its file
name where no other post shares it, and reports the duplicates without merging them."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

BEFORE = [("posts", "0014_cache_table")]
AFTER = [("posts", "0015_post_identity")]


@pytest.fixture
def old_schema():
    """The historical models of the schema before 0015; the latest schema again afterwards."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    yield MigrationExecutor(connection).loader.project_state(BEFORE).apps
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_the_migration_names_the_posts_and_reports_the_duplicates(old_schema, capsys):
    Post = old_schema.get_model("posts", "Post")

    def post(title, date, source_file, text):
        return Post.objects.create(title=title, title_key=title, article_date=date, published_on=date, raw_text=text,
                                   content_hash=text * 64, source_file=source_file).pk

    old = post("防衛費の行方", dt.date(2022, 8, 4), "2022-08-05.txt", "a")
    copy = post("防衛費の行方", dt.date(2025, 8, 4), "貼り付けたテキスト", "b")
    shared = [post("甲", dt.date(2025, 1, 1), "post.txt", "c"), post("乙", dt.date(2025, 3, 1), "post.txt", "d")]
    capsys.readouterr()

    MigrationExecutor(connection).migrate(AFTER)

    out = capsys.readouterr().out
    assert "同じ投稿が二重に保存されているかもしれません(2組、統合はしていません):" in out
    assert f"#{old}「防衛費の行方」(2022-08-04)と #{copy}「防衛費の行方」(2025-08-04): 題名が同じで、記事の月日も同じ(年だけ違う)" in out
    assert f"#{shared[0]}「甲」(2025-01-01)と #{shared[1]}「乙」(2025-03-01): 取り込んだファイルの名前が同じ" in out
    Post = MigrationExecutor(connection).loader.project_state(AFTER).apps.get_model("posts", "Post")
    names = dict(Post.objects.values_list("pk", "file_name"))
    assert names == {old: "2022-08-05.txt", copy: "", shared[0]: "", shared[1]: ""}
