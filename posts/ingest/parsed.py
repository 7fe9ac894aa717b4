"""The parsed form of a post: what `parse_post` returns. Pure Python.

`ParsedPost.to_dict()` is the parsed form of post-format.md, as printed by
`import_posts --dry-run --format json`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from posts.ingest.dates import iso


def gettext_noop(message: str) -> str:
    """Marks a message for the translation catalogue: `makemessages` finds it by this name, and this module
    imports no Django. The display layer (posts/ingest/warning_text.py) translates it."""
    return message


# What each warning code means, in English (the catalogue's msgid, and what `str()` and logs show). People read
# these in Japanese: locale/ja/LC_MESSAGES/django.po. Codes are stable (stored with each post, and in the JSON);
# a message may be reworded, a code never changes its meaning.
MESSAGES = {
    "empty": gettext_noop("the post is empty"),
    "no_title_line": gettext_noop("no title line: the post starts with a quote"),
    "title_form": gettext_noop("title line not in the form 『title』(M/D outlet author)について: kept whole as the title"),
    "title_brackets": gettext_noop("the title's 『』 do not pair up: kept as written"),
    "no_title": gettext_noop("the title line has no title"),
    "no_title_date": gettext_noop("no date in the title line's parentheses: (%(written)s)"),
    "no_title_outlet": gettext_noop("no outlet in the title line"),
    "title_outlet_too_long": gettext_noop(
        "the title line's parentheses are too long to hold an outlet: read as the author"
    ),
    "unknown_title_outlet": gettext_noop(
        "unknown outlet in the title line: took “%(outlet)s” as the outlet, “%(author)s” as the author"
    ),
    "unknown_title_outlet_no_author": gettext_noop(
        "unknown outlet in the title line: “%(outlet)s” (an author could not be told apart)"
    ),
    "header_no_outlet": gettext_noop("quote header without an outlet"),
    "header_unclosed": gettext_noop("no closing > in the quote header: the whole line is the title"),
    "header_unbalanced": gettext_noop("unbalanced < > in the quote header: the title ends at the last >"),
    "several_equals": gettext_noop("several = in the quote title: split where the Japanese starts"),
    "header_after_article": gettext_noop(
        "looks like a quote header but comes after the 記事 line: read as article text"
    ),
    "header_without_brackets": gettext_noop(
        "looks like a quote header without its <original=translation>: read as text"
    ),
    "header_without_link_before": gettext_noop("looks like a quote header but no link came before it: read as text"),
    "quote_without_url": gettext_noop("this quote has no URL line"),
    "last_quote_without_url": gettext_noop(
        "the last quote has no URL line: its end is unclear, following text kept in its body"
    ),
    "text_before_quotes": gettext_noop("text before the first quote: kept in the commentary"),
    "outlet_from_link": gettext_noop("unknown outlet “%(written)s”: read as %(outlet)s from its link"),
    "no_year": gettext_noop("no year in the post: dates are taken as the latest before the import date (%(today)s)"),
    "not_a_date": gettext_noop("not a date: %(written)s"),
    "after_import_date": gettext_noop("%(date)s is after the import date"),
    "no_dated_header": gettext_noop("no dated header: published_on is the import date"),
}


@dataclass(frozen=True)
class ParseWarning:
    """What the parser could not read: a code of `MESSAGES`, its line (1-based; None for the whole post) and the
    values its message names.

    >>> str(ParseWarning(3, "not_a_date", (("written", "2/30"),)))
    'line 3: not a date: 2/30'
    """

    line: int | None
    code: str
    params: tuple[tuple[str, str], ...] = ()

    @property
    def message(self) -> str:
        try:
            return MESSAGES[self.code] % dict(self.params)
        except (KeyError, TypeError, ValueError):  # a code or values of another version of the parser
            return " ".join([self.code, *(f"{key}={value}" for key, value in self.params)])

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message

    def to_dict(self) -> dict:
        """As stored with a post and shown in JSON: `{"code": "not_a_date", "line": 3, "written": "2/30"}`."""
        return {"code": self.code, "line": self.line, **dict(self.params)}

    @classmethod
    def from_dict(cls, stored: dict) -> "ParseWarning":
        params = tuple((key, value) for key, value in stored.items() if key not in ("code", "line", "message"))
        return cls(stored.get("line"), stored["code"], params)


@dataclass(frozen=True)
class ArticleRef:
    date: dt.date | None
    outlet: str  # canonical name
    author: str
    outlet_as_written: str = ""


@dataclass(frozen=True)
class ParsedQuote:
    line: int
    date: dt.date | None
    outlet: str  # canonical name
    outlet_as_written: str
    original_title: str
    title: str  # the Japanese translation; "" when the header gives none
    body: str
    remark: str
    links: tuple[str, ...]


@dataclass(frozen=True)
class ParsedPost:
    title: str
    article: ArticleRef
    published_on: dt.date
    quotes: tuple[ParsedQuote, ...]
    commentary: str
    article_body: str
    links: tuple[str, ...]
    warnings: tuple[ParseWarning, ...]
    footer: str = ""  # the closing boilerplate: kept here, out of the article
    link_quotes: tuple[int | None, ...] = ()  # for each of `links`, the index of its quote, if any

    def to_dict(self) -> dict:
        """The parsed form of post-format.md (without "file")."""
        return {
            "title": self.title,
            "article": {"date": iso(self.article.date), "outlet": self.article.outlet, "author": self.article.author},
            "published_on": iso(self.published_on),
            "quotes": [
                {
                    "date": iso(q.date),
                    "outlet": q.outlet,
                    "original_title": q.original_title,
                    "title": q.title,
                    "body": q.body,
                    "remark": q.remark,
                    "links": list(q.links),
                }
                for q in self.quotes
            ],
            "commentary": self.commentary,
            "article_body": self.article_body,
            "links": list(self.links),
            "warnings": [w.to_dict() for w in self.warnings],
        }
