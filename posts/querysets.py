"""Many posts' logic: search, filters, counts and facets, as QuerySet methods."""

from __future__ import annotations

from django.db import connection, models
from django.db.models import Count, F, FloatField, Q, Sum
from django.db.models.expressions import RawSQL
from django.db.models.functions import ExtractYear, TruncMonth

from posts.query import ParsedQuery

TITLE_WEIGHT = 4  # a match in the title ranks above a match in the text


class PassageQuerySet(models.QuerySet):
    def matching(self, tsquery: str, parts: list[str] | None = None) -> PassageQuerySet:
        found = self.filter(vector__matches=tsquery)
        return found.filter(part__in=parts) if parts else found

    def relevance(self, post_ids: list[int], query: ParsedQuery, parts: list[str] | None = None) -> dict[int, float]:
        """How strongly each of these posts matches: its passages' ts_rank, title matches weighing most."""
        tsquery = " | ".join(f"({clause.tsquery()})" for clause in query.positive)
        if not tsquery or not post_ids:
            return {}
        rank = RawSQL(
            "ts_rank(vector, CAST(%s AS tsquery)) * (CASE WHEN part = 'title' THEN %s ELSE 1 END)",
            [tsquery, TITLE_WEIGHT],
            output_field=FloatField(),
        )
        scores = (
            self.matching(tsquery, parts)
            .filter(post__id__any=post_ids)
            .order_by()
            .values("post_id")
            .annotate(score=Sum(rank))
        )
        return {row["post_id"]: row["score"] for row in scores}


class PostQuerySet(models.QuerySet):
    def search(self, query: ParsedQuery, parts: list[str] | None = None) -> PostQuerySet:
        """Posts that match every positive clause (within `parts`, if given) and no negated one."""
        from posts.models import Passage

        found = self
        for clause in query.positive:
            found = found.filter(id__in=Passage.objects.matching(clause.tsquery(), parts).values("post_id"))
        for clause in query.negative:
            found = found.exclude(id__in=Passage.objects.matching(clause.tsquery()).values("post_id"))
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

    def year_counts(self) -> list[dict]:
        return list(
            self.order_by()
            .annotate(year=ExtractYear("published_on"))
            .values("year")
            .annotate(posts=Count("id"))
            .order_by("-year")
        )

    def month_counts(self) -> list[dict]:
        return list(
            self.order_by()
            .annotate(month=TruncMonth("published_on"))
            .values("month")
            .annotate(posts=Count("id"))
            .order_by("month")
        )

    def topic_counts(self, limit: int = 20) -> list[dict]:
        through = self.model.topics.through
        return list(
            through.objects.filter(post_id__in=self.order_by().values("id"))
            .values(slug=F("topic__slug"), name=F("topic__name"))
            .annotate(posts=Count("post_id"))
            .order_by("-posts", "name")[:limit]
        )

    def source_counts(self, limit: int = 20) -> list[dict]:
        """Outlets by how many of these posts quote them or comment on their articles."""
        ids_sql, ids_params = self.order_by().values("id").query.sql_with_params()
        sql = f"""
            SELECT s.slug, s.name, COUNT(*) AS posts
            FROM (
                SELECT q.post_id, q.source_id FROM posts_quote q
                WHERE q.post_id IN ({ids_sql}) AND q.source_id IS NOT NULL
                UNION
                SELECT p.id, p.article_outlet_id FROM posts_post p
                WHERE p.id IN ({ids_sql}) AND p.article_outlet_id IS NOT NULL
            ) AS pairs
            JOIN posts_source s ON s.id = pairs.source_id
            GROUP BY s.id, s.slug, s.name
            ORDER BY posts DESC, s.name
            LIMIT %s
        """
        with connection.cursor() as cursor:
            cursor.execute(sql, [*ids_params, *ids_params, limit])
            return [{"slug": slug, "name": name, "posts": posts} for slug, name, posts in cursor.fetchall()]
