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
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        # No parallel workers and no JIT: starting either costs more than these scans (5 to 60 ms).
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        cursor.execute("SET LOCAL jit = off")
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
        and month: the top `limit` outlets and topics, every year (newest first) and month (oldest first).

        Three reads by id (the posts, their quotes' outlets, their topics), counted here: for a search's 1,000
        posts ~13 ms, against ~26 ms for a grouping query per facet (measured at 10,000 posts).
        """
        from posts.models import Quote, Source, Topic

        rows = list(self.order_by().values_list("id", "published_on", "article_outlet_id"))
        ids = [pk for pk, _, _ in rows]
        pairs = {(pk, outlet) for pk, _, outlet in rows if outlet is not None}
        if ids:
            pairs.update(Quote.objects.filter(post__any=ids, source__isnull=False).order_by().values_list("post_id", "source_id"))
        topics = self.model.topics.through.objects.filter(post__any=ids).values_list("topic_id", flat=True) if ids else []
        years = Counter(published.year for _, published, _ in rows)
        months = Counter(published.replace(day=1) for _, published, _ in rows)
        return {
            "sources": _most_counted(Source, Counter(source for _, source in pairs), limit),
            "topics": _most_counted(Topic, Counter(topics), limit),
            "years": [{"year": year, "posts": posts} for year, posts in sorted(years.items(), reverse=True)],
            "months": [{"month": month, "posts": posts} for month, posts in sorted(months.items())],
        }


def _most_counted(model, counts: Counter, limit: int) -> list[dict]:
    """The `limit` rows of `model` (a Source or a Topic) with the highest counts, then by name."""
    named = model.objects.filter(id__in=list(counts)).values_list("id", "slug", "name")
    ranked = sorted(({"slug": slug, "name": name, "posts": counts[pk]} for pk, slug, name in named), key=lambda row: (-row["posts"], row["name"]))
    return ranked[:limit]
