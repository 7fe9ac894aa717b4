"""A stored post and what importing a text into it would store, as the two sides of posts/ingest/changes.py.

What the import would store is the text as parsed with the admin's corrections applied, as the write
path (posts/ingest/importing.py) applies them: a corrected part shows no change unless the correction
no longer finds its quote.
"""

from __future__ import annotations

from posts.ingest.changes import PostParts, QuoteParts, post_changes
from posts.ingest.dates import iso
from posts.ingest.parsed import ParsedPost
from posts.models import Post, Source


def changes(post: Post, parsed: ParsedPost) -> dict:
    """What storing `parsed` into `post` would change (posts.ingest.changes.post_changes)."""
    return post_changes(stored_parts(post), planned_parts(post, parsed))


def stored_parts(post: Post) -> PostParts:
    quotes = post.quotes.select_related("source").prefetch_related("links")
    return PostParts(
        title=post.title,
        published_on=iso(post.published_on) or "",
        article_date=iso(post.article_date) or "",
        article_outlet=post.article_outlet.name if post.article_outlet else "",
        article_author=post.article_author,
        commentary=post.commentary,
        article_body=post.article_body,
        quotes=tuple(
            QuoteParts(
                date=iso(quote.date) or "",
                outlet=quote.source.name if quote.source else "",
                original_title=quote.original_title,
                translated_title=quote.translated_title,
                body=quote.body,
                remark=quote.remark,
                links=tuple(link.url for link in quote.links.all()),
            )
            for quote in quotes
        ),
    )


def planned_parts(post: Post, parsed: ParsedPost) -> PostParts:
    corrected = post.corrections
    corrections = post.quote_corrections([q.original_title for q in parsed.quotes])
    sources = Source.objects.in_bulk([c["source"] for c in corrections if c is not None and c.get("source") is not None])
    quotes = []
    for q, correction in zip(parsed.quotes, corrections):
        correction = correction or {}
        outlet = q.outlet
        # As Post.apply_quote_corrections: an outlet deleted since is no correction.
        if "source" in correction and (correction["source"] is None or correction["source"] in sources):
            outlet = sources[correction["source"]].name if correction["source"] is not None else ""
        quotes.append(
            QuoteParts(
                date=iso(q.date) or "",
                outlet=outlet,
                original_title=correction.get("corrected_original_title", q.original_title),
                translated_title=correction.get("corrected_translated_title", q.title),
                body=q.body,
                remark=q.remark,
                links=q.links,
            )
        )
    return PostParts(
        title=corrected.get("title", parsed.title),
        published_on=corrected.get("published_on", iso(parsed.published_on) or ""),
        article_date=iso(parsed.article.date) or "",
        article_outlet=parsed.article.outlet,
        article_author=parsed.article.author,
        commentary=parsed.commentary,
        article_body=parsed.article_body,
        quotes=tuple(quotes),
    )
