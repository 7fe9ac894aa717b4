"""A stored post's topics, from the keyword rules of posts/ingest/topics.py: set by the import, `retag` and
the admin's re-parse, never by a signal."""

from __future__ import annotations

from collections.abc import Iterable

from posts.ingest.topics import matching_topics
from posts.models import Post, Quote, Topic


def retag(post: Post, rules: dict[int, list[str]], quotes: Iterable[Quote] | None = None) -> bool:
    """Give the post the topics whose keyword rules it matches; True when they changed.

    Topics an admin corrected stay as they were set.
    """
    if "topics" in post.corrections:
        wanted = set(Topic.objects.filter(id__in=post.corrections["topics"]).values_list("id", flat=True))
    else:
        quotes = list(post.quotes.all() if quotes is None else quotes)
        headlines = "\n".join([post.title, *(f"{q.original_title}\n{q.translated_title}" for q in quotes), post.commentary])
        full_text = "\n".join(text.text for text in post.texts(quotes))
        wanted = set(matching_topics(headlines, full_text, rules))
    if post.pk and wanted == set(post.topics.values_list("id", flat=True)):
        return False
    post.topics.set(wanted)
    return True
