"""Facets: how many of a search's posts quote each outlet, have each topic, fall in each year and month."""

from __future__ import annotations

from collections import Counter

from django.db import connection


def facet_counts(ids: list[int], limit: int = 20) -> dict[str, list[dict]]:
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
