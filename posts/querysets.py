"""Many posts' logic: search, filters, counts and facets, as QuerySet methods."""

from __future__ import annotations

from collections import Counter
from contextlib import contextmanager

from django.db import DatabaseError, connection, models, transaction
from django.db.backends.signals import connection_created
from django.db.models import FloatField, Q, Sum, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import StrIndex

from posts.lookups import Lexemes
from posts.query import ParsedQuery, Term

TITLE_WEIGHT = 4  # a match in the title ranks above a match in the text


@contextmanager
def search_plans():
    """Make PostgreSQL search through the GIN index (a bitmap scan), whatever it estimates.

    For frequent or prefix terms the planner may otherwise pick a table scan, or a
    scan of another index, that makes the lexemes of every passage it reads (~0.3 ms
    a passage, measured; at that rate over a minute for the 243,000 passages of
    10,000 posts), against tens of milliseconds through the GIN index.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        # No parallel workers and no JIT: starting either costs more than these scans (5 to 60 ms).
        # One round trip for the four settings.
        cursor.execute(
            "SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off;"
            " SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL jit = off"
        )
        yield


# How much of new passages' lexemes the GIN index may hold in its pending list, and merge at once, while
# a command writes many posts (see `bulk_indexing`).
BULK_INDEX_MEMORY = "64MB"


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


def flush_index() -> int:
    """Merge the GIN index's pending list into it now (after `bulk_indexing`); the number of pages merged."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT gin_clean_pending_list('passage_lexemes')")
        return cursor.fetchone()[0]


class PassageQuerySet(models.QuerySet):
    def matching(self, term: Term, parts: list[str] | None = None) -> PassageQuerySet:
        """Passages with every lexeme of `term`, through the GIN index: exactly the passages that hold it
        when it has one lexeme; for a phrase, the candidates `holding` checks."""
        found = self.alias(lexemes=Lexemes("runs")).filter(lexemes__matches=term.match.tsquery)
        return found.filter(part__in=parts) if parts else found

    def holding(self, term: Term) -> PassageQuerySet:
        """These passages, if their runs hold a phrase's in order (strpos: a third faster than LIKE on multibyte text).

        Read them by id (the candidates `matching` found), never by the lexemes: this reads every passage it is given.
        """
        return self.alias(at=StrIndex("runs", Value(term.match.runs))).filter(at__gt=0)

    def relevance(self, post_ids: list[int], query: ParsedQuery, parts: list[str] | None = None) -> dict[int, float]:
        """How strongly each of these posts matches: how often its passages hold each term, title matches weighing most."""
        scores: dict[int, float] = {}
        if not post_ids:
            return scores
        for term in (term for clause in query.positive for term in clause.terms):
            occurrences = RawSQL(
                "(char_length(runs) - char_length(replace(runs, %s, ''))) / %s"
                " * (CASE WHEN part = 'title' THEN %s ELSE 1 END)",
                [term.match.runs, len(term.match.runs), TITLE_WEIGHT],
                output_field=FloatField(),
            )
            rows = self.matching(term, parts).filter(post__any=post_ids).order_by().values("post_id").annotate(score=Sum(occurrences))
            with search_plans():
                rows = list(rows)
            for row in rows:
                scores[row["post_id"]] = scores.get(row["post_id"], 0.0) + row["score"]
        return scores


class PostQuerySet(models.QuerySet):
    def search(self, query: ParsedQuery, parts: list[str] | None = None) -> PostQuerySet:
        """Posts that match every positive clause (within `parts`, if given) and no negated one: all of them.

        A search page needs only the first of them in its order: `posts.matching.Lookup.first`.
        """
        from posts.matching import Lookup

        lookup = Lookup(query, parts)
        found = lookup.narrow(self)
        if lookup.checks:
            found = found.filter(id__any=lookup.check(list(found.values_list("id", flat=True))))
        return found

    def newest(self) -> PostQuerySet:
        return self.order_by("-published_on", "-id")

    def oldest(self) -> PostQuerySet:
        return self.order_by("published_on", "id")

    def quoting(self, source) -> PostQuerySet:
        """Posts that quote `source` or comment on an article it published."""
        from posts.models import Quote

        return self.filter(Q(id__in=Quote.objects.filter(source=source).values("post_id")) | Q(article_outlet=source))

    # Facets: counts that follow the current search and filters ------------------

    def facet_counts(self, limit: int = 20) -> dict[str, list[dict]]:
        """How many of these posts quote each outlet (or comment on its article), have each topic, fall in each year
        and month: see `facet_counts_of`, which a caller holding the posts' ids already (a search) calls itself."""
        return facet_counts_of(list(self.order_by().values_list("id", flat=True)), limit)


def facet_counts_of(ids: list[int], limit: int = 20) -> dict[str, list[dict]]:
    """How many of the posts with these ids quote each outlet (or comment on its article), have each topic, fall in
    each year and month: the top `limit` outlets and topics, every year (newest first) and month (oldest first).

    One query, which reads each of these posts, their quotes' outlets and their topics once by id: for a search's
    1,000 posts ~12 ms, against ~26 ms for a grouping query per facet (measured at 10,000 posts).
    """
    if not ids:
        return {"sources": [], "topics": [], "years": [], "months": []}
    with connection.cursor() as cursor:
        cursor.execute(FACETS_SQL, {"ids": ids})
        rows = cursor.fetchall()
    named: dict[str, list[dict]] = {"source": [], "topic": []}
    months: dict = {}
    for facet, slug, name, month, posts in rows:
        if facet == "month":
            months[month] = posts
        else:
            named[facet].append({"slug": slug, "name": name, "posts": posts})
    years = Counter()
    for month, posts in months.items():
        years[month.year] += posts
    return {
        "sources": _most_counted(named["source"], limit),
        "topics": _most_counted(named["topic"], limit),
        "years": [{"year": year, "posts": posts} for year, posts in sorted(years.items(), reverse=True)],
        "months": [{"month": month, "posts": posts} for month, posts in sorted(months.items())],
    }


# Each facet's counts for the posts with these ids. A post counts once for an outlet however often it quotes
# it, and whether or not it also comments on its article. Each table is read through its post id index, the
# ids sent once (each copy of a long array literal costs planning time). A month is its first day (date_trunc
# would go through a timestamp with a time zone: 4 ms for 1,000 posts).
FACETS_SQL = """
    WITH chosen AS MATERIALIZED (SELECT id, published_on, article_outlet_id FROM posts_post WHERE id = ANY(%(ids)s)),
    outlets AS (
        SELECT q.post_id, q.source_id FROM posts_quote q
        WHERE q.post_id = ANY(ARRAY(SELECT id FROM chosen)) AND q.source_id IS NOT NULL
        UNION
        SELECT id, article_outlet_id FROM chosen WHERE article_outlet_id IS NOT NULL
    )
    SELECT 'source', s.slug, s.name, NULL::date, COUNT(*) FROM outlets JOIN posts_source s ON s.id = outlets.source_id
    GROUP BY s.id
    UNION ALL
    SELECT 'topic', t.slug, t.name, NULL, COUNT(*) FROM posts_post_topics pt JOIN posts_topic t ON t.id = pt.topic_id
    WHERE pt.post_id = ANY(ARRAY(SELECT id FROM chosen))
    GROUP BY t.id
    UNION ALL
    SELECT 'month', NULL, NULL, published_on - (EXTRACT(DAY FROM published_on)::int - 1), COUNT(*) FROM chosen
    GROUP BY 4
"""


def _most_counted(rows: list[dict], limit: int) -> list[dict]:
    """The `limit` outlets or topics counted in most posts, then by name."""
    return sorted(rows, key=lambda row: (-row["posts"], row["name"]))[:limit]
