"""The parsed form of a post: what `parse_post` returns. Pure Python.

`ParsedPost.to_dict()` is the parsed form of post-format.md, as printed by
`import_posts --dry-run --format json`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from posts.ingest.dates import iso


@dataclass(frozen=True)
class ParseWarning:
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


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
            "warnings": [str(w) for w in self.warnings],
        }
