"""What the search reads: a post's passages, written by the import (and `reindex`), and the GIN index over them.

A passage is a few thousand characters of one text of a post (posts/search/passages.py) kept as runs
(posts/search/tokens.py). The index is on the lexemes PostgreSQL makes from the runs (`Lexemes`, see
posts/models/lookups.py), so no vector is stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager

from django.db import DatabaseError, connection, transaction
from django.db.backends.signals import connection_created

from posts.models import PartText, Passage, Post, Quote, timeouts
from posts.search import passages, tokens

# How much of new passages' lexemes the GIN index may hold in its pending list, and merge at once, while
# a command writes many posts (see `bulk_indexing`).
BULK_INDEX_MEMORY = "64MB"


def passages_of(post: Post, texts: Iterable[PartText]) -> list[Passage]:
    """The passages of these texts of `post`, unsaved."""
    found = []
    for text in texts:
        for start, chunk in passages.passages(text.text):
            runs = tokens.document_runs(chunk)
            if runs:
                found.append(Passage(post=post, quote=text.quote, part=text.part, field=text.field, start=start, runs=runs))
    return found


def reindex(post: Post, quotes: Iterable[Quote] | None = None) -> None:
    """(Re)build the post's search passages from its parts (on import; after the tokenizer changed)."""
    post.passages.all().delete()
    Passage.objects.bulk_create(passages_of(post, post.texts(quotes)))


@contextmanager
def bulk_indexing():
    """Let the GIN index take new passages in big merges, while a command writes many posts.

    PostgreSQL first appends new passages' lexemes to the index's pending list; the
    insert that takes the list past `gin_pending_list_limit` (4 MB by default) merges
    it into the index, `work_mem` (4 MB) at a time. Fewer, bigger merges cost less
    per post: importing 300 posts into a 10,000-post archive took 33–36 s with the
    defaults and 22 s with 64 MB, the final flush included (measured).

    Searches read the whole pending list, so such a command ends with `flush_index()`.
    Sets the open connection and those opened inside the block (for the rest of their
    session: a command's connections); the admin's small imports keep the defaults.
    """
    connection_created.connect(_bulk_settings, dispatch_uid="bulk_indexing")
    try:
        if connection.connection is not None:
            try:
                _bulk_settings(None, connection)
            except DatabaseError:
                connection.close()  # it broke: the next query opens a new one, which the signal sets
        yield
    finally:
        connection_created.disconnect(dispatch_uid="bulk_indexing")


def _bulk_settings(sender, connection, **kwargs) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"SET gin_pending_list_limit = '{BULK_INDEX_MEMORY}'")
        cursor.execute(f"SET work_mem = '{BULK_INDEX_MEMORY}'")
    timeouts.lift(connection)  # a command's merges may run longer than a web request may


def flush_index() -> int:
    """Merge the GIN index's pending list into it now (after `bulk_indexing`); the number of pages merged."""
    with transaction.atomic(), connection.cursor() as cursor:
        timeouts.lift(connection, local=True)  # merging a big pending list takes longer than a web request may
        cursor.execute("SELECT gin_clean_pending_list('passage_lexemes')")
        return cursor.fetchone()[0]
