"""The one write path: a post's text becomes rows, in one transaction per post.

`import_text()` is what the `import_posts` command and the admin import page
both call. A text is the stored post its clues point at (its text, its file's
name, its title and article date: posts/ingest/identity.py); importing the same
text again is `unchanged`, an edited text `updated` (the text it replaces is
kept as a `Revision`), a text that could be two posts is refused, and
concurrent imports of the same post are serialised by advisory locks, so a post
is never stored twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, transaction

from posts.ingest.caps import Caps, lines_refusal, structure_refusal
from posts.ingest.dates import status_id, status_time
from posts.ingest.decoding import RefusedFile, decode_post, read_limited
from posts.ingest.identity import Clues, file_name, identify
from posts.ingest.languages import title_language, title_tag
from posts.ingest.links import url_key
from posts.ingest.outlets import OutletDirectory, url_host
from posts.ingest.parser import ParsedPost, parse_post
from posts.ingest.sources import outlet_directory, sources_named
from posts.ingest.tagging import retag
from posts.models import Link, Post, Quote, Revision, Source, Topic, timeouts
from posts.search.index import reindex

logger = logging.getLogger(__name__)

CREATED, UPDATED, UNCHANGED, FAILED = "created", "updated", "unchanged", "failed"
OUTCOMES = (CREATED, UPDATED, UNCHANGED, FAILED)
MAX_BIGINT = 2**63 - 1


@dataclass(frozen=True)
class ImportResult:
    name: str
    outcome: str
    post: Post | None = None
    error: str = ""
    warnings: tuple[dict, ...] = field(default=())  # as stored: posts/ingest/parsed.py, ParseWarning.to_dict


def identity_key(title: str, content_hash: str) -> str:
    """The normalised title that, with the article date, identifies a post.

    A post whose title could not be read is identified by its content instead.
    """
    key = " ".join(unicodedata.normalize("NFKC", title).casefold().split())
    return key or f"sha256:{content_hash}"


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def display_name(path: str | Path) -> str:
    """A file name as text, whatever bytes the file system gave it."""
    return os.fsencode(path).decode("utf-8", "replace")


@dataclass(frozen=True)
class Plan:
    """What importing a text would do, worked out without writing anything."""

    parsed: ParsedPost
    key: str
    digest: str
    existing: Post | None
    clues: Clues  # what identifies the post: posts/ingest/identity.py
    refusal: str = ""  # why the text is not imported (it could be two posts, or it is over a cap), in Japanese
    oversized: bool = False  # over a cap of posts/ingest/caps.py: refused whatever post it is

    @property
    def outcome(self) -> str:
        if self.refusal:
            return FAILED
        if self.existing is None:
            return CREATED
        return UNCHANGED if self.existing.content_hash == self.digest else UPDATED

    @property
    def outlet_names(self) -> list[str]:
        parsed = self.parsed
        return [q.outlet for q in parsed.quotes if q.outlet] + ([parsed.article.outlet] if parsed.article.outlet else [])


def plan_text(
    text: str, *, today: dt.date | None = None, outlets: OutletDirectory | None = None, name: str = ""
) -> Plan:
    """Parse a decoded post and find the post it is, if stored already (a preview: nothing is written).

    `name` is the file's name (a path is fine; pasted text has none): a file of the name a post was
    first imported from is that post, even when its title or year now reads differently.
    """
    digest = content_hash(text)
    caps = Caps(settings.POST_MAX_QUOTES, settings.POST_MAX_LINKS, settings.POST_MAX_LINES)
    too_long = lines_refusal(text, caps)
    # A text over the line cap is not parsed past its title line: reading it whole is what it would cost.
    parsed = parse_post(text.split("\n", 1)[0] if too_long else text, outlets=outlets or outlet_directory(), today=today)
    key = identity_key(parsed.title, digest)
    link_keys = tuple(dict.fromkeys(k for k in map(url_key, parsed.links) if k))
    clues = Clues(key, parsed.article.date, digest, file_name(name), link_keys)
    if refusal := too_long or structure_refusal(parsed, caps):
        return Plan(parsed, key, digest, None, clues, refusal, oversized=True)
    found = identify(clues)
    return Plan(parsed, key, digest, found.post, clues, found.refusal)


def import_text(
    text: str, *, name: str, encoding: str = "utf-8", today: dt.date | None = None, into: Post | None = None
) -> ImportResult:
    """Store one decoded post; report created, updated or unchanged.

    `into` re-reads a stored post from this text (its own, for a re-parse) with
    the current parser, instead of calling it unchanged; the text must still
    read as that post.
    """
    # A re-read is not a file's import: its stored file name says nothing of which post it is.
    plan = plan_text(text, today=today, name="" if into is not None else name)
    if plan.oversized:
        return ImportResult(name, FAILED, error=plan.refusal)
    # Outlets first, each committed on its own, so that no post transaction holds them.
    sources = sources_named(plan.outlet_names)
    with transaction.atomic():
        timeouts.lift(connection, local=True)  # a large post's index may take longer than a web request may
        # Every post this text could be has its title or its file's name: imports that could meet wait here.
        _lock(f"title\n{plan.key}", *([f"file\n{plan.clues.name}"] if plan.clues.name else []))
        found = identify(plan.clues)  # again, under the lock
        post = found.post
        if into is not None:
            if post is not None and post.pk != into.pk:
                return ImportResult(name, FAILED, error=f"読み直すと別の投稿 #{post.pk} と同じになるため、変更しませんでした。")
            if found.refusal:
                return ImportResult(name, FAILED, error=found.refusal)
            post = Post.objects.select_for_update().get(pk=into.pk)
        elif found.refusal:
            return ImportResult(name, FAILED, error=found.refusal)
        elif post is not None and post.content_hash == plan.digest:
            return ImportResult(name, UNCHANGED, post, warnings=tuple(post.warnings))
        outcome = CREATED if post is None else UPDATED
        if post is not None and post.content_hash != plan.digest:
            Revision.objects.create(
                post=post,
                raw_text=post.raw_text,
                content_hash=post.content_hash,
                source_file=post.source_file,
                encoding=post.encoding,
                imported_at=post.updated_at,
            )
        if post is not None and not post.file_name:
            post.file_name = plan.clues.name  # a post first read from pasted text takes the first file's name
        post = _save(post or Post(file_name=plan.clues.name), plan, sources, text=text, name=name, encoding=encoding)
    return ImportResult(name, outcome, post, warnings=tuple(post.warnings))


def import_or_fail(text: str, **kwargs) -> ImportResult:
    """`import_text`, with any error a `failed` result: one file's failure never stops the others."""
    try:
        return import_text(text, **kwargs)
    except DatabaseError as error:
        return ImportResult(kwargs["name"], FAILED, error=f"データベースのエラー: {_first_line(error)}")
    except Exception as error:
        logger.exception("importing %s failed", kwargs["name"])
        return ImportResult(kwargs["name"], FAILED, error=f"内部エラー({type(error).__name__}): {_first_line(error)}")


def reparse(post: Post) -> ImportResult:
    """Read a stored post again from its raw text with the current parser (corrections kept)."""
    return import_or_fail(post.raw_text, name=post.source_file, encoding=post.encoding, into=post)


def import_bytes(data: bytes, *, name: str, today: dt.date | None = None) -> ImportResult:
    """Decode and store one file's bytes; a refused file is a `failed` result, not an exception."""
    name = display_name(name)
    try:
        text, encoding = decode_post(data)
    except RefusedFile as refusal:
        return ImportResult(name, FAILED, error=str(refusal))
    return import_or_fail(text, name=name, encoding=encoding, today=today)


def read_post_file(path: Path) -> tuple[str, str]:
    """(text, encoding) of a post file on disk; raises RefusedFile."""
    try:
        with open(path, "rb") as stream:
            data = read_limited(stream, settings.POST_FILE_MAX_BYTES)
    except OSError as error:
        raise RefusedFile(f"読み込めません: {error.strerror or error}") from None
    return decode_post(data)


def import_file(path: Path, *, today: dt.date | None = None) -> ImportResult:
    name = display_name(path)
    try:
        text, encoding = read_post_file(path)
    except RefusedFile as refusal:
        return ImportResult(name, FAILED, error=str(refusal))
    return import_or_fail(text, name=name, encoding=encoding, today=today)


def find_post_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """The files named, and every `*.txt` (any case) under the directories named, in a stable order.

    A path that does not exist is yielded as is, so that reading it fails with a reason.
    """
    for path in map(Path, paths):
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.suffix.lower() == ".txt" and p.is_file())
        else:
            yield path


def _first_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or [""])[0]


def _lock(*identities: str) -> None:
    """Transaction locks on these identities, taken in one order by everyone, so that no two imports deadlock."""
    with connection.cursor() as cursor:
        for identity in sorted(identities):
            cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [identity])


def _save(post: Post, plan: Plan, sources: dict[str, Source], *, text: str, name: str, encoding: str) -> Post:
    parsed = plan.parsed
    post.title = parsed.title
    post.title_key = plan.key
    post.article_date = parsed.article.date
    post.article_outlet = sources.get(parsed.article.outlet)
    post.article_outlet_as_written = parsed.article.outlet_as_written
    post.article_author = parsed.article.author
    post.published_on = parsed.published_on
    post.commentary = parsed.commentary
    post.article_body = parsed.article_body
    post.raw_text = text
    post.content_hash = plan.digest
    post.source_file = Path(name).name[:255]
    post.encoding = encoding
    post.warnings = [w.to_dict() for w in parsed.warnings]
    post.apply_corrections()
    post.save()

    post.passages.all().delete()  # first, so that deleting the quotes has no passages to cascade to
    post.quotes.all().delete()
    post.links.all().delete()
    quotes = [
        Quote(
            post=post,
            position=position,
            date=q.date,
            source=sources.get(q.outlet),
            outlet_as_written=q.outlet_as_written,
            original_title=q.original_title,
            translated_title=q.title,
            body=q.body,
            remark=q.remark,
        )
        for position, q in enumerate(parsed.quotes, start=1)
    ]
    if post.apply_quote_corrections(quotes):  # before they are stored, so that a corrected title has its language
        post.save(update_fields=["corrections"])
    for quote in quotes:
        quote.lang = title_language(quote.original_title, _language(quote.source))
        quote.title_lang = title_tag(quote.original_title, _language(quote.source))
    Quote.objects.bulk_create(quotes)
    Link.objects.bulk_create(
        _link(post, position, url, quotes[owner] if owner is not None else None)
        for position, (url, owner) in enumerate(zip(parsed.links, parsed.link_quotes), start=1)
    )
    reindex(post, quotes)
    retag(post, Topic.objects.rules(), quotes)
    return post


def _link(post: Post, position: int, url: str, quote: Quote | None) -> Link:
    status = status_id(url)
    if status is not None and status > MAX_BIGINT:
        status = None
    return Link(
        post=post,
        quote=quote,
        position=position,
        url=url,
        url_key=url_key(url),
        domain=url_host(url)[:253],
        status_id=status,
        status_time=status_time(status) if status is not None else None,
    )


def _language(source: Source | None) -> str:
    return source.language if source else ""
