"""Which stored post a text is, so that an edited text updates its post and never makes a second copy.

A text is looked for, in this order:

1. by its text: the post whose current text, or one of whose earlier texts (`Revision`), it is;
2. by its file name: the post first imported from a file of that name (`Post.file_name`, which the
   admin sees and may change), if the post still has the text's title or its article date;
3. by its title and article date (`Post.title_key`, `Post.article_date`);
4. by its title and the article's month and day in another year, with a link in common: the same
   post whose year was read from other URLs (a quote with a 2025 URL added to a post of 2022).

Every rule that finds a post must find the same one. When two find different posts, or the file's
name belongs to a post with neither its title nor its date, the text is refused with a reason that
names them: a refusal can be fixed, a silent duplicate or a silent overwrite is only found later.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import combinations
from pathlib import PurePath

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Count, Exists, OuterRef

from posts.ingest.uploads import PASTED_NAME, UNNAMED
from posts.models import Link, Post, Revision

# What the admin's importer calls pasted text and a file sent without a name: no file name.
NO_FILE_NAMES = (PASTED_NAME, UNNAMED, "")

BY_TEXT, BY_NAME, BY_DATE, BY_YEAR = "text", "name", "date", "year"
RULE_WORDS = {
    BY_TEXT: "テキストが同じ",
    BY_NAME: "ファイル名が同じ",
    BY_DATE: "題名と記事の日付が同じ",
    BY_YEAR: "題名と記事の月日が同じで年だけ違い、リンクが共通",
}


def file_name(name: str) -> str:
    """The name that identifies a post's file: its base name, whatever folder it was in; "" for pasted text."""
    base = PurePath(name.replace("\\", "/")).name[:255]
    return "" if base in NO_FILE_NAMES else base


@dataclass(frozen=True)
class Identity:
    """The stored post a text is (None: a new post), or why it cannot be told."""

    post: Post | None
    refusal: str = ""


@dataclass(frozen=True)
class Clues:
    """What a text says about which post it is."""

    key: str  # importing.identity_key
    article_date: dt.date | None
    digest: str
    name: str = ""  # file_name(...) of the file, "" for pasted text
    link_keys: tuple[str, ...] = ()


def identify(clues: Clues) -> Identity:
    """The post these clues point at, from every rule at once; a refusal when they disagree."""
    found = _found(clues)
    by_name = next((post for rule, post in found if rule == BY_NAME), None)
    if by_name is not None and not _still_named(by_name, clues, found):
        return Identity(None, _name_refusal(clues.name, by_name))
    posts: dict[int, tuple[Post, list[str]]] = {}
    for rule, post in found:
        posts.setdefault(post.pk, (post, []))[1].append(rule)
    if len(posts) > 1:
        return Identity(None, _conflict_refusal(list(posts.values())[:2]))
    return Identity(next((post for post, _ in posts.values()), None))


def _found(clues: Clues) -> list[tuple[str, Post]]:
    """(rule, post) for each post a rule finds, in the rules' order."""
    found = [(BY_TEXT, post) for post in Post.objects.filter(content_hash=clues.digest)]
    earlier = Revision.objects.filter(content_hash=clues.digest).values("post_id")
    found += [(BY_TEXT, post) for post in Post.objects.filter(pk__in=earlier)]
    if clues.name:
        found += [(BY_NAME, post) for post in Post.objects.filter(file_name=clues.name)]
    found += [(BY_DATE, post) for post in Post.objects.filter(title_key=clues.key, article_date=clues.article_date)]
    if clues.article_date is not None and clues.link_keys:
        date = clues.article_date
        shares_a_link = Exists(Link.objects.filter(post=OuterRef("pk"), url_key__in=clues.link_keys))
        other_years = Post.objects.filter(
            shares_a_link, title_key=clues.key, article_date__month=date.month, article_date__day=date.day
        ).exclude(article_date=date)
        found += [(BY_YEAR, post) for post in other_years]
    return found


def _still_named(post: Post, clues: Clues, found: list[tuple[str, Post]]) -> bool:
    """Whether the post of the file's name is still this text's: its title or date, or another rule finds it.

    A name alone is not enough: `post.txt` or `08-24.txt` of another year may name another post.
    """
    if post.title_key == clues.key or post.article_date == clues.article_date:
        return True
    return any(rule != BY_NAME and other.pk == post.pk for rule, other in found)


def describe(post: Post) -> str:
    """A post as a reason names it: its number, title and article date."""
    return f"#{post.pk}「{post.title}」({_iso(post.article_date)})"


def _conflict_refusal(candidates: list[tuple[Post, list[str]]]) -> str:
    first, second = (f"{describe(post)}は{'・'.join(RULE_WORDS[rule] for rule in rules)}" for post, rules in candidates)
    return (
        f"どちらの投稿か決められないため取り込みません: {first}、{second}。"
        "同じ投稿なら片方を削除するか、管理画面で識別用のファイル名を直してから取り込み直してください。"
    )


def _name_refusal(name: str, post: Post) -> str:
    return (
        f"ファイル名「{name}」は投稿 {describe(post)} のものですが、題名も記事の日付も違うため取り込みません。"
        "別の投稿ならファイル名を変え、同じ投稿ならその投稿の管理画面で識別用のファイル名を空にしてから取り込み直してください。"
    )


# Posts stored twice before identities survived edits: found and reported, never merged ----------------


@dataclass(frozen=True)
class Suspect:
    """Two posts that look like one post stored twice, and why."""

    first: tuple[int, str, dt.date | None]  # (id, title, article date)
    second: tuple[int, str, dt.date | None]
    reasons: tuple[str, ...]

    def __str__(self) -> str:
        (a, a_title, a_date), (b, b_title, b_date) = self.first, self.second
        return f"#{a}「{a_title}」({_iso(a_date)})と #{b}「{b_title}」({_iso(b_date)}): {'、'.join(self.reasons)}"


def possible_duplicates(post_model=Post, revision_model=Revision) -> list[Suspect]:
    """Pairs of posts that look like one post stored twice, for a person to decide on.

    The model classes are arguments so that a migration can pass its historical ones. Looked for:
    the same title with the article's month and day in another year (the year read from other
    URLs) or with article dates less than a year apart; the same source file name; a text that
    two posts hold (as their current or an earlier text).
    """
    posts = post_model.objects
    reasons: dict[tuple[int, int], list[str]] = {}

    def suspect(ids, reason: str) -> None:
        for pair in combinations(sorted(set(ids)), 2):
            reasons.setdefault(pair, []).append(reason)

    titled = _shared(posts.exclude(article_date=None), "title_key")
    dates = dict(posts.filter(pk__in=[pk for ids in titled for pk in ids]).values_list("pk", "article_date"))
    for ids in titled:
        for a, b in combinations(sorted(ids), 2):
            first, second = dates[a], dates[b]
            if (first.month, first.day) == (second.month, second.day) and first != second:
                suspect((a, b), "題名が同じで、記事の月日も同じ(年だけ違う)")
            elif first != second and abs(first - second) < dt.timedelta(days=366):
                suspect((a, b), "題名が同じで、記事の日付が1年以内")
    for ids in _shared(posts.exclude(source_file__in=NO_FILE_NAMES), "source_file"):
        suspect(ids, "取り込んだファイルの名前が同じ")
    holders: dict[str, set[int]] = {}
    for digest, pk in revision_model.objects.values_list("content_hash", "post_id"):
        holders.setdefault(digest, set()).add(pk)
    for digest, pk in posts.filter(content_hash__in=list(holders)).values_list("content_hash", "pk"):
        holders[digest].add(pk)
    for ids in [*_shared(posts, "content_hash"), *holders.values()]:
        suspect(ids, "同じテキストを持っている(現在または以前のテキスト)")
    rows = {pk: (pk, title, date) for pk, title, date in posts.filter(
        pk__in={pk for pair in reasons for pk in pair}).values_list("pk", "title", "article_date")}
    return [Suspect(rows[a], rows[b], tuple(dict.fromkeys(why))) for (a, b), why in sorted(reasons.items())]


def _shared(queryset, field: str) -> list[list[int]]:
    """The ids of the rows that share a value of `field`, for each value two or more rows share."""
    grouped = queryset.values(field).annotate(ids=ArrayAgg("pk"), n=Count("pk")).filter(n__gt=1)
    return [row["ids"] for row in grouped]


def _iso(date: dt.date | None) -> str:
    return date.isoformat() if date else "日付なし"
