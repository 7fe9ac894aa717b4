"""Facets: how many of a search's posts quote each outlet, have each topic, fall in each year and month."""

from __future__ import annotations

from collections import Counter

from django.db import connection


def facet_counts(ids: list[int], limit: int | None = 20) -> dict[str, list[dict]]:
    """How many of the posts with these ids quote each outlet (or comment on its article), have each topic, fall in
    each year and month: the top `limit` outlets and topics, every year (newest first) and month (oldest first).

    One query, which reads each of these posts, their quotes' outlets and their topics once by id: for a search's
    1,000 posts ~12 ms, against ~26 ms for a grouping query per facet (measured at 10,000 posts).
    """
    named, months = _counted(FACETS_SQL, ids, "posts")
    return {
        "sources": _most_counted(named["source"], limit),
        "topics": _most_counted(named["topic"], limit),
        **_by_date(months, "posts"),
    }


def quote_facet_counts(ids: list[int], limit: int | None = 20) -> dict[str, list[dict]]:
    """How many of the quotes with these ids are from each outlet (the top `limit`), in each language, year and month
    (by the quote's own date; quotes without one count in no year)."""
    named, months = _counted(QUOTE_FACETS_SQL, ids, "quotes")
    return {"sources": _most_counted(named["source"], limit, "quotes"), "langs": named["lang"], **_by_date(months, "quotes")}


def _counted(sql: str, ids: list[int], counted: str) -> tuple[dict[str, list[dict]], dict]:
    """The rows of a facets query: (facet, slug, name, month, count), as named counts and counts by month."""
    named: dict[str, list[dict]] = {"source": [], "topic": [], "lang": []}
    months: dict = {}
    if not ids:
        return named, months
    with connection.cursor() as cursor:
        cursor.execute(sql, {"ids": ids})
        rows = cursor.fetchall()
    for facet, slug, name, month, count in rows:
        if facet == "month":
            months[month] = count
        else:
            named[facet].append({"slug": slug, "name": name, counted: count})
    return named, months


def _by_date(months: dict, counted: str) -> dict[str, list[dict]]:
    """Every year (newest first) and month (oldest first) with its count."""
    years = Counter()
    for month, count in months.items():
        years[month.year] += count
    return {
        "years": [{"year": year, counted: count} for year, count in sorted(years.items(), reverse=True)],
        "months": [{"month": month, counted: count} for month, count in sorted(months.items())],
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


# The same for quotes: each quote counts once, for its outlet, its language and its own month.
QUOTE_FACETS_SQL = """
    WITH chosen AS MATERIALIZED (SELECT id, date, source_id, lang FROM posts_quote WHERE id = ANY(%(ids)s))
    SELECT 'source', s.slug, s.name, NULL::date, COUNT(*) FROM chosen JOIN posts_source s ON s.id = chosen.source_id
    GROUP BY s.id
    UNION ALL
    SELECT 'lang', lang, NULL, NULL, COUNT(*) FROM chosen GROUP BY lang
    UNION ALL
    SELECT 'month', NULL, NULL, date - (EXTRACT(DAY FROM date)::int - 1), COUNT(*) FROM chosen WHERE date IS NOT NULL
    GROUP BY 4
"""


def _most_counted(rows: list[dict], limit: int | None, counted: str = "posts") -> list[dict]:
    """The `limit` outlets or topics counted most (all of them for None), then by name."""
    return sorted(rows, key=lambda row: (-row[counted], row["name"]))[:limit]
