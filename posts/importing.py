"""The one write path: a post's text becomes rows, in one transaction per post.

`import_text()` is what the `import_posts` command and the admin import page
both call. A post is identified by its normalised title and its article date;
importing the same text again is `unchanged`, an edited text `updated`, and
concurrent imports of the same post are serialised by an advisory lock, so a
post is never stored twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, transaction

from posts.dates import status_id, status_time
from posts.decoding import RefusedFile, decode_post, read_limited
from posts.models import Link, Post, Quote, Source
from posts.outlets import url_host
from posts.parser import ParsedPost, parse_post

CREATED, UPDATED, UNCHANGED, FAILED = "created", "updated", "unchanged", "failed"
OUTCOMES = (CREATED, UPDATED, UNCHANGED, FAILED)
MAX_BIGINT = 2**63 - 1


@dataclass(frozen=True)
class ImportResult:
    name: str
    outcome: str
    post: Post | None = None
    error: str = ""
    warnings: tuple[str, ...] = field(default=())


def identity_key(title: str, content_hash: str) -> str:
    """The normalised title that, with the article date, identifies a post.

    A post whose title could not be read is identified by its content instead.
    """
    key = " ".join(unicodedata.normalize("NFKC", title).casefold().split())
    return key or f"sha256:{content_hash}"


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def import_text(text: str, *, name: str, encoding: str = "utf-8", today: dt.date | None = None) -> ImportResult:
    """Store one decoded post; report created, updated or unchanged."""
    digest = content_hash(text)
    parsed = parse_post(text, outlets=Source.objects.directory(), today=today)
    key = identity_key(parsed.title, digest)
    with transaction.atomic():
        _lock(f"{key}\n{parsed.article.date}")
        post = Post.objects.filter(title_key=key, article_date=parsed.article.date).first()
        if post is None:
            # The same text read another day may infer another year: still the same post.
            post = Post.objects.filter(content_hash=digest).first()
        if post is not None and post.content_hash == digest:
            return ImportResult(name, UNCHANGED, post, warnings=tuple(post.warnings))
        outcome = CREATED if post is None else UPDATED
        post = _save(post or Post(), parsed, key=key, text=text, digest=digest, name=name, encoding=encoding)
    return ImportResult(name, outcome, post, warnings=tuple(post.warnings))


def import_bytes(data: bytes, *, name: str, today: dt.date | None = None) -> ImportResult:
    """Decode and store one file's bytes; a refused file is a `failed` result, not an exception."""
    try:
        text, encoding = decode_post(data)
    except RefusedFile as refusal:
        return ImportResult(name, FAILED, error=str(refusal))
    return _import_or_fail(text, name=name, encoding=encoding, today=today)


def read_post_file(path: Path) -> tuple[str, str]:
    """(text, encoding) of a post file on disk; raises RefusedFile."""
    try:
        with open(path, "rb") as stream:
            data = read_limited(stream, settings.POST_FILE_MAX_BYTES)
    except OSError as error:
        raise RefusedFile(f"cannot read: {error.strerror or error}") from None
    return decode_post(data)


def import_file(path: Path, *, today: dt.date | None = None) -> ImportResult:
    try:
        text, encoding = read_post_file(path)
    except RefusedFile as refusal:
        return ImportResult(str(path), FAILED, error=str(refusal))
    return _import_or_fail(text, name=str(path), encoding=encoding, today=today)


def _import_or_fail(text: str, **kwargs) -> ImportResult:
    # One file's database error (its transaction rolled back) must not stop the others.
    try:
        return import_text(text, **kwargs)
    except DatabaseError as error:
        return ImportResult(kwargs["name"], FAILED, error=f"database error: {str(error).strip().splitlines()[0]}")


def find_post_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """The files named, and every `*.txt` under the directories named, in a stable order.

    A path that does not exist is yielded as is, so that reading it fails with a reason.
    """
    for path in map(Path, paths):
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.txt") if p.is_file())
        else:
            yield path


def _lock(identity: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [identity])


def _save(post: Post, parsed: ParsedPost, *, key: str, text: str, digest: str, name: str, encoding: str) -> Post:
    post.title = parsed.title
    post.title_key = key
    post.article_date = parsed.article.date
    post.article_outlet = Source.objects.for_name(parsed.article.outlet) if parsed.article.outlet else None
    post.article_author = parsed.article.author
    post.published_on = parsed.published_on
    post.commentary = parsed.commentary
    post.article_body = parsed.article_body
    post.raw_text = text
    post.content_hash = digest
    post.source_file = Path(name).name[:255]
    post.encoding = encoding
    post.warnings = [str(w) for w in parsed.warnings]
    post.save()

    post.quotes.all().delete()
    post.links.all().delete()
    quotes = Quote.objects.bulk_create(
        Quote(
            post=post,
            position=position,
            date=q.date,
            source=Source.objects.for_name(q.outlet) if q.outlet else None,
            outlet_as_written=q.outlet_as_written,
            original_title=q.original_title,
            translated_title=q.title,
            body=q.body,
            remark=q.remark,
        )
        for position, q in enumerate(parsed.quotes, start=1)
    )
    Link.objects.bulk_create(_links(post, parsed, quotes))
    return post


def _links(post: Post, parsed: ParsedPost, quotes: list[Quote]) -> Iterator[Link]:
    # Each quote's links appear in the post's links in the same order: walk both.
    owners = [(quote, url) for quote, parsed_quote in zip(quotes, parsed.quotes) for url in parsed_quote.links]
    for position, url in enumerate(parsed.links, start=1):
        quote = None
        if owners and owners[0][1] == url:
            quote = owners.pop(0)[0]
        status = status_id(url)
        if status is not None and status > MAX_BIGINT:
            status = None
        yield Link(
            post=post,
            quote=quote,
            position=position,
            url=url,
            domain=url_host(url)[:253],
            status_id=status,
            status_time=status_time(status) if status is not None else None,
        )
