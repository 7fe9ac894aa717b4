"""The data version: every committed change of the public data raises it, whichever path wrote it."""

import psycopg
import pytest
from django.db import connection

from posts.admin.actions import merge_into
from posts.ingest.importing import import_file, import_text, reparse
from posts.ingest.tagging import retag
from posts.models import Post, Quote, Source, Topic
from posts.models.versions import data_version
from tests.conftest import SEED, database_url, small_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed():
    return import_file(SEED).post


def _merge(post):
    a, b = Source.objects.create(name="甲新聞", slug="kou"), Source.objects.create(name="乙新聞", slug="otsu")
    before = data_version()
    merge_into(a, [b])
    return before


WRITES = {
    "an import": lambda post: import_text(small_post("新しい投稿"), name="new.txt"),
    "a re-parse": lambda post: reparse(post),
    "a retag": lambda post: post.topics.clear() or retag(post, Topic.objects.rules()),
    "an edit of a post": lambda post: (setattr(post, "title", "直した題名"), post.save()),
    "a deleted quote": lambda post: Quote.objects.filter(post=post).first().delete(),
    "an edit of a source": lambda post: Source.objects.filter(name="JBプレス").update(region="日本"),
    "a new topic": lambda post: Topic.objects.create(name="新しいトピック", slug="new-topic", keywords=["新"]),
    "a topic taken off a post": lambda post: post.topics.remove(post.topics.first()),
    "raw SQL": lambda post: connection.cursor().execute("UPDATE posts_post SET commentary = 'x'"),
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_every_kind_of_write_raises_the_version(seed, write):
    before = data_version()
    write(seed)
    assert data_version().tag != before.tag


def test_a_merge_of_sources_raises_the_version(seed):
    before = _merge(seed)
    assert data_version().tag != before.tag


def test_a_transaction_raises_the_committed_number_once_and_sees_each_of_its_writes():
    before = data_version()
    tags = set()
    for n in range(3):
        Source.objects.create(name=f"新聞{n}", slug=f"paper-{n}")
        tags.add(data_version().tag)
    after = data_version()
    assert after.number == before.number + 1 and len(tags) == 3
    assert after.changed_at > before.changed_at


def test_reading_leaves_it_alone(seed, client):
    before = data_version()
    client.get("/", {"q": "停戦"})
    list(Post.objects.all())
    assert data_version() == before


@pytest.mark.django_db(transaction=True)
def test_others_see_the_new_version_only_when_the_change_is_committed():
    def seen() -> int:
        with psycopg.connect(database_url(), autocommit=True) as other:
            return other.execute("SELECT sum(version) FROM posts_data_version").fetchone()[0]

    before = seen()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN")
        Source.objects.create(name="未確定の新聞", slug="mikakutei")
        assert seen() == before  # a page rendered now reads the old rows: it must be cached under the old number
        cursor.execute("COMMIT")
    assert seen() > before
