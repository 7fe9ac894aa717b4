"""A stored post's topics, from the keyword rules of posts/ingest/topics.py: set by the import, `retag` and
the admin's re-parse, never by a signal. The admin's reasons come from the same rules, read afresh."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from posts.ingest.topics import DENSITY, MIN_MENTIONS, Finding, PostText, findings
from posts.models import Post, Quote, Topic

TOO_FEW = f"本文だけでは、1,000字あたり{DENSITY:g}回以上かつ{MIN_MENTIONS}回以上で付きます"


@dataclass(frozen=True)
class TopicChange:
    """How retagging changed a post's topics (ids)."""

    post: Post
    added: frozenset[int]
    removed: frozenset[int]


def post_text(post: Post, quotes: Iterable[Quote]) -> PostText:
    """The texts of a stored post, by where they are, as the rules read them."""
    quotes = list(quotes)
    return PostText(
        title=post.title,
        quote_titles=tuple(title for q in quotes for title in (q.original_title, q.translated_title) if title),
        commentary=post.commentary,
        remarks=tuple(q.remark for q in quotes if q.remark),
        bodies=(*(q.body for q in quotes), post.article_body),
    )


def topic_findings(post: Post, rules: dict[int, list[str]], quotes: Iterable[Quote] | None = None) -> dict[int, Finding]:
    """What the rules find of each topic in the post (see `posts.ingest.topics.findings`)."""
    return findings(post_text(post, post.quotes.all() if quotes is None else quotes), rules)


def retag(post: Post, rules: dict[int, list[str]], quotes: Iterable[Quote] | None = None, *,
          dry_run: bool = False) -> TopicChange | None:
    """Give the post the topics whose keyword rules it matches; how they changed, or None.

    Topics an admin corrected stay as they were set. `dry_run` says what would change, writing nothing.
    """
    if "topics" in post.corrections:
        wanted = set(Topic.objects.filter(id__in=post.corrections["topics"]).values_list("id", flat=True))
    else:
        wanted = {topic_id for topic_id, found in topic_findings(post, rules, quotes).items() if found.applies}
    had = set(post.topics.values_list("id", flat=True)) if post.pk else set()
    if wanted == had:
        return None
    if not dry_run:
        post.topics.set(wanted)
    return TopicChange(post, frozenset(wanted - had), frozenset(had - wanted))


@dataclass
class RetagSummary:
    """What `retag` did to many posts: how many it read and changed, and each topic's posts added and removed."""

    posts: int = 0
    changed: int = 0
    added: Counter = field(default_factory=Counter)
    removed: Counter = field(default_factory=Counter)

    def count(self, change: TopicChange | None) -> None:
        self.posts += 1
        if change is not None:
            self.changed += 1
            self.added.update(change.added)
            self.removed.update(change.removed)

    def topics(self) -> list[int]:
        """The topics that any post gained or lost."""
        return sorted(set(self.added) | set(self.removed))


def topic_reasons(post: Post) -> list[str]:
    """Why the post has each of its topics, then the topics the rules would give it or found too little of: the
    admin's account of the post's topics, from the rules as they are now (nothing stored that could drift)."""
    rules = Topic.objects.rules()
    names = dict(Topic.objects.values_list("id", "name"))
    found = topic_findings(post, rules)
    has = set(post.topics.values_list("id", flat=True))
    corrected = "topics" in post.corrections
    lines = ["トピックは管理者が設定したものです(取り込み直しても変わりません)。"] if corrected else []
    for topic_id in sorted(has, key=names.get):
        finding = found.get(topic_id)
        if finding is not None and finding.applies:
            lines.append(f"{names[topic_id]}: {'、'.join(map(str, finding.reasons))}")
        elif corrected:
            lines.append(f"{names[topic_id]}: 管理者が付けました(規則では付きません)")
        else:
            lines.append(f"{names[topic_id]}: 今の規則では付きません(規則が変わったあと retag していません)")
    for topic_id, finding in sorted(found.items(), key=lambda item: names[item[0]]):
        if topic_id in has:
            continue
        if finding.applies:
            why = "管理者が外しました" if corrected else "規則が変わったあと retag していません"
            lines.append(f"{names[topic_id]}(付いていません。{why}): 規則では {'、'.join(map(str, finding.reasons))}")
        else:
            lines.append(f"{names[topic_id]}(付いていません): {finding.body}。{TOO_FEW}")
    return lines
