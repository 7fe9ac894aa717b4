"""Migration 0019 on warnings stored as English sentences: they become codes with values, which the pages show in
Japanese; a sentence of no known wording is kept whole; migrating back gives the sentences again."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from posts.ingest.warning_text import warning_text

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

BEFORE = [("posts", "0018_japanese_field_names")]
AFTER = [("posts", "0019_warning_codes")]
SENTENCES = [
    "line 1: unknown outlet in the title line: took “Foo Bar” as the outlet, “山田” as the author",
    "no year in the post: dates are taken as the latest before the import date (2025-08-10)",
    "line 3: the last quote has no URL line: its end is unclear, following text kept in its body",
    "line 2: title line not in the form 『title』(M/D outlet author)について; kept whole as the title",  # an older wording
    "line 4: a 記事 line is followed by quote headers: read as text",  # a warning the parser no longer gives
]
CODED = [
    {"code": "unknown_title_outlet", "line": 1, "outlet": "Foo Bar", "author": "山田"},
    {"code": "no_year", "line": None, "today": "2025-08-10"},
    {"code": "last_quote_without_url", "line": 3},
    {"code": "title_form", "line": 2},
    {"code": "text", "line": 4, "text": "a 記事 line is followed by quote headers: read as text"},
]


@pytest.fixture
def executor():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    yield executor
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def models(at):
    apps = MigrationExecutor(connection).loader.project_state(at).apps
    return apps.get_model("posts", "Post"), apps.get_model("posts", "ImportBatch"), apps.get_model("posts", "ImportFile")


def test_the_migration_gives_stored_sentences_their_codes_and_back(executor):
    Post, ImportBatch, ImportFile = models(BEFORE)
    day = dt.date(2025, 8, 4)
    post = Post.objects.create(title="題", title_key="題", published_on=day, raw_text="x", content_hash="0" * 64,
                               warnings=SENTENCES)
    clean = Post.objects.create(title="乙", title_key="乙", published_on=day, raw_text="y", content_hash="1" * 64)
    file = ImportFile.objects.create(batch=ImportBatch.objects.create(), position=1, name="a.txt", size=1,
                                     planned="created", warnings=SENTENCES[:2])

    MigrationExecutor(connection).migrate(AFTER)
    Post, _, ImportFile = models(AFTER)
    assert Post.objects.get(pk=post.pk).warnings == CODED
    assert Post.objects.get(pk=clean.pk).warnings == []
    assert ImportFile.objects.get(pk=file.pk).warnings == CODED[:2]
    assert [warning_text(w) for w in CODED] == [
        "1行目: 題名の行の掲載元が分かりません: 「Foo Bar」を掲載元、「山田」を筆者としました",
        "投稿に年がありません: 日付は、取り込んだ日(2025-08-10)以前で最も近いものとしました",
        "3行目: 最後の引用にURLの行がありません: 終わりが分からないため、続く文も引用の本文に含めました",
        "2行目: 題名の行が『題名』(月/日 掲載元 筆者)についての形ではありません: 行全体を題名としました",
        "4行目: (以前の形式の注意) a 記事 line is followed by quote headers: read as text",
    ]

    MigrationExecutor(connection).migrate(BEFORE)
    Post, _, ImportFile = models(BEFORE)
    current = SENTENCES[:3] + [SENTENCES[3].replace("; kept", ": kept"), SENTENCES[4]]  # in the current wording
    assert Post.objects.get(pk=post.pk).warnings == current
    assert ImportFile.objects.get(pk=file.pk).warnings == SENTENCES[:2]
