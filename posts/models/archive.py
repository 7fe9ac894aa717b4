import datetime as dt
import hashlib
from collections.abc import Iterable

from dataclasses import dataclass

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import IntegrityError, models, transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils.text import slugify

from posts import passages, tokens
from posts.lookups import Lexemes
from posts.dates import iso
from posts.outlets import KNOWN_OUTLETS, Outlet, OutletDirectory
from posts.querysets import PassageQuerySet, PostQuerySet
from posts.topics import matching_topics


def unicode_slug(name: str, *, hashed: bool = False) -> str:
    """A URL slug that keeps CJK names readable: `阿波羅新聞網`, `jbプレス`, `the-gateway-pundit`.

    `hashed` adds a short hash of the name, for when another name took the plain slug.
    """
    slug = slugify(name, allow_unicode=True)[:80] or "x"
    return f"{slug}-{hashlib.sha1(name.encode()).hexdigest()[:6]}" if hashed else slug


class SourceQuerySet(models.QuerySet):
    def directory(self) -> OutletDirectory:
        """Every spelling and domain the database and the built-in list know, database first."""
        return OutletDirectory([*(source.as_outlet() for source in self), *KNOWN_OUTLETS])

    def for_names(self, names: Iterable[str]) -> dict[str, "Source"]:
        """The sources with these names, each created (with built-in aliases if known) when new.

        Each creation commits on its own and in name order, so that imports that
        introduce the same outlets at once neither deadlock nor fail.
        """
        found = {source.name: source for source in self.filter(name__in=set(names))}
        for name in sorted(set(names) - set(found)):
            found[name] = self._create(name)
        return found

    def _create(self, name: str) -> "Source":
        known = next((o for o in KNOWN_OUTLETS if o.name == name), Outlet(name))
        for slug in (unicode_slug(name), unicode_slug(name, hashed=True)):
            try:
                with transaction.atomic():
                    return self.create(name=name, slug=slug, aliases=list(known.aliases), domains=list(known.domains))
            except IntegrityError:
                # Another import created it at the same moment, or another name has the slug.
                source = self.filter(name=name).first()
                if source:
                    return source
        raise IntegrityError(f"no free slug for the source {name!r}")


class Source(models.Model):
    """A news outlet: quoted by posts, or the publisher of a commented article."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True, allow_unicode=True)
    aliases = ArrayField(models.CharField(max_length=200), default=list, blank=True)
    domains = ArrayField(models.CharField(max_length=253), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = verbose_name_plural = "情報源"

    def __str__(self) -> str:
        return self.name

    def as_outlet(self) -> Outlet:
        return Outlet(self.name, tuple(self.aliases), tuple(self.domains))

    def get_absolute_url(self) -> str:
        return reverse("source_detail", args=[self.slug])

    def quote_months(self) -> list[tuple]:
        """(first day of the month, quotes that month), for the months it was quoted."""
        rows = (
            self.quotes.exclude(date=None)
            .annotate(month=TruncMonth("date"))
            .order_by()
            .values_list("month")
            .annotate(count=Count("id"))
            .order_by("month")
        )
        return list(rows)


class TopicQuerySet(models.QuerySet):
    def rules(self) -> dict[int, list[str]]:
        return dict(self.values_list("id", "keywords"))


class Topic(models.Model):
    """A subject the blog keeps returning to; posts get it from keyword rules (see posts/topics.py)."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True, allow_unicode=True)
    keywords = ArrayField(
        models.CharField(max_length=100),
        default=list,
        blank=True,
        help_text="Comma-separated. The topic applies when one is in a post's title, quote titles or "
        "commentary, or three times anywhere in the post. `python manage.py retag` re-applies the rules.",
    )

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = verbose_name_plural = "トピック"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("topic_detail", args=[self.slug])


class Post(models.Model):
    """One daily commentary post, as parsed from its raw text."""

    title = models.TextField()
    # The post's identity with article_date: the normalised title (see importing.identity_key).
    title_key = models.TextField(editable=False)
    article_date = models.DateField(null=True, blank=True)
    article_outlet = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, related_name="commented_posts"
    )
    article_outlet_as_written = models.TextField(blank=True)
    article_author = models.TextField(blank=True)
    published_on = models.DateField()
    commentary = models.TextField(blank=True)
    article_body = models.TextField(blank=True)
    raw_text = models.TextField(help_text="The file's text exactly as decoded (line ends as LF).")
    content_hash = models.CharField(max_length=64, db_index=True, help_text="SHA-256 of raw_text in UTF-8.")
    source_file = models.CharField(max_length=255, blank=True)
    encoding = models.CharField(max_length=20, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    corrections = models.JSONField(
        default=dict,
        blank=True,
        help_text="What an admin corrected (title, published_on, topics, quote outlets): kept over re-imports.",
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="posts")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name = verbose_name_plural = "投稿"
        # The archive's order: a search reads its matches newest (or oldest) first from here, and stops at the cap.
        indexes = [models.Index(fields=["published_on", "id"], name="post_order")]
        constraints = [
            models.UniqueConstraint(fields=["title_key", "article_date"], nulls_distinct=False, name="post_identity"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("post_detail", args=[self.pk])

    def parsed_form(self) -> dict:
        """The post in the parsed form of post-format.md, with its id (as /posts/<id>.json)."""
        quotes = self.quotes.select_related("source").prefetch_related("links")
        return {
            "id": self.pk,
            "file": self.source_file,
            "title": self.title,
            "article": {
                "date": iso(self.article_date),
                "outlet": self.article_outlet.name if self.article_outlet else "",
                "author": self.article_author,
            },
            "published_on": iso(self.published_on),
            "quotes": [
                {
                    "date": iso(q.date),
                    "outlet": q.source.name if q.source else "",
                    "original_title": q.original_title,
                    "title": q.translated_title,
                    "body": q.body,
                    "remark": q.remark,
                    "links": [link.url for link in sorted(q.links.all(), key=lambda link: link.position)],
                }
                for q in quotes
            ],
            "commentary": self.commentary,
            "article_body": self.article_body,
            "links": list(self.links.order_by("position").values_list("url", flat=True)),
            "warnings": self.warnings,
        }

    def older(self) -> "Post | None":
        """The post before this one in the archive's order."""
        earlier = Q(published_on__lt=self.published_on) | Q(published_on=self.published_on, id__lt=self.id)
        return Post.objects.filter(earlier).newest().first()

    def newer(self) -> "Post | None":
        later = Q(published_on__gt=self.published_on) | Q(published_on=self.published_on, id__gt=self.id)
        return Post.objects.filter(later).oldest().first()

    def texts(self, quotes: Iterable["Quote"] | None = None) -> list["PartText"]:
        """Every searchable text of the post, in reading order."""
        found = [PartText(Passage.Part.TITLE, None, "title", self.title)]
        for quote in self.quotes.all() if quotes is None else quotes:
            found += [
                PartText(Passage.Part.QUOTE, quote, "original_title", quote.original_title),
                PartText(Passage.Part.QUOTE, quote, "translated_title", quote.translated_title),
                PartText(Passage.Part.QUOTE, quote, "body", quote.body),
                PartText(Passage.Part.REMARK, quote, "remark", quote.remark),
            ]
        found += [
            PartText(Passage.Part.COMMENTARY, None, "commentary", self.commentary),
            PartText(Passage.Part.ARTICLE, None, "article_body", self.article_body),
        ]
        return [text for text in found if text.text]

    def reindex(self, quotes: Iterable["Quote"] | None = None) -> None:
        """(Re)build the post's search passages from its parts (on import; after the tokenizer changed)."""
        self.passages.all().delete()
        Passage.objects.bulk_create(Passage.for_texts(self, self.texts(quotes)))

    # Corrections: what an admin set by hand, kept when the post is imported or re-parsed again.

    def record_corrections(self, fields: Iterable[str]) -> None:
        """Remember the current value of these corrected fields (title, published_on, topics)."""
        for name in fields:
            if name == "title":
                self.corrections["title"] = self.title
            elif name == "published_on":
                self.corrections["published_on"] = self.published_on.isoformat()
            elif name == "topics":
                self.corrections["topics"] = sorted(self.topics.values_list("id", flat=True))

    def record_quote_correction(self, quote: "Quote") -> None:
        """Remember a quote's corrected outlet, for the quote with this position and title."""
        self.corrections.setdefault("quotes", {})[str(quote.position)] = {
            "source": quote.source_id,
            "original_title": quote.original_title,
        }

    def correction_lines(self) -> list[str]:
        """The corrections in words, for the admin."""
        lines = []
        if "title" in self.corrections:
            lines.append(f"題名: {self.corrections['title']}")
        if "published_on" in self.corrections:
            lines.append(f"公開日: {self.corrections['published_on']}")
        if "topics" in self.corrections:
            names = Topic.objects.filter(id__in=self.corrections["topics"]).values_list("name", flat=True)
            lines.append(f"トピック: {'、'.join(names) or '(なし)'}")
        for position, correction in sorted(self.corrections.get("quotes", {}).items(), key=lambda item: int(item[0])):
            source = Source.objects.filter(id=correction["source"]).first() if correction["source"] else None
            lines.append(f"引用{position}の情報源: {source or '(なし)'}")
        return lines

    def apply_corrections(self) -> None:
        if "title" in self.corrections:
            self.title = self.corrections["title"]
        if "published_on" in self.corrections:
            self.published_on = dt.date.fromisoformat(self.corrections["published_on"])

    def apply_quote_corrections(self, quotes: list["Quote"]) -> None:
        existing = set(Source.objects.filter(id__in=[c["source"] for c in self.corrections.get("quotes", {}).values()])
                       .values_list("id", flat=True))
        for position, correction in self.corrections.get("quotes", {}).items():
            # The quote at that position, or else the one with that title (the text may have moved it).
            quote = next((q for q in quotes if str(q.position) == position and q.original_title == correction["original_title"]), None)
            quote = quote or next((q for q in quotes if q.original_title == correction["original_title"]), None)
            if quote is not None and (correction["source"] is None or correction["source"] in existing):
                quote.source_id = correction["source"]
                quote.save(update_fields=["source"])

    def retag(self, rules: dict[int, list[str]], quotes: Iterable["Quote"] | None = None) -> bool:
        """Give the post the topics whose keyword rules it matches; True when they changed.

        Topics an admin corrected stay as they were set.
        """
        if "topics" in self.corrections:
            wanted = set(Topic.objects.filter(id__in=self.corrections["topics"]).values_list("id", flat=True))
            if self.pk and wanted == set(self.topics.values_list("id", flat=True)):
                return False
            self.topics.set(wanted)
            return True
        quotes = list(self.quotes.all() if quotes is None else quotes)
        headlines = "\n".join([self.title, *(f"{q.original_title}\n{q.translated_title}" for q in quotes), self.commentary])
        full_text = "\n".join(text.text for text in self.texts(quotes))
        wanted = set(matching_topics(headlines, full_text, rules))
        if self.pk and wanted == set(self.topics.values_list("id", flat=True)):
            return False
        self.topics.set(wanted)
        return True


class Revision(models.Model):
    """An earlier text of a post, kept when an import replaced it: no imported text is ever lost."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    raw_text = models.TextField()
    content_hash = models.CharField(max_length=64)
    source_file = models.CharField(max_length=255, blank=True)
    encoding = models.CharField(max_length=20, blank=True)
    imported_at = models.DateTimeField(help_text="When this text was imported.")
    replaced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["post", "-replaced_at"]
        verbose_name = verbose_name_plural = "以前のテキスト"

    def __str__(self) -> str:
        return f"{self.post_id}: {self.source_file} ({self.imported_at:%Y-%m-%d %H:%M})"


class Quote(models.Model):
    """A foreign news item quoted in a post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="quotes")
    position = models.PositiveIntegerField()
    date = models.DateField(null=True, blank=True, db_index=True)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT, related_name="quotes")
    outlet_as_written = models.TextField(blank=True)
    original_title = models.TextField(blank=True)
    translated_title = models.TextField(blank=True)
    body = models.TextField(blank=True)
    remark = models.TextField(blank=True, help_text="The blogger's note after the quote's links.")

    class Meta:
        ordering = ["post", "position"]
        constraints = [models.UniqueConstraint(fields=["post", "position"], name="quote_position")]
        verbose_name = verbose_name_plural = "引用"

    def __str__(self) -> str:
        return self.translated_title or self.original_title


class Link(models.Model):
    """A URL in a post, in order; `quote` is set when it belongs to a quoted item."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="links")
    quote = models.ForeignKey(Quote, null=True, blank=True, on_delete=models.CASCADE, related_name="links")
    position = models.PositiveIntegerField()
    url = models.TextField()
    domain = models.CharField(max_length=253, db_index=True)
    status_id = models.BigIntegerField(null=True, blank=True, help_text="X/Twitter status id")
    status_time = models.DateTimeField(null=True, blank=True, help_text="When the status id was issued")

    class Meta:
        ordering = ["post", "position"]
        constraints = [models.UniqueConstraint(fields=["post", "position"], name="link_position")]
        verbose_name = verbose_name_plural = "リンク"

    def __str__(self) -> str:
        return self.url


@dataclass(frozen=True)
class PartText:
    """One searchable text of a post: which part it is, its quote if any, the field it is in."""

    part: str
    quote: "Quote | None"
    field: str
    text: str


class Passage(models.Model):
    """A few thousand characters of one text of a post, as search runs (see posts/tokens.py).

    Written by the import, never edited: the index of what the post says. The GIN
    index is on the lexemes PostgreSQL makes from `runs` (an expression, not a column).
    """

    class Part(models.TextChoices):
        TITLE = "title", "題名"
        QUOTE = "quote", "引用"
        REMARK = "remark", "引用への一言"
        COMMENTARY = "commentary", "論評"
        ARTICLE = "article", "記事"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="passages")
    quote = models.ForeignKey(Quote, null=True, blank=True, on_delete=models.CASCADE, related_name="passages")
    part = models.CharField(max_length=10, choices=Part.choices)
    field = models.CharField(max_length=20)
    start = models.PositiveIntegerField(help_text="Where the passage starts in its field's text.")
    runs = models.TextField()

    objects = PassageQuerySet.as_manager()

    class Meta:
        indexes = [GinIndex(Lexemes("runs"), name="passage_lexemes")]
        verbose_name = verbose_name_plural = "検索用の断片"

    @classmethod
    def for_texts(cls, post: Post, texts: Iterable[PartText]) -> list["Passage"]:
        found = []
        for text in texts:
            for start, chunk in passages.passages(text.text):
                runs = tokens.document_runs(chunk)
                if runs:
                    found.append(cls(post=post, quote=text.quote, part=text.part, field=text.field, start=start, runs=runs))
        return found
