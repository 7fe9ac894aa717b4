"""The relevance order: how strongly each post matches a query."""

from __future__ import annotations

from django.db.models import FloatField, Sum
from django.db.models.expressions import RawSQL

from posts.search.matching import matching, search_plans
from posts.search.query import ParsedQuery
from posts.search.scope import Scope

TITLE_WEIGHT = 4  # a match in the title ranks above a match in the text


def relevance(post_ids: list[int], query: ParsedQuery, scope: Scope = Scope()) -> dict[int, float]:
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
        rows = matching(term, scope).filter(post__any=post_ids).order_by().values("post_id").annotate(score=Sum(occurrences))
        with search_plans():
            rows = list(rows)
        for row in rows:
            scores[row["post_id"]] = scores.get(row["post_id"], 0.0) + row["score"]
    return scores
