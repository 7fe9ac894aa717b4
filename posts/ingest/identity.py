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
from pathlib import PurePath

from django.db.models import Exists, OuterRef

from posts.models import Link, Post, Revision

# What the admin's importer (posts/ingest/uploads.py) calls pasted text and a file sent without a name: no file name.
PASTED_NAME = "貼り付けたテキスト"
NO_FILE_NAMES = (PASTED_NAME, "(名前なし)", "")

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
    date = post.article_date.isoformat() if post.article_date else "日付なし"
    return f"#{post.pk}「{post.title}」({date})"


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
